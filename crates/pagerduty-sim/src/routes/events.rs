//! The Events API v2 (`events.pagerduty.com`): `POST /v2/enqueue` and `POST /v2/change/enqueue`.
//!
//! A different API from REST: no `Authorization` header (the body's `routing_key`, a
//! service integration's 32-character key, says where the event goes, in whichever
//! account owns it), `202 {status, message, dedup_key}` on success and
//! `400 {status, message, errors[]}` on failure. Served on the same listener as REST.

use axum::{
    Json, Router,
    body::Body,
    extract::{Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::incidents::{NewIncident, open_incident, resolve_as, trigger_as};
use super::write_time;
use crate::AppState;
use crate::log_entries::Entry;
use crate::store::{
    Account, Agent, Alert, AlertStatus, ChangeEvent, IncidentStatus, Severity, Urgency,
};

/// PagerDuty's documented payload limit.
pub const MAX_BODY: usize = 512 * 1024;
const MAX_SUMMARY: usize = 1024;
const MAX_DEDUP_KEY: usize = 255;
const ACTIONS: &[&str] = &["trigger", "acknowledge", "resolve"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v2/enqueue", post(enqueue))
        .route("/v2/change/enqueue", post(change_enqueue))
}

/// An Events API failure: `{status, message, errors[]}`.
#[derive(Debug)]
pub struct EventError {
    status: StatusCode,
    short: &'static str,
    message: &'static str,
    errors: Vec<String>,
}

impl EventError {
    fn invalid(errors: Vec<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            short: "invalid event",
            message: "Event object is invalid",
            errors,
        }
    }
    fn unrecognized(error: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            short: "Unrecognized object",
            message: "Event object format is unrecognized",
            errors: vec![error.into()],
        }
    }
}

impl IntoResponse for EventError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"status": self.short, "message": self.message, "errors": self.errors})),
        )
            .into_response()
    }
}

type EventResult<T> = Result<T, EventError>;

/// Reads the body as a JSON object, refusing bodies over 512 KB.
async fn body_object(req: Request) -> EventResult<Map<String, Value>> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Err(EventError::unrecognized(
            "Content-Type must be application/json",
        ));
    }
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY + 1)
        .await
        .map_err(|_| {
            EventError::invalid(vec![format!(
                "Event is too large: the body exceeds the 512 KB ({MAX_BODY} bytes) limit"
            )])
        })?;
    if bytes.len() > MAX_BODY {
        return Err(EventError::invalid(vec![format!(
            "Event is too large: the body exceeds the 512 KB ({MAX_BODY} bytes) limit"
        )]));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(EventError::unrecognized("Event must be a JSON object")),
        Err(_) => Err(EventError::unrecognized("JSON parse error")),
    }
}

fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    field: &str,
    path: &str,
    errs: &mut Vec<String>,
) -> Option<&'a str> {
    match obj.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            errs.push(format!("'{path}{field}' must be a string"));
            None
        }
    }
}

fn check_timestamp(
    obj: &Map<String, Value>,
    path: &str,
    errs: &mut Vec<String>,
) -> Option<Timestamp> {
    let raw = opt_str(obj, "timestamp", path, errs)?;
    match raw.parse::<Timestamp>() {
        Ok(t) => Some(t),
        Err(_) => {
            // PagerDuty also accepts offsets without a colon (`+0000`).
            let fixed = fix_offset(raw);
            match fixed.parse::<Timestamp>() {
                Ok(t) => Some(t),
                Err(_) => {
                    errs.push(format!("'{path}timestamp' must be an ISO 8601 date-time"));
                    None
                }
            }
        }
    }
}

fn fix_offset(raw: &str) -> String {
    let b = raw.as_bytes();
    if b.len() > 5 {
        let tail = &raw[raw.len() - 5..];
        if (tail.starts_with('+') || tail.starts_with('-'))
            && tail[1..].bytes().all(|c| c.is_ascii_digit())
        {
            return format!("{}{}:{}", &raw[..raw.len() - 5], &tail[..3], &tail[3..]);
        }
    }
    raw.to_string()
}

