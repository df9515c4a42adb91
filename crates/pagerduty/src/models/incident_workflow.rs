use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::IncidentWorkflowId;

/// One step of a workflow: the action it runs and how it is configured.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct WorkflowStep {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `{action_id, inputs: [{name, value}]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_configuration: Option<serde_json::Value>,
}

/// A sequence of automated steps that can be started on an incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct IncidentWorkflow {
    pub id: IncidentWorkflowId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Disabled workflows cannot be started.
    #[serde(default = "enabled")]
    pub is_enabled: bool,
    /// The team allowed to edit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<WorkflowStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
}

fn enabled() -> bool {
    true
}

/// One run of a workflow on an incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct IncidentWorkflowInstance {
    pub id: String,
    pub incident: Reference,
}
