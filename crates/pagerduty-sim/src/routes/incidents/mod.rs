//! Incidents and their sub-resources (notes, alerts, log entries, responder
//! requests). Writes go through `apply_update`, shared by the single and the
//! bulk PUT.

use std::cmp::Ordering;

use axum::{Json, extract::Path, http::StatusCode};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, PdJson, renderer, req_object, req_str, write_time};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
pub(crate) use crate::incidents::{
    NewIncident, acknowledge, assign, open_incident, resolve, resolve_as, trigger, trigger_as,
    user_name,
};
use crate::log_entries::Entry;
use crate::paging::Params;
use crate::store::{Account, Agent, Incident, IncidentStatus, Urgency};

mod parts;
pub use parts::{alert, alerts, create_note, log_entries, notes, responder_request};

const STATUSES: &[&str] = &["triggered", "acknowledged", "resolved"];
const URGENCIES: &[&str] = &["high", "low"];
const INCLUDES: &[&str] = &[
    "acknowledgers",
    "agents",
    "assignees",
    "conference_bridge",
    "escalation_policies",
    "first_trigger_log_entries",
    "priorities",
    "services",
    "teams",
    "users",
    "body",
    "custom_fields",
];
const MAX_BULK: usize = 250;
const MAX_RANGE: SignedDuration = SignedDuration::from_hours(183 * 24);

fn sort_key(field: &str, a: &Incident, b: &Incident) -> Ordering {
    match field {
        "incident_number" => a.number.cmp(&b.number),
        "created_at" => a.created_at.cmp(&b.created_at),
        "resolved_at" => a.resolved_at.cmp(&b.resolved_at),
        // high sorts before low ascending, as "more urgent first".
        _ => a.urgency.cmp(&b.urgency),
    }
}

/// `sort_by=field[:asc|:desc][,field...]`, at most two fields.
fn parse_sort(p: &Params) -> ApiResult<Vec<(String, bool)>> {
    let Some(raw) = p.get("sort_by").filter(|s| !s.is_empty()) else {
        return Ok(vec![("created_at".into(), false)]);
    };
    let mut out = Vec::new();
    for part in raw.split(',') {
        let (field, dir) = part.trim().split_once(':').unwrap_or((part.trim(), "asc"));
        if !["incident_number", "created_at", "resolved_at", "urgency"].contains(&field)
            || !["asc", "desc"].contains(&dir)
        {
            return Err(ApiError::invalid(format!(
                "sort_by '{part}' is invalid; use incident_number, created_at, resolved_at or urgency with :asc or :desc"
            )));
        }
        out.push((field.to_string(), dir == "desc"));
    }
    if out.len() > 2 {
        return Err(ApiError::invalid("sort_by accepts at most two fields"));
    }
    Ok(out)
}

