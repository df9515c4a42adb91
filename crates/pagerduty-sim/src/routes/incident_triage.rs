//! Triage writes: `PUT /incidents/{id}/merge` (the sources' alerts move into the target and the
//! sources resolve) and `POST /incidents/{id}/snooze` (an acknowledged incident stays quiet for
//! `duration` seconds, then triggers again).

use axum::{Json, extract::Path, http::StatusCode};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::incidents::{resolve_as, trigger_as};
use super::{Ctx, JsonReply, PdJson, req_list};
use crate::error::{ApiError, ApiResult};
use crate::log_entries::Entry;
use crate::render::Render;
use crate::store::{Account, Agent, IncidentStatus};

/// The most source incidents one merge takes.
const MAX_SOURCES: usize = 25;
/// PagerDuty's limit for `duration`: a week.
const MAX_SNOOZE_SECONDS: i64 = 604_800;

/// An incident snoozed until `until`.
#[derive(Debug, Clone)]
pub struct Snooze {
    pub incident_id: String,
    pub until: Timestamp,
    pub user_id: String,
}

pub async fn merge(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    let user = ctx.acting_user()?;
    let at = ctx.st.current();
    ctx.write(|a| {
        let target = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        if !a.incidents[target].is_open() {
            return Err(ApiError::invalid(
                "A resolved incident cannot be merged into",
            ));
        }
        let refs = req_list(
            &body,
            "source_incidents",
            "source_incidents must name at least one incident",
        )?;
        if refs.len() > MAX_SOURCES {
            return Err(ApiError::invalid(format!(
                "at most {MAX_SOURCES} source incidents can be merged at once"
            )));
        }
        let mut sources: Vec<usize> = Vec::new();
        for r in refs {
            let sid = r.get("id").and_then(Value::as_str).unwrap_or("");
            let idx = a
                .incident_index(sid)
                .ok_or_else(|| ApiError::invalid(format!("Incident {sid} not found")))?;
            if idx == target {
                return Err(ApiError::invalid(
                    "An incident cannot be merged into itself",
                ));
            }
            if !a.incidents[idx].is_open() {
                return Err(ApiError::invalid(format!(
                    "Incident {sid} is resolved and cannot be merged"
                )));
            }
            if !sources.contains(&idx) {
                sources.push(idx);
            }
        }
        let number = a.incidents[target].number;
        for idx in sources {
            let alerts = std::mem::take(&mut a.incidents[idx].alerts);
            a.incidents[target].alerts.extend(alerts);
            resolve_as(
                a,
                idx,
                Agent::User(user.clone()),
                Some(format!("Merged into incident #{number}")),
                at,
            );
            a.snoozes.retain(|s| s.incident_id != a.incidents[idx].id);
        }
        a.incidents[target].updated_at = at;
        let inc = &a.incidents[target];
        Ok(Json(
            json!({ "incident": Render::new(a).incident_ref(inc) }),
        ))
    })
}

pub async fn snooze(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let user = ctx.acting_user()?;
    let at = ctx.st.current();
    let duration = body
        .get("duration")
        .and_then(Value::as_i64)
        .filter(|d| (1..=MAX_SNOOZE_SECONDS).contains(d))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "duration must be a whole number of seconds from 1 to {MAX_SNOOZE_SECONDS}"
            ))
        })?;
    ctx.write(|a| {
        let idx = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        if a.incidents[idx].status != IncidentStatus::Acknowledged {
            return Err(ApiError::invalid(
                "Incident must be acknowledged before it can be snoozed",
            ));
        }
        let until = at
            .checked_add(SignedDuration::from_secs(duration))
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        let summary = format!(
            "Snoozed for {} minutes by {}.",
            duration / 60,
            a.user(&user).map(|u| u.name.as_str()).unwrap_or("a user")
        );
        Entry::new(
            "snooze_log_entry",
            at,
            idx,
            Agent::User(user.clone()),
            summary,
        )
        .record(a);
        let inc_id = a.incidents[idx].id.clone();
        a.snoozes.retain(|s| s.incident_id != inc_id);
        a.snoozes.push(Snooze {
            incident_id: inc_id,
            until,
            user_id: user,
        });
        a.incidents[idx].updated_at = at;
        let inc = &a.incidents[idx];
        Ok((
            StatusCode::CREATED,
            Json(json!({ "incident": Render::new(a).incident(inc) })),
        ))
    })
}

/// Triggers again every snoozed incident whose snooze ended by `now` and is still
/// acknowledged (a resolve or a new acknowledgement in between ends the snooze).
pub fn wake(a: &mut Account, now: Timestamp) {
    let (due, kept): (Vec<Snooze>, Vec<Snooze>) = std::mem::take(&mut a.snoozes)
        .into_iter()
        .partition(|s| s.until <= now);
    a.snoozes = kept;
    for s in due {
        if let Some(idx) = a.incident_index(&s.incident_id)
            && a.incidents[idx].status == IncidentStatus::Acknowledged
        {
            Entry::new(
                "unacknowledge_log_entry",
                s.until,
                idx,
                Agent::User(s.user_id.clone()),
                "Unacknowledged: the snooze ended.",
            )
            .channel("timeout")
            .record(a);
            // No one on call: the incident stays acknowledged rather than unassigned.
            let _ = trigger_as(
                a,
                idx,
                Agent::User(s.user_id.clone()),
                None,
                s.until,
                "assign_log_entry",
            );
        }
    }
}

/// A stakeholder status update posted on an incident.
#[derive(Debug, Clone)]
pub struct StatusUpdate {
    pub id: String,
    pub incident_id: String,
    pub sender_id: String,
    pub message: String,
    /// A custom HTML email instead of the plain one.
    pub email: Option<HtmlEmail>,
    pub created_at: Timestamp,
}

/// A status update's custom email: a subject and an HTML body, always both.
#[derive(Debug, Clone)]
pub struct HtmlEmail {
    pub subject: String,
    pub html_message: String,
}

/// The longest message PagerDuty's web app accepts for a status update.
const MAX_STATUS_MESSAGE: usize = 65_535;

pub async fn status_update(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    let user = ctx.acting_user()?;
    let at = ctx.st.current();
    let message = super::req_str(&body, "message", "")?.to_string();
    if message.len() > MAX_STATUS_MESSAGE {
        return Err(ApiError::invalid(format!(
            "message must be at most {MAX_STATUS_MESSAGE} characters"
        )));
    }
    let text = |f: &str| {
        body.get(f)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(String::from)
    };
    let email = match (text("subject"), text("html_message")) {
        (Some(subject), Some(html_message)) => Some(HtmlEmail {
            subject,
            html_message,
        }),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "subject and html_message are required together for a custom html email",
            ));
        }
    };
    ctx.write(|a| {
        let idx = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        let u = StatusUpdate {
            id: a.new_id(),
            incident_id: a.incidents[idx].id.clone(),
            sender_id: user,
            message,
            email,
            created_at: at,
        };
        a.incidents[idx].updated_at = at;
        let r = Render::new(a);
        let mut out = json!({
            "id": u.id,
            "message": u.message,
            "created_at": r.time(u.created_at),
            "sender": r.user_ref(&u.sender_id),
        });
        if let Some(email) = &u.email {
            out["subject"] = json!(email.subject);
            out["html_message"] = json!(email.html_message);
        }
        a.status_updates.push(u);
        Ok(Json(json!({ "status_update": out })))
    })
}
