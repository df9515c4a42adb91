use serde::{Deserialize, Serialize};

use super::{Reference, Time};

/// One on-call shift: a user at a level of an escalation policy.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Oncall {
    pub user: Reference,
    pub escalation_policy: Reference,
    pub escalation_level: u32,
    /// Absent when the user is a direct target of the policy rather than scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Reference>,
    /// Absent for permanent (unscheduled) on-call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
}