/// Time window for the list: default the last 30 days; at most 6 months.
fn date_window(st: &AppState, p: &Params) -> ApiResult<Option<(Timestamp, Timestamp)>> {
    if p.get("date_range") == Some("all") {
        return Ok(None);
    }
    if let Some(v) = p.get("date_range").filter(|v| !v.is_empty()) {
        return Err(ApiError::invalid(format!(
            "date_range '{v}' is invalid; the only value is 'all'"
        )));
    }
    // Writes stamp real time; keep them inside the default window even when
    // the seeded "now" is fixed in the past.
    let latest = st
        .current()
        .max(Timestamp::now())
        .checked_add(SignedDuration::from_mins(1))
        .unwrap_or(st.now);
    let since = p.timestamp("since")?;
    let until = p.timestamp("until")?;
    let until_v = until.unwrap_or(latest);
    let since_v = since.unwrap_or_else(|| {
        let base = if until.is_some() {
            until_v
        } else {
            st.current()
        };
        base.checked_sub(SignedDuration::from_hours(30 * 24))
            .unwrap_or(base)
    });
    if since_v > until_v {
        return Err(ApiError::invalid("since must be before until"));
    }
    // The span limit is about what the caller asked for; the defaulted end
    // (stretched to cover real-time writes) does not count.
    if until
        .unwrap_or_else(|| st.current())
        .duration_since(since_v)
        > MAX_RANGE
    {
        return Err(ApiError::invalid(
            "The time range between since and until must be 6 months or less",
        ));
    }
    Ok(Some((since_v, until_v)))
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    let statuses: Vec<IncidentStatus> = p
        .enum_list("statuses[]", STATUSES)?
        .iter()
        .filter_map(|s| IncidentStatus::parse(s))
        .collect();
    let urgencies: Vec<Urgency> = p
        .enum_list("urgencies[]", URGENCIES)?
        .iter()
        .filter_map(|s| Urgency::parse(s))
        .collect();
    let sort = parse_sort(&p)?;
    let window = date_window(&ctx.st, &p)?;
    ctx.read(|a| {
        let r = renderer(a, &p, INCLUDES)?;
        let (svcs, teams, users, prios) = (
            p.set("service_ids[]"),
            p.set("team_ids[]"),
            p.set("user_ids[]"),
            p.set("priority_ids[]"),
        );
        let key = p.get("incident_key");
        let mut v: Vec<&Incident> = a
            .incidents
            .iter()
            .filter(|i| window.is_none_or(|(s, u)| i.created_at >= s && i.created_at < u))
            .filter(|i| statuses.is_empty() || statuses.contains(&i.status))
            .filter(|i| urgencies.is_empty() || urgencies.contains(&i.urgency))
            .filter(|i| svcs.is_empty() || svcs.contains(&i.service_id))
            .filter(|i| teams.is_empty() || i.team_ids.iter().any(|t| teams.contains(t)))
            // Assignment only exists on open incidents, so this also limits to them.
            .filter(|i| users.is_empty() || i.assignments.iter().any(|(u, _)| users.contains(u)))
            .filter(|i| {
                prios.is_empty() || i.priority_id.as_ref().is_some_and(|x| prios.contains(x))
            })
            .filter(|i| key.is_none_or(|k| i.incident_key == k))
            .collect();
        v.sort_by(|x, y| {
            sort.iter().fold(Ordering::Equal, |acc, (f, desc)| {
                acc.then_with(|| {
                    if *desc {
                        sort_key(f, y, x)
                    } else {
                        sort_key(f, x, y)
                    }
                })
            })
        });
        Ok(Json(
            p.page()?.wrap_rendering("incidents", v, |i| r.incident(i)),
        ))
    })
}

fn incident_or_404<'a>(a: &'a Account, id: &str) -> ApiResult<&'a Incident> {
    a.incident(id).ok_or_else(ApiError::not_found)
}

pub async fn get(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, INCLUDES)?;
        Ok(Json(
            json!({ "incident": r.incident(incident_or_404(a, &id)?) }),
        ))
    })
}

fn ref_id<'a>(v: &'a Value, what: &str) -> ApiResult<&'a str> {
    v.get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid(format!("{what}.id is required")))
}

/// Priority by reference object or by name (a string), as the API accepts.
fn resolve_priority(a: &Account, v: &Value) -> ApiResult<Option<String>> {
    let found = match v {
        Value::Null => return Ok(None),
        Value::String(name) => a
            .priorities
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name)),
        obj => a.priority(ref_id(obj, "priority")?),
    };
    found.map(|p| Some(p.id.clone())).ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, 1020, "Invalid Priority")
            .with_errors(vec!["Priority not found".into()])
    })
}

fn parse_assignees(a: &Account, v: &Value) -> ApiResult<Vec<String>> {
    let arr = v
        .as_array()
        .ok_or_else(|| ApiError::invalid("assignments must be an array"))?;
    let mut out = Vec::new();
    for item in arr {
        let id = ref_id(
            item.get("assignee").unwrap_or(&Value::Null),
            "assignments[].assignee",
        )?;
        if a.user(id).is_none() {
            return Err(
                ApiError::new(StatusCode::BAD_REQUEST, 1007, "Assigned To User Not Found")
                    .with_errors(vec![format!("User {id} not found")]),
            );
        }
        if !out.iter().any(|x: &String| x == id) {
            out.push(id.to_string());
        }
    }
    if out.is_empty() {
        return Err(ApiError::invalid("assignments must not be empty"));
    }
    Ok(out)
}

