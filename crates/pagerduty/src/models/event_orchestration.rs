use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::EventOrchestrationId;

/// A global event orchestration: where events sent to its routing keys go.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct EventOrchestration {
    pub id: EventOrchestrationId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Reference>,
    /// Routing keys events are sent to (only on get).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub integrations: Vec<OrchestrationIntegration>,
    /// How many routing rules the router has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OrchestrationIntegration {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `{routing_key, type}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<serde_json::Value>,
}

/// A rule set, or the rules of an orchestration path (router, global or service).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OrchestrationPath {
    /// router, global, service or unrouted.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The orchestration or service the path belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Reference>,
    #[serde(default)]
    pub sets: Vec<OrchestrationRuleSet>,
    /// What happens to events no rule matches: `{actions: {...}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_all: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OrchestrationRuleSet {
    /// `start` for the first set.
    pub id: String,
    #[serde(default)]
    pub rules: Vec<OrchestrationRule>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OrchestrationRule {
    /// Absent on a new rule: PagerDuty assigns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// All must match (an empty list always matches).
    #[serde(default)]
    pub conditions: Vec<OrchestrationCondition>,
    /// E.g. `{route_to}` in a router; severity, priority, suppress… elsewhere.
    pub actions: serde_json::Value,
    #[serde(default)]
    pub disabled: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OrchestrationCondition {
    /// A PCL expression, e.g. `event.summary matches part 'checkout'`.
    pub expression: String,
}
