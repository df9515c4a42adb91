use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::ServiceId;

/// A technical service: what incidents are opened against.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// active, warning, critical, maintenance or disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_policy: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
    /// Seconds before an acknowledged incident re-triggers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement_timeout: Option<u64>,
    /// Seconds before an open incident resolves itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_resolve_timeout: Option<u64>,
    /// How urgent new incidents are, e.g. `{"type": "constant", "urgency": "high"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_urgency_rule: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_incident_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
}