/// Applies one incident update (`PUT /incidents/{id}` or an element of the bulk PUT).
fn apply_update(
    a: &mut Account,
    idx: usize,
    body: &Value,
    user: &str,
    at: Timestamp,
) -> ApiResult<()> {
    match body.get("type").and_then(Value::as_str) {
        Some("incident" | "incident_reference") => {}
        _ => {
            return Err(ApiError::invalid(
                "incident.type must be 'incident' or 'incident_reference'",
            ));
        }
    }
    let was_resolved = !a.incidents[idx].is_open();
    if let Some(t) = body.get("title") {
        let t = t
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::invalid("title must be a non-empty string"))?;
        a.incidents[idx].title = t.into();
    }
    if let Some(u) = body.get("urgency") {
        let u = u
            .as_str()
            .and_then(Urgency::parse)
            .ok_or_else(|| ApiError::invalid("urgency must be high or low"))?;
        if a.incidents[idx].urgency != u {
            a.incidents[idx].urgency = u;
            Entry::new(
                "urgency_change_log_entry",
                at,
                idx,
                Agent::User(user.into()),
                format!("Urgency changed to {u}."),
            )
            .record(a);
        }
    }
    if let Some(pv) = body.get("priority") {
        a.incidents[idx].priority_id = resolve_priority(a, pv)?;
    }
    if let Some(ep) = body.get("escalation_policy") {
        let id = ref_id(ep, "escalation_policy")?;
        if a.escalation_policy(id).is_none() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                1014,
                "Escalation Policy Not Found",
            ));
        }
        a.incidents[idx].escalation_policy_id = id.into();
        if a.incidents[idx].is_open() {
            trigger(a, idx, user, None, at, "assign_log_entry")?;
        }
    }
    if let Some(lv) = body.get("escalation_level") {
        let levels = a
            .escalation_policy(&a.incidents[idx].escalation_policy_id)
            .map(|e| e.rules.len())
            .unwrap_or(0);
        let level = lv
            .as_u64()
            .map(|l| l as usize)
            .filter(|l| (1..=levels).contains(l))
            .ok_or_else(|| {
                ApiError::new(StatusCode::BAD_REQUEST, 1006, "Cannot Escalate").with_errors(vec![
                    format!("escalation_level must be between 1 and {levels}"),
                ])
            })?;
        if was_resolved {
            return Err(ApiError::already_resolved());
        }
        trigger(a, idx, user, Some(level), at, "escalate_log_entry")?;
    }
    if let Some(asg) = body.get("assignments") {
        let users = parse_assignees(a, asg)?;
        if was_resolved && body.get("status").and_then(Value::as_str) != Some("triggered") {
            return Err(ApiError::already_resolved());
        }
        // Reassignment re-triggers an acknowledged incident for the new assignees.
        a.incidents[idx].retrigger();
        assign(
            a,
            idx,
            users,
            "direct_assignment",
            Agent::User(user.into()),
            "assign_log_entry",
            at,
        );
    }
    if let Some(s) = body.get("status") {
        let status = s.as_str().filter(|s| STATUSES.contains(s)).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, 1003, "Invalid Status Provided").with_errors(
                vec!["status must be one of triggered, acknowledged, resolved".into()],
            )
        })?;
        let resolution = body
            .get("resolution")
            .and_then(Value::as_str)
            .map(String::from);
        match (status, was_resolved) {
            ("resolved", true) => {
                return Err(ApiError::already_resolved());
            }
            ("resolved", false) => resolve(a, idx, user, resolution, at),
            // Reopening as acknowledged assigns the incident to the acting user.
            ("acknowledged", true) => {
                a.incidents[idx].resolved_at = None;
                a.incidents[idx].assignments = vec![(user.into(), at)];
                a.incidents[idx].acknowledgements.clear();
                acknowledge(a, idx, user, at);
            }
            ("acknowledged", false) => acknowledge(a, idx, user, at),
            ("triggered", true) if body.get("assignments").is_none() => {
                trigger(a, idx, user, None, at, "assign_log_entry")?
            }
            ("triggered", _) if a.incidents[idx].status == IncidentStatus::Acknowledged => {
                a.incidents[idx].status = IncidentStatus::Triggered;
                a.incidents[idx].acknowledgements.clear();
                Entry::new(
                    "unacknowledge_log_entry",
                    at,
                    idx,
                    Agent::User(user.into()),
                    "Unacknowledged.",
                )
                .record(a);
            }
            _ => {}
        }
    }
    a.incidents[idx].updated_at = at;
    Ok(())
}

pub async fn update(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    let user = ctx.acting_user()?;
    let inc = req_object(&body, "incident", "")?;
    ctx.write(|a| {
        let idx = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        apply_update(a, idx, inc, &user, write_time())?;
        Ok(Json(
            json!({ "incident": crate::render::Render::new(a).incident(&a.incidents[idx]) }),
        ))
    })
}

