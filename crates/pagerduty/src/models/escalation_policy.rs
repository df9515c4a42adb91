use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Reference;
use crate::ids::EscalationPolicyId;

/// Who is notified, in which order, when an incident on its services is not acknowledged.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct EscalationPolicy {
    pub id: EscalationPolicyId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many times the rules repeat before the incident stops escalating.
    #[serde(default)]
    pub num_loops: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call_handoff_notifications: Option<String>,
    pub escalation_rules: Vec<EscalationRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
}

/// One level of a policy.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct EscalationRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub escalation_delay_in_minutes: u32,
    /// Users and schedules notified at this level.
    pub targets: Vec<Reference>,
}
