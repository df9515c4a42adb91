use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::{AlertId, IncidentId, NoteId};

/// An incident's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    Triggered,
    Acknowledged,
    Resolved,
}

/// How urgently responders are notified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    High,
    Low,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Incident {
    pub id: IncidentId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_number: Option<u64>,
    #[serde(default)]
    pub title: String,
    pub status: IncidentStatus,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_policy: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<Acknowledgement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incidents_responders: Vec<Responder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_counts: Option<AlertCounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status_change_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Time>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Assignment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Time>,
    pub assignee: Reference,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Acknowledgement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Time>,
    pub acknowledger: Reference,
}

/// A user asked to help with an incident, and whether they joined.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Responder {
    pub user: Reference,
    /// `pending` or `joined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct AlertCounts {
    pub all: u64,
    pub triggered: u64,
    pub resolved: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "lowercase")]
pub enum AlertStatus {
    Triggered,
    Resolved,
}

/// A signal from a monitoring integration, grouped into an incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Alert {
    pub id: AlertId,
    pub status: AlertStatus,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<Reference>,
    /// Whether PagerDuty suppressed it (an event rule or orchestration held it back).
    #[serde(default)]
    pub suppressed: bool,
    /// The integration (monitoring tool) that sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<Reference>,
    /// The monitoring tool's payload, passed through whole: it is what a responder debugs from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Note {
    /// PagerDuty may leave it out (e.g. on a note just added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<NoteId>,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Reference>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ResponderRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The users and escalation policies asked to respond.
    #[serde(
        default,
        deserialize_with = "targets",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub responder_request_targets: Vec<Reference>,
}

/// PagerDuty wraps each target: `[{"responder_request_target": {id, type, …}}]`.
fn targets<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Reference>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped {
        responder_request_target: Reference,
    }
    Ok(Vec::<Wrapped>::deserialize(d)?
        .into_iter()
        .map(|w| w.responder_request_target)
        .collect())
}