pub async fn update_many(ctx: Ctx, p: Params, PdJson(body): PdJson) -> JsonReply {
    let user = ctx.acting_user()?;
    let items = body
        .get("incidents")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::invalid("incidents must be an array"))?;
    if items.len() > MAX_BULK {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            2001,
            "Request Entity Too Large",
        )
        .with_errors(vec![format!(
            "At most {MAX_BULK} incidents can be updated at once"
        )]));
    }
    if items.is_empty() {
        return Err(ApiError::invalid("incidents must not be empty"));
    }
    let page = p.page()?;
    ctx.write(|a| {
        let at = write_time();
        let mut done = Vec::new();
        for item in items {
            let id = ref_id(item, "incidents[]")?;
            let idx = a.incident_index(id).ok_or_else(ApiError::not_found)?;
            apply_update(a, idx, item, &user, at)?;
            done.push(idx);
        }
        let r = crate::render::Render::new(a);
        let v: Vec<Value> = done.iter().map(|i| r.incident(&a.incidents[*i])).collect();
        let n = v.len();
        Ok(Json(json!({
            "incidents": v, "limit": n, "offset": 0, "more": false,
            "total": if page.total { json!(n) } else { Value::Null },
        })))
    })
}

pub async fn create(ctx: Ctx, PdJson(body): PdJson) -> ApiResult<(StatusCode, Json<Value>)> {
    let user = ctx.acting_user()?;
    let inc = req_object(&body, "incident", "")?;
    if inc.get("type").and_then(Value::as_str) != Some("incident") {
        return Err(ApiError::invalid("incident.type must be 'incident'"));
    }
    let title = req_str(inc, "title", "incident.")?.to_string();
    let svc_id = ref_id(
        inc.get("service").unwrap_or(&Value::Null),
        "incident.service",
    )?
    .to_string();
    ctx.write(|a| {
        let at = write_time();
        let svc = a
            .service(&svc_id)
            .cloned()
            .ok_or_else(|| ApiError::invalid(format!("Service {svc_id} not found")))?;
        let urgency = match inc.get("urgency") {
            // The service's urgency rule (severity-based rules give high without an alert).
            None => svc
                .incident_urgency
                .as_deref()
                .and_then(Urgency::parse)
                .unwrap_or(Urgency::High),
            Some(u) => u
                .as_str()
                .and_then(Urgency::parse)
                .ok_or_else(|| ApiError::invalid("urgency must be high or low"))?,
        };
        let priority_id = match inc.get("priority") {
            Some(pv) => resolve_priority(a, pv)?,
            None => None,
        };
        let key = match inc.get("incident_key").and_then(Value::as_str) {
            Some(k) => {
                if a.incidents
                    .iter()
                    .any(|i| i.is_open() && i.service_id == svc.id && i.incident_key == k)
                {
                    return Err(ApiError::invalid(
                        "Open incident with matching dedup key already exists on this service",
                    )
                    .with_errors(vec![format!(
                        "Open incident with key '{k}' already exists on service {}",
                        svc.id
                    )]));
                }
                k.to_string()
            }
            None => {
                let n = a.next_incident_number();
                format!(
                    "{:032x}",
                    (n as u128) << 64 | at.as_nanosecond().unsigned_abs() & 0xFFFF_FFFF_FFFF_FFFF
                )
            }
        };
        let ep_id = match inc.get("escalation_policy") {
            Some(ep) => {
                let id = ref_id(ep, "incident.escalation_policy")?;
                a.escalation_policy(id).ok_or_else(|| {
                    ApiError::new(StatusCode::BAD_REQUEST, 1014, "Escalation Policy Not Found")
                })?;
                id.to_string()
            }
            None => svc.escalation_policy_id.clone(),
        };
        let direct = inc
            .get("assignments")
            .map(|v| parse_assignees(a, v))
            .transpose()?;
        let trigger_summary = format!("Triggered through the API by {}.", user_name(a, &user));
        let idx = open_incident(
            a,
            NewIncident {
                title,
                service_id: svc.id.clone(),
                incident_key: key,
                escalation_policy_id: ep_id,
                urgency,
                priority_id,
                body_details: inc.get("body").and_then(|b| b.get("details")).cloned(),
                alerts: vec![],
                team_ids: svc.team_ids.clone(),
                agent: Agent::User(user.clone()),
                trigger_summary,
            },
            at,
        );
        match direct {
            Some(users) => assign(
                a,
                idx,
                users,
                "direct_assignment",
                Agent::User(user.clone()),
                "assign_log_entry",
                at,
            ),
            None => trigger(a, idx, &user, None, at, "assign_log_entry")?,
        }
        a.incidents[idx].last_status_change_by = Agent::User(user.clone());
        let r = crate::render::Render::new(a).include(["body".to_string()].into_iter().collect());
        Ok((
            StatusCode::CREATED,
            Json(json!({ "incident": r.incident(&a.incidents[idx]) })),
        ))
    })
}
