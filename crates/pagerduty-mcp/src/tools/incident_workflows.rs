//! Incident workflows: automated response playbooks that can be started on an incident.

use pagerduty::api::incident_workflows::WorkflowQuery;
use pagerduty::ids::{IncidentId, IncidentWorkflowId};
use pagerduty::models::{IncidentWorkflow, IncidentWorkflowInstance};
use schemars::JsonSchema;
use serde::Deserialize;

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, ToolDef, Tools};

const INCIDENT_WORKFLOWS: Tools = Tools(Domain::IncidentWorkflows);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENT_WORKFLOWS.read(
            "list_incident_workflows",
            "Find incident workflows (automated response playbooks) by name; include=steps shows \
             what each does. Only enabled ones can be started.",
            |ctx: Ctx, a: ListArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let q = WorkflowQuery {
                    query: a.query.filter(|q| !q.trim().is_empty()),
                    include: a
                        .include
                        .unwrap_or_default()
                        .into_iter()
                        .map(|i| match i {
                            Include::Steps => "steps".to_owned(),
                            Include::Team => "team".to_owned(),
                        })
                        .collect(),
                };
                Ok(Listing::<IncidentWorkflow>::from(ctx.pd.list(&q, w).await?))
            },
        ),
        INCIDENT_WORKFLOWS.get(
            "get_incident_workflow",
            "One incident workflow by id, with its steps.",
            |a: WorkflowArg| a.workflow_id,
        ),
        INCIDENT_WORKFLOWS.write(
            Access::Write {
                // Its steps may page people, post to chat, change the incident.
                destructive: true,
                idempotent: false,
            },
            "start_incident_workflow",
            "Run an enabled incident workflow on an incident; its steps may page people, post \
             messages or change the incident.",
            start,
        ),
    ]
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Include {
    Steps,
    Team,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// Name contains this text.
    query: Option<String>,
    include: Option<Vec<Include>>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WorkflowArg {
    workflow_id: IncidentWorkflowId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Instance {
    /// Optional label for this run.
    id: Option<String>,
    incident: IdRef<IncidentId>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct InstanceRequest {
    incident_workflow_instance: Instance,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct StartArgs {
    workflow_id: IncidentWorkflowId,
    instance_request: InstanceRequest,
}

async fn start(ctx: Ctx, a: StartArgs) -> Result<IncidentWorkflowInstance, ToolError> {
    let i = a.instance_request.incident_workflow_instance;
    let label = i.id.map(|l| l.trim().to_owned());
    if let Some(l) = &label
        && (l.is_empty() || l.chars().count() > 128)
    {
        return Err(ToolError::invalid(
            "instance_request.incident_workflow_instance.id",
            "a run label is 1 to 128 characters; omit it to let PagerDuty choose",
        ));
    }
    Ok(ctx
        .pd
        .start_incident_workflow(&a.workflow_id, &i.incident.id, label.as_deref())
        .await?)
}