/// `links[]` ({href, text?}) and `images[]` ({src, href?, alt?}).
fn check_links_images(obj: &Map<String, Value>, errs: &mut Vec<String>) -> Vec<(String, String)> {
    let mut links = Vec::new();
    match obj.get("links") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, l) in items.iter().enumerate() {
                match l.get("href").and_then(Value::as_str) {
                    Some(href) if !href.trim().is_empty() => links.push((
                        href.to_string(),
                        l.get("text")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                    )),
                    _ => errs.push(format!("'links[{i}].href' is missing or blank")),
                }
            }
        }
        Some(_) => errs.push("'links' must be an array".into()),
    }
    match obj.get("images") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, img) in items.iter().enumerate() {
                if img
                    .get("src")
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    errs.push(format!("'images[{i}].src' is missing or blank"));
                }
            }
        }
        Some(_) => errs.push("'images' must be an array".into()),
    }
    links
}

/// (account index, service id, integration id) owning a routing key, in any account.
fn route_of(st: &AppState, routing_key: &str) -> Option<(usize, String, String)> {
    let store = st.store.read().unwrap_or_else(|e| e.into_inner());
    store.accounts.iter().enumerate().find_map(|(ai, a)| {
        a.services.iter().find_map(|s| {
            s.integrations
                .iter()
                .find(|i| i.integration_key == routing_key)
                .map(|i| (ai, s.id.clone(), i.id.clone()))
        })
    })
}

fn routing_key<'a>(obj: &'a Map<String, Value>, errs: &mut Vec<String>) -> Option<&'a str> {
    match obj.get("routing_key") {
        Some(Value::String(k)) if !k.trim().is_empty() => {
            if k.len() != 32 {
                errs.push("'routing_key' must be 32 characters long".into());
                None
            } else {
                Some(k)
            }
        }
        _ => {
            errs.push("'routing_key' is missing or blank".into());
            None
        }
    }
}

/// Runs `f` on a copy of account `ai`, committing on success.
fn write_account<R>(st: &AppState, ai: usize, f: impl FnOnce(&mut Account) -> R) -> Option<R> {
    let mut store = st.store.write().unwrap_or_else(|e| e.into_inner());
    let acct = store.accounts.get_mut(ai)?;
    Some(f(acct))
}

fn unknown_key() -> EventError {
    EventError::invalid(vec![
        "'routing_key' does not match any Events API v2 integration".into(),
    ])
}

