//! The incident lifecycle: open, trigger (assign by escalation policy), acknowledge, resolve,
//! each with its log entry. Shared by the REST routes (`routes/incidents.rs`), the Events API
//! (`routes/events.rs`) and triage writes; the routes only parse and render.

use axum::http::StatusCode;
use jiff::Timestamp;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::escalation::{first_staffed_level, level_on_call};
use crate::log_entries::Entry;
use crate::store::{Account, Agent, Alert, AlertStatus, Incident, IncidentStatus, Note, Urgency};

pub(crate) fn user_name(a: &Account, id: &str) -> String {
    a.user(id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| "a user".into())
}

pub(crate) fn assign(
    a: &mut Account,
    idx: usize,
    users: Vec<String>,
    via: &str,
    agent: Agent,
    kind: &str,
    at: Timestamp,
) {
    let names: Vec<String> = users.iter().map(|u| user_name(a, u)).collect();
    let summary = format!(
        "{} {}.",
        if kind == "escalate_log_entry" {
            "Escalated to"
        } else {
            "Assigned to"
        },
        names.join(", ")
    );
    Entry::new(kind, at, idx, agent, summary)
        .assignees(users.clone())
        .record(a);
    let inc = &mut a.incidents[idx];
    inc.assignments = users.into_iter().map(|u| (u, at)).collect();
    inc.assigned_via = via.into();
}

pub(crate) fn resolve(
    a: &mut Account,
    idx: usize,
    user: &str,
    note: Option<String>,
    at: Timestamp,
) {
    resolve_as(a, idx, Agent::User(user.into()), note, at);
}

/// Resolves as `agent` (a user, or a service for Events API resolves).
pub(crate) fn resolve_as(
    a: &mut Account,
    idx: usize,
    agent: Agent,
    note: Option<String>,
    at: Timestamp,
) {
    let summary = match &agent {
        Agent::User(user) => format!("Resolved by {}.", user_name(a, user)),
        Agent::Service(_) => "Resolved through the integration API.".to_string(),
    };
    Entry::new("resolve_log_entry", at, idx, agent.clone(), summary)
        .note(note)
        .record(a);
    let inc = &mut a.incidents[idx];
    inc.status = IncidentStatus::Resolved;
    inc.resolved_at = Some(at);
    inc.assignments.clear();
    inc.last_status_change_at = at;
    inc.last_status_change_by = agent;
    for al in &mut inc.alerts {
        al.status = AlertStatus::Resolved;
    }
}

/// Adds `note` to incident `idx`, with the log entry that shows it.
pub(crate) fn add_note(a: &mut Account, idx: usize, note: Note) {
    let author = Agent::User(note.user_id.clone());
    Entry::new(
        "annotate_log_entry",
        note.created_at,
        idx,
        author,
        "Note added",
    )
    .channel("note")
    .note(Some(note.content.clone()))
    .record(a);
    a.incidents[idx].notes.push(note);
}

pub(crate) fn acknowledge(a: &mut Account, idx: usize, user: &str, at: Timestamp) {
    let summary = format!("Acknowledged by {}.", user_name(a, user));
    Entry::new(
        "acknowledge_log_entry",
        at,
        idx,
        Agent::User(user.into()),
        summary,
    )
    .record(a);
    let inc = &mut a.incidents[idx];
    inc.status = IncidentStatus::Acknowledged;
    inc.acknowledgements.retain(|(u, _)| u != user);
    inc.acknowledgements.push((user.into(), at));
    if !inc.assignments.iter().any(|(u, _)| u == user) {
        inc.assignments.push((user.into(), at));
    }
    inc.last_status_change_at = at;
    inc.last_status_change_by = Agent::User(user.into());
}

/// (Re)triggers: assigns by the escalation policy from level `level`.
pub(crate) fn trigger(
    a: &mut Account,
    idx: usize,
    user: &str,
    level: Option<usize>,
    at: Timestamp,
    kind: &str,
) -> ApiResult<()> {
    trigger_as(a, idx, Agent::User(user.into()), level, at, kind)
}

/// (Re)triggers as `agent` (a user, or a service for Events API triggers).
pub(crate) fn trigger_as(
    a: &mut Account,
    idx: usize,
    agent: Agent,
    level: Option<usize>,
    at: Timestamp,
    kind: &str,
) -> ApiResult<()> {
    let ep = a.incidents[idx].escalation_policy_id.clone();
    let (level, who) = match level {
        Some(l) => (l, level_on_call(a, &ep, l, at)),
        None => first_staffed_level(a, &ep, at),
    };
    if who.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            1015,
            "Escalation Policy Has No User On Call",
        ));
    }
    {
        let inc = &mut a.incidents[idx];
        inc.retrigger();
        inc.escalation_level = level;
        inc.last_status_change_at = at;
        inc.last_status_change_by = agent.clone();
    }
    assign(a, idx, who, "escalation_policy", agent, kind, at);
    Ok(())
}

/// What a new incident starts with; shared by `POST /incidents` and Events API triggers.
pub(crate) struct NewIncident {
    pub title: String,
    pub service_id: String,
    pub incident_key: String,
    pub escalation_policy_id: String,
    pub urgency: Urgency,
    pub priority_id: Option<String>,
    pub body_details: Option<Value>,
    pub alerts: Vec<Alert>,
    pub team_ids: Vec<String>,
    /// Who triggered it (a user, or the service for Events API triggers).
    pub agent: Agent,
    /// The trigger log entry's summary.
    pub trigger_summary: String,
}

/// Appends a triggered, not yet assigned incident with its trigger log entry; returns its index.
/// Callers assign it (directly, or by escalation policy with `trigger_as`).
pub(crate) fn open_incident(a: &mut Account, new: NewIncident, at: Timestamp) -> usize {
    let id = a.new_id();
    let number = a.next_incident_number();
    a.incidents.push(Incident {
        id,
        number,
        title: new.title,
        created_at: at,
        updated_at: at,
        status: IncidentStatus::Triggered,
        incident_key: new.incident_key,
        service_id: new.service_id,
        escalation_policy_id: new.escalation_policy_id,
        escalation_level: 1,
        urgency: new.urgency,
        priority_id: new.priority_id,
        assignments: vec![],
        assigned_via: "escalation_policy".into(),
        acknowledgements: vec![],
        resolved_at: None,
        last_status_change_at: at,
        last_status_change_by: new.agent.clone(),
        body_details: new.body_details,
        alerts: new.alerts,
        notes: vec![],
        responders: vec![],
        responder_requests: vec![],
        first_trigger_log_entry_id: String::new(),
        team_ids: new.team_ids,
    });
    let idx = a.incidents.len() - 1;
    let trig = Entry::new("trigger_log_entry", at, idx, new.agent, new.trigger_summary).record(a);
    a.incidents[idx].first_trigger_log_entry_id = trig;
    idx
}
