//! Triage writes: merge duplicate incidents into one, snooze an acknowledged incident, tell
//! stakeholders how it is going.

use pagerduty::ids::IncidentId;
use pagerduty::models::{Incident, Reference, StatusUpdate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Access, Domain, ToolDef, Tools};

/// PagerDuty's snooze limit: a week.
const MAX_SNOOZE_MINUTES: u32 = 7 * 24 * 60;
/// The most sources one merge takes.
const MAX_SOURCES: usize = 25;

const INCIDENTS: Tools = Tools(Domain::Incidents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENTS.write(
            Access::Write {
                destructive: true,
                idempotent: false,
            },
            "merge_incidents",
            "Merge duplicate incidents into one: the sources' alerts move into the target \
             incident and the sources are resolved. All must be open.",
            merge,
        ),
        INCIDENTS.write(
            Access::Write {
                destructive: false,
                idempotent: false,
            },
            "snooze_incident",
            "Quiet an acknowledged incident for duration_minutes (1-10080); when that ends it \
             triggers again and pages the on-call.",
            snooze,
        ),
        INCIDENTS
            .write(
                Access::Write {
                    destructive: false,
                    idempotent: false,
                },
                "send_status_update",
                "Post a stakeholder status update on an incident (what is known, what is being \
                 done, next update); its subscribers are notified. Optional custom email: subject \
                 plus html_message.",
                status_update,
            )
            .titled("Send incident status update"),
    ]
}

/// PagerDuty's web app caps a status update at this many characters.
const MAX_MESSAGE: usize = 65_535;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct StatusUpdateArgs {
    incident_id: IncidentId,
    /// Plain text, sent to the incident's status update subscribers.
    message: String,
    /// Custom email subject; give html_message too.
    subject: Option<String>,
    /// Custom email HTML body; give subject too.
    html_message: Option<String>,
}

async fn status_update(ctx: Ctx, a: StatusUpdateArgs) -> Result<StatusUpdate, ToolError> {
    let message = a.message.trim();
    if message.is_empty() || message.len() > MAX_MESSAGE {
        return Err(ToolError::invalid(
            "message",
            format!("must be 1 to {MAX_MESSAGE} characters"),
        ));
    }
    let email = match (a.subject.as_deref(), a.html_message.as_deref()) {
        (None, None) => None,
        (Some(s), Some(h)) if !s.trim().is_empty() && !h.trim().is_empty() => Some((s, h)),
        _ => {
            return Err(ToolError::invalid(
                "subject",
                "a custom email needs both subject and html_message (or neither)",
            ));
        }
    };
    Ok(ctx
        .pd
        .send_status_update(&a.incident_id, message, email)
        .await?)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MergeArgs {
    /// The incident that stays open and receives the alerts.
    target_incident_id: IncidentId,
    /// The incidents merged into it (and resolved), at most 25.
    source_incident_ids: Vec<IncidentId>,
}

#[derive(Serialize, JsonSchema)]
struct Merged {
    target: Reference,
    /// Now resolved; their alerts are on the target.
    merged: Vec<IncidentId>,
    message: String,
}

async fn merge(ctx: Ctx, a: MergeArgs) -> Result<Merged, ToolError> {
    let mut sources: Vec<IncidentId> = Vec::new();
    for id in a.source_incident_ids {
        if id == a.target_incident_id {
            return Err(ToolError::invalid(
                "source_incident_ids",
                format!("{id} is the target; an incident cannot be merged into itself"),
            ));
        }
        if !sources.contains(&id) {
            sources.push(id);
        }
    }
    if sources.is_empty() || sources.len() > MAX_SOURCES {
        return Err(ToolError::invalid(
            "source_incident_ids",
            format!("name 1 to {MAX_SOURCES} incidents, got {}", sources.len()),
        ));
    }
    let target = ctx
        .pd
        .merge_incidents(&a.target_incident_id, &sources)
        .await?;
    let message = format!(
        "Merged {} incident(s) into {}; they are resolved and their alerts are on it.",
        sources.len(),
        target.summary.as_deref().unwrap_or(&target.id)
    );
    Ok(Merged {
        target,
        merged: sources,
        message,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SnoozeArgs {
    incident_id: IncidentId,
    /// 1-10080 (a week).
    duration_minutes: u32,
}

async fn snooze(ctx: Ctx, a: SnoozeArgs) -> Result<Incident, ToolError> {
    if a.duration_minutes == 0 || a.duration_minutes > MAX_SNOOZE_MINUTES {
        return Err(ToolError::invalid(
            "duration_minutes",
            format!(
                "must be between 1 and {MAX_SNOOZE_MINUTES} (a week), got {}",
                a.duration_minutes
            ),
        ));
    }
    Ok(ctx
        .pd
        .snooze_incident(&a.incident_id, a.duration_minutes * 60)
        .await?)
}
