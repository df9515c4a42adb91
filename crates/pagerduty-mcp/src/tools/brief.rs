//! `get_incident_brief`: what a responder reads first, in one call.

use futures::join;
use pagerduty::Window;
use pagerduty::api::incidents::AlertQuery;
use pagerduty::ids::IncidentId;
use pagerduty::models::{
    Alert, ChangeEvent, Incident, LogEntry, Note, PastIncident, RelatedIncident,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::bounded;
use crate::registry::{Domain, ToolDef, Tools};

const INCIDENTS: Tools = Tools(Domain::Incidents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENTS
            .read(
                "get_incident_brief",
                "Everything a responder reads first, in one call: the incident, its first alerts, \
                 notes, timeline, recent changes on the service, responders, and similar or \
                 related incidents. Start here when asked about an incident.",
                brief,
            )
            .titled("Incident brief"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BriefArgs {
    incident_id: IncidentId,
    /// Most items per section (alerts, notes, timeline, changes, similar incidents); default 5, at most 25.
    max_items: Option<u32>,
}

/// The brief. Sections PagerDuty could not supply are named in `unavailable`.
#[derive(Serialize, JsonSchema)]
struct Brief {
    incident: Incident,
    /// The first alerts, with their monitoring payload.
    alerts: Vec<Alert>,
    notes: Vec<Note>,
    /// State changes (trigger, acknowledge, escalate, assign, resolve), as PagerDuty lists them.
    timeline: Vec<LogEntry>,
    /// Deploys and config changes that may have caused it.
    recent_changes: Vec<ChangeEvent>,
    past_incidents: Vec<PastIncident>,
    related_incidents: Vec<RelatedIncident>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unavailable: Vec<String>,
}

async fn brief(ctx: Ctx, a: BriefArgs) -> Result<Brief, ToolError> {
    let n = bounded("max_items", a.max_items, 5, 25)?;
    let pd = &ctx.pd;
    let id = &a.incident_id;
    let window = Window {
        offset: 0,
        limit: n,
    };
    let all_alerts = AlertQuery::default();
    // The incident must exist; every other section is best effort and fetched at once.
    let (incident, alerts, notes, timeline, changes, past, related) = join!(
        pd.get_incident(id, &[]),
        pd.list_incident_alerts(id, &all_alerts, window),
        pd.list_incident_notes(id),
        pd.list_incident_log_entries(id, true, window),
        pd.list_incident_change_events(id, n),
        pd.get_past_incidents(id, n, false),
        pd.get_related_incidents(id, false),
    );
    let incident = incident?;
    let mut unavailable = Vec::new();
    let alerts = best_effort(alerts.map(|p| p.items), "alerts", &mut unavailable);
    let mut notes = best_effort(notes, "notes", &mut unavailable);
    // The latest notes matter most.
    let skip = notes.len().saturating_sub(n as usize);
    notes.drain(..skip);
    let timeline = best_effort(timeline.map(|p| p.items), "timeline", &mut unavailable);
    let recent_changes = best_effort(changes, "recent_changes", &mut unavailable);
    let past_incidents = best_effort(
        past.map(|p| p.past_incidents),
        "past_incidents",
        &mut unavailable,
    );
    let mut related_incidents = best_effort(related, "related_incidents", &mut unavailable);
    related_incidents.truncate(n as usize);
    Ok(Brief {
        incident,
        alerts,
        notes,
        timeline,
        recent_changes,
        past_incidents,
        related_incidents,
        unavailable,
    })
}

/// A best-effort section: what PagerDuty sent, or nothing and the reason in `unavailable`.
fn best_effort<T>(
    got: Result<Vec<T>, pagerduty::Error>,
    name: &str,
    unavailable: &mut Vec<String>,
) -> Vec<T> {
    got.unwrap_or_else(|e| {
        unavailable.push(format!("{name}: {}", crate::error::explain(&e)));
        Vec::new()
    })
}
