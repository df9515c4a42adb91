//! Incident workflows: `/incident_workflows`, `/incident_workflows/{id}` and
//! starting one on an incident, `POST /incident_workflows/{id}/instances`,
//! which records the run on the incident's log.

use axum::{Json, extract::Path, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Call, Ctx, Listed, PdJson, Ref, by_id, position, typed, write_time};
use crate::error::{ApiError, ApiResult};
use crate::log_entries::Entry;
use crate::paging::matches_query;
use crate::render::{API_BASE, Render};
use crate::store::{Account, Agent, IncidentWorkflow, IncidentWorkflowRun};

const INCLUDES: &[&str] = &["steps", "team"];

pub fn render(r: &Render, w: &IncidentWorkflow, steps: bool) -> Value {
    let mut v = json!({
        "id": w.id,
        "type": "incident_workflow",
        "summary": w.name,
        "self": format!("{API_BASE}/incident_workflows/{}", w.id),
        "html_url": format!("https://{}.pagerduty.com/flex-workflows/workflows/{}", r.acct.subdomain, w.id),
        "name": w.name,
        "description": w.description,
        "created_at": r.time(w.created_at),
        "is_enabled": w.is_enabled,
    });
    if let Some(t) = &w.team_id {
        v["team"] = json!({
            "id": t,
            "type": "team_reference",
            "summary": r.acct.team(t).map(|t| t.name.as_str()).unwrap_or(""),
        });
    }
    if steps {
        v["steps"] = w
            .steps
            .iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "type": "step",
                    "name": s.name,
                    "description": s.description,
                    "action_configuration": {
                        "action_id": s.action_id,
                        "description": s.description,
                        "inputs": s.inputs.iter().map(|(n, val)| json!({"name": n, "parameter_type": "text", "value": val})).collect::<Vec<_>>(),
                    },
                })
            })
            .collect();
    }
    v
}

impl Listed for IncidentWorkflow {
    const COLLECTION: &'static str = "incident_workflows";
    const LIST_INCLUDES: Option<&'static [&'static str]> = Some(INCLUDES);
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let mut v: Vec<_> = a
            .incident_workflows
            .iter()
            .filter(|w| matches_query(call.params.get("query"), &[&w.name, &w.description]))
            .collect();
        v.sort_by_key(|x| x.name.to_lowercase());
        Ok(v)
    }
    /// Steps only when asked for.
    fn render_listed(&self, r: &Render) -> Value {
        render(r, self, r.include.contains("steps"))
    }
}

by_id!(
    IncidentWorkflow,
    "incident_workflow",
    incident_workflows,
    None,
    |r, x| render(r, x, true)
);

/// `{incident_workflow_instance: {…}}` of a start: the incident, and the run's id if the
/// caller picks it.
#[derive(Deserialize)]
struct InstanceBody {
    id: Option<String>,
    incident: Option<Ref>,
}

pub async fn start(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let inst: InstanceBody = typed(body, "incident_workflow_instance")?;
    let incident_id = inst
        .incident
        .map(|i| i.id)
        .filter(|i| !i.is_empty())
        .ok_or_else(|| ApiError::invalid("incident_workflow_instance.incident.id is required"))?;
    let run_id = match inst.id {
        None => None,
        Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => {
            return Err(ApiError::invalid(
                "incident_workflow_instance.id must be a non-empty string",
            ));
        }
    };
    ctx.write(|a| {
        let wi = position(&a.incident_workflows, &id, |w| &w.id)?;
        if !a.incident_workflows[wi].is_enabled {
            return Err(ApiError::invalid(format!(
                "Incident Workflow {id} is disabled; enable it before starting it"
            )));
        }
        let idx = a
            .incident_index(&incident_id)
            .ok_or_else(|| ApiError::invalid(format!("Incident {incident_id} not found")))?;
        let at = write_time();
        let run_id = match run_id {
            Some(r) => r,
            None => a.new_id(),
        };
        let name = a.incident_workflows[wi].name.clone();
        let agent = match &ctx.caller.acting_user {
            Some(u) => Agent::User(u.clone()),
            None => Agent::Service(a.incidents[idx].service_id.clone()),
        };
        Entry::new(
            "annotate_log_entry",
            at,
            idx,
            agent,
            format!("Incident workflow \"{name}\" started ({run_id})."),
        )
        .note(Some(format!(
            "Started incident workflow \"{name}\" ({id})."
        )))
        .record(a);
        let inc_id = a.incidents[idx].id.clone();
        a.incidents[idx].updated_at = at;
        a.incident_workflows[wi].runs.push(IncidentWorkflowRun {
            id: run_id.clone(),
            incident_id: inc_id,
            started_at: at,
            started_by: ctx.caller.acting_user.clone(),
        });
        let r = Render::new(a);
        Ok((
            StatusCode::CREATED,
            Json(json!({ "incident_workflow_instance": {
                "id": run_id,
                "type": "incident_workflow_instance",
                "incident": r.incident_ref(&a.incidents[idx]),
            }})),
        ))
    })
}
