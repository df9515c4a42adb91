use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::ChangeEventId;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Link {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Why a change was correlated with an incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct CorrelationReason {
    /// most_recent (same service, shortly before), related_service (a service it
    /// depends on) or intelligent.
    pub reason: String,
}

/// A change (deploy, configuration change) reported to PagerDuty.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ChangeEvent {
    /// PagerDuty may leave it out (e.g. on an event just reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ChangeEventId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_reason: Option<CorrelationReason>,
}
