//! Incident workflows: list, inspect, and start one on an incident.

use reqwest::Method;
use serde::Serialize;
use serde_json::json;

use super::{reference, set_some};

use crate::ids::{IncidentId, IncidentWorkflowId};
use crate::models::{IncidentWorkflow, IncidentWorkflowInstance};
use crate::{Client, Result};

/// Filters for `GET /incident_workflows`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorkflowQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// `steps` and/or `team`.
    pub include: Vec<String>,
}

impl Client {
    /// Starts the workflow on an incident. `instance_id` optionally labels this run.
    pub async fn start_incident_workflow(
        &self,
        id: &IncidentWorkflowId,
        incident: &IncidentId,
        instance_id: Option<&str>,
    ) -> Result<IncidentWorkflowInstance> {
        let mut instance = json!({"incident": reference(incident, "incident_reference")});
        set_some(&mut instance, "id", instance_id);
        self.nested::<IncidentWorkflow>(Method::POST, id, &["instances"])
            .json(&json!({ "incident_workflow_instance": instance }))?
            .send_one("incident_workflow_instance")
            .await
    }
}