fn accepted(dedup_key: Option<&str>, message: &str) -> Response {
    let mut body = json!({"status": "success", "message": message});
    if let Some(k) = dedup_key {
        body["dedup_key"] = json!(k);
    }
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

/// `POST /v2/enqueue`.
pub async fn enqueue(State(st): State<AppState>, req: Request<Body>) -> EventResult<Response> {
    let obj = body_object(req).await?;
    let mut errs = Vec::new();
    let key = routing_key(&obj, &mut errs);
    let action = match obj.get("event_action").and_then(Value::as_str) {
        Some(a) if ACTIONS.contains(&a) => Some(a),
        Some(_) => {
            errs.push("'event_action' must be one of trigger, acknowledge, resolve".into());
            None
        }
        None => {
            errs.push("'event_action' is missing or blank".into());
            None
        }
    };
    let dedup = opt_str(&obj, "dedup_key", "", &mut errs).filter(|k| !k.is_empty());
    if dedup.is_some_and(|k| k.chars().count() > MAX_DEDUP_KEY) {
        errs.push(format!(
            "'dedup_key' must be at most {MAX_DEDUP_KEY} characters"
        ));
    }
    if matches!(action, Some("acknowledge" | "resolve")) && dedup.is_none() {
        errs.push("'dedup_key' is required for acknowledge and resolve events".into());
    }
    opt_str(&obj, "client", "", &mut errs);
    opt_str(&obj, "client_url", "", &mut errs);
    check_links_images(&obj, &mut errs);
    let mut trigger = None;
    if action == Some("trigger") {
        match obj.get("payload") {
            Some(Value::Object(p)) => {
                let summary = summary(p, &mut errs);
                match p.get("source") {
                    Some(Value::String(s)) if !s.trim().is_empty() => {}
                    _ => errs.push("'payload.source' is missing or blank".into()),
                }
                let given = p.get("severity").and_then(Value::as_str);
                let severity = match given.map(Severity::parse) {
                    Some(Some(s)) => Some(s),
                    Some(None) => {
                        errs.push(
                            "'payload.severity' must be one of critical, error, warning, info"
                                .into(),
                        );
                        None
                    }
                    None => {
                        errs.push("'payload.severity' is missing or blank".into());
                        None
                    }
                };
                for f in ["component", "group", "class", "source"] {
                    opt_str(p, f, "payload.", &mut errs);
                }
                check_timestamp(p, "payload.", &mut errs);
                if let (Some(summary), Some(severity)) = (summary, severity) {
                    trigger = Some((summary, severity, Value::Object(p.clone())));
                }
            }
            _ => errs.push("'payload' is missing or not an object".into()),
        }
    }
    let (Some(key), Some(action), true) = (key, action, errs.is_empty()) else {
        return Err(EventError::invalid(errs));
    };
    let Some((ai, svc_id, integration_id)) = route_of(&st, key) else {
        return Err(unknown_key());
    };
    let at = write_time();
    // Maintenance windows are judged on the simulator's clock (fixed in tests).
    let clock = st.current();
    let dedup_key = match dedup {
        Some(k) => k.to_string(),
        None => new_dedup_key(at),
    };
    write_account(&st, ai, |a| {
        let found = open_alert(a, &integration_id, &svc_id, &dedup_key);
        match (action, found, trigger) {
            ("trigger", Some((ii, _)), _) => {
                // A repeat trigger is deduplicated into the same alert and incident.
                a.incidents[ii].updated_at = at;
            }
            // A service in an active maintenance window opens no incident: the
            // event is accepted and dropped, as PagerDuty does.
            ("trigger", None, Some((summary, severity, payload)))
                if !a.in_maintenance(&svc_id, clock) =>
            {
                new_incident(
                    a,
                    &svc_id,
                    &integration_id,
                    &dedup_key,
                    summary,
                    severity,
                    payload,
                    at,
                );
            }
            ("acknowledge", Some((ii, _)), _)
                if a.incidents[ii].status == IncidentStatus::Triggered =>
            {
                acknowledge_as_service(a, ii, &svc_id, at);
            }
            ("resolve", Some((ii, al)), _) => {
                match al {
                    Some(al) => a.incidents[ii].alerts[al].status = AlertStatus::Resolved,
                    None => a.incidents[ii]
                        .alerts
                        .iter_mut()
                        .for_each(|al| al.status = AlertStatus::Resolved),
                }
                if a.incidents[ii]
                    .alerts
                    .iter()
                    .all(|al| al.status == AlertStatus::Resolved)
                {
                    resolve_as(a, ii, Agent::Service(svc_id.clone()), None, at);
                }
                a.incidents[ii].updated_at = at;
            }
            // Acknowledge/resolve with no open alert: accepted and dropped, as PagerDuty does.
            _ => {}
        }
    })
    .ok_or_else(unknown_key)?;
    Ok(accepted(Some(&dedup_key), "Event processed"))
}

fn new_dedup_key(at: Timestamp) -> String {
    let n = at.as_nanosecond().unsigned_abs();
    format!("{:032x}", n ^ (n.rotate_left(64) >> 7))
}

/// The open incident (and its triggered alert, if the key names one) that `dedup_key`
/// refers to on this integration's service.
fn open_alert(
    a: &Account,
    integration_id: &str,
    svc_id: &str,
    dedup_key: &str,
) -> Option<(usize, Option<usize>)> {
    let by_alert = a.incidents.iter().enumerate().find_map(|(ii, inc)| {
        if !inc.is_open() {
            return None;
        }
        inc.alerts
            .iter()
            .position(|al| {
                al.status == AlertStatus::Triggered
                    && al.alert_key == dedup_key
                    && al.integration_id.as_deref() == Some(integration_id)
            })
            .map(|al| (ii, Some(al)))
    });
    by_alert.or_else(|| {
        a.incidents
            .iter()
            .position(|i| i.is_open() && i.service_id == svc_id && i.incident_key == dedup_key)
            .map(|ii| (ii, None))
    })
}

#[allow(clippy::too_many_arguments)]
fn new_incident(
    a: &mut Account,
    svc_id: &str,
    integration_id: &str,
    dedup_key: &str,
    summary: String,
    severity: Severity,
    payload: Value,
    at: Timestamp,
) {
    let Some(svc) = a.service(svc_id).cloned() else {
        return;
    };
    let urgency = match svc.incident_urgency.as_deref() {
        Some("severity_based") => {
            if matches!(severity, Severity::Critical | Severity::Error) {
                Urgency::High
            } else {
                Urgency::Low
            }
        }
        Some(u) => Urgency::parse(u).unwrap_or(Urgency::High),
        None => Urgency::High,
    };
    let alert = Alert {
        id: a.new_id(),
        created_at: at,
        status: AlertStatus::Triggered,
        alert_key: dedup_key.to_string(),
        severity,
        summary: summary.clone(),
        details: payload,
        integration_id: Some(integration_id.to_string()),
    };
    let idx = open_incident(
        a,
        NewIncident {
            title: summary,
            service_id: svc.id.clone(),
            incident_key: dedup_key.to_string(),
            escalation_policy_id: svc.escalation_policy_id.clone(),
            urgency,
            priority_id: None,
            body_details: None,
            alerts: vec![alert],
            team_ids: svc.team_ids.clone(),
            agent: Agent::Service(svc.id.clone()),
            trigger_summary: "Triggered through the Events API v2.".into(),
        },
        at,
    );
    // With nobody on call PagerDuty still opens the incident, unassigned.
    let _ = trigger_as(
        a,
        idx,
        Agent::Service(svc.id.clone()),
        None,
        at,
        "assign_log_entry",
    );
}

fn acknowledge_as_service(a: &mut Account, idx: usize, svc_id: &str, at: Timestamp) {
    Entry::new(
        "acknowledge_log_entry",
        at,
        idx,
        Agent::Service(svc_id.to_string()),
        "Acknowledged through the Events API v2.",
    )
    .record(a);
    let inc = &mut a.incidents[idx];
    inc.status = IncidentStatus::Acknowledged;
    inc.last_status_change_at = at;
    inc.last_status_change_by = Agent::Service(svc_id.to_string());
    inc.updated_at = at;
}

/// `payload.summary`: required, not blank, at most `MAX_SUMMARY` characters (an over-long one
/// is kept, so the other checks still run).
fn summary(p: &serde_json::Map<String, Value>, errs: &mut Vec<String>) -> Option<String> {
    match p.get("summary") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.chars().count() > MAX_SUMMARY {
                errs.push(format!(
                    "'payload.summary' must be at most {MAX_SUMMARY} characters"
                ));
            }
            Some(s.clone())
        }
        _ => {
            errs.push("'payload.summary' is missing or blank".into());
            None
        }
    }
}

/// `POST /v2/change/enqueue`.
pub async fn change_enqueue(
    State(st): State<AppState>,
    req: Request<Body>,
) -> EventResult<Response> {
    let obj = body_object(req).await?;
    let mut errs = Vec::new();
    let key = routing_key(&obj, &mut errs);
    let links = check_links_images(&obj, &mut errs);
    let mut fields = None;
    match obj.get("payload") {
        Some(Value::Object(p)) => {
            let summary = summary(p, &mut errs);
            let source = opt_str(p, "source", "payload.", &mut errs).map(str::to_string);
            let timestamp = check_timestamp(p, "payload.", &mut errs);
            let details = match p.get("custom_details") {
                None | Some(Value::Null) => json!({}),
                Some(v @ Value::Object(_)) => v.clone(),
                Some(_) => {
                    errs.push("'payload.custom_details' must be an object".into());
                    Value::Null
                }
            };
            if let Some(summary) = summary {
                fields = Some((summary, source, timestamp, details));
            }
        }
        _ => errs.push("'payload' is missing or not an object".into()),
    }
    let (Some(key), Some((summary, source, timestamp, details)), true) =
        (key, fields, errs.is_empty())
    else {
        return Err(EventError::invalid(errs));
    };
    let Some((ai, svc_id, integration_id)) = route_of(&st, key) else {
        return Err(unknown_key());
    };
    let at = timestamp.unwrap_or_else(write_time);
    write_account(&st, ai, |a| {
        let ev = ChangeEvent {
            id: a.new_id(),
            summary,
            timestamp: at,
            source: source.unwrap_or_default(),
            service_ids: vec![svc_id],
            integration_id: Some(integration_id),
            routing_key: key.to_string(),
            links,
            custom_details: details,
        };
        let pos = a.change_events.partition_point(|c| c.timestamp <= at);
        a.change_events.insert(pos, ev);
    })
    .ok_or_else(unknown_key)?;
    Ok(accepted(None, "Change event processed"))
}
