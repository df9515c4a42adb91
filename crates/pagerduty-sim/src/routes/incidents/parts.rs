//! An incident's sub-resources: notes, alerts, log entries, responder requests.

use axum::{Json, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::escalation::first_staffed_level;
use crate::incidents::add_note;
use crate::paging::Params;
use crate::routes::{
    Ctx, JsonReply, PdJson, find, log_entries as le, paginated, renderer, req_list, req_object,
    req_str, write_time,
};
use crate::store::{AlertStatus, Note, Responder, ResponderRequest};

use super::*;

pub async fn notes(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, &[])?;
        let inc = incident_or_404(a, &id)?;
        Ok(Json(
            json!({ "notes": inc.notes.iter().map(|n| r.note(n)).collect::<Vec<_>>() }),
        ))
    })
}

pub async fn create_note(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    let user = ctx.acting_user()?;
    let note = req_object(&body, "note", "")?;
    let content = req_str(note, "content", "note.")?.to_string();
    ctx.write(|a| {
        let idx = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        if a.incidents[idx].notes.len() >= 2000 {
            return Err(ApiError::invalid("An incident can have at most 2000 notes"));
        }
        let at = write_time();
        let n = Note {
            id: a.new_id(),
            user_id: user.clone(),
            content,
            created_at: at,
        };
        add_note(a, idx, n.clone());
        a.incidents[idx].updated_at = at;
        Ok(Json(
            json!({ "note": crate::render::Render::new(a).note(&n) }),
        ))
    })
}

pub async fn alerts(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    let statuses: Vec<AlertStatus> = p
        .enum_list("statuses[]", &["triggered", "resolved"])?
        .iter()
        .filter_map(|s| AlertStatus::parse(s))
        .collect();
    let desc = match p.get("sort_by") {
        None
        | Some("created_at")
        | Some("created_at:asc")
        | Some("resolved_at")
        | Some("resolved_at:asc") => false,
        Some("created_at:desc") | Some("resolved_at:desc") => true,
        Some(other) => return Err(ApiError::invalid(format!("sort_by '{other}' is invalid"))),
    };
    ctx.read(|a| {
        let r = renderer(
            a,
            &p,
            &["services", "first_trigger_log_entries", "incidents"],
        )?;
        let inc = incident_or_404(a, &id)?;
        let mut v: Vec<_> = inc
            .alerts
            .iter()
            .filter(|al| statuses.is_empty() || statuses.contains(&al.status))
            .filter(|al| p.get("alert_key").is_none_or(|k| al.alert_key == k))
            .collect();
        if desc {
            v.reverse();
        }
        paginated(
            &p,
            "alerts",
            v.into_iter().map(|al| r.alert(inc, al)).collect(),
        )
    })
}

pub async fn alert(ctx: Ctx, Path((id, alert_id)): Path<(String, String)>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, &[])?;
        let inc = incident_or_404(a, &id)?;
        Ok(Json(
            json!({ "alert": r.alert(inc, find(&inc.alerts, &alert_id, |al| &al.id)?) }),
        ))
    })
}

pub async fn log_entries(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, le::INCLUDES)?;
        let inc = incident_or_404(a, &id)?;
        let items = le::filtered(a, &p, Some(&inc.id))?
            .into_iter()
            .map(|e| r.log_entry(e))
            .collect();
        paginated(&p, "log_entries", items)
    })
}

pub async fn responder_request(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> JsonReply {
    let requester = req_str(&body, "requester_id", "")?.to_string();
    let message = req_str(&body, "message", "")?.to_string();
    let targets = req_list(
        &body,
        "responder_request_targets",
        "responder_request_targets must be a non-empty array",
    )?;
    ctx.write(|a| {
        let at = write_time();
        let idx = a.incident_index(&id).ok_or_else(ApiError::not_found)?;
        if a.user(&requester).is_none() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                1008,
                "Requester User Not Found",
            ));
        }
        if !a.incidents[idx].is_open() {
            return Err(ApiError::already_resolved());
        }
        let mut parsed = Vec::new();
        let mut users = Vec::new();
        for t in targets {
            let t = t.get("responder_request_target").unwrap_or(t);
            let tid = ref_id(t, "responder_request_target")?;
            let kind = t.get("type").and_then(Value::as_str).unwrap_or("");
            match kind {
                "user_reference" | "user" => {
                    a.user(tid)
                        .ok_or_else(|| ApiError::invalid(format!("User {tid} not found")))?;
                    users.push(tid.to_string());
                    parsed.push(("user_reference".to_string(), tid.to_string()));
                }
                "escalation_policy_reference" | "escalation_policy" => {
                    a.escalation_policy(tid).ok_or_else(|| {
                        ApiError::invalid(format!("Escalation policy {tid} not found"))
                    })?;
                    users.extend(first_staffed_level(a, tid, at).1);
                    parsed.push(("escalation_policy_reference".to_string(), tid.to_string()));
                }
                other => {
                    return Err(ApiError::invalid(format!(
                        "responder_request_target type '{other}' is invalid"
                    )));
                }
            }
        }
        let rr = ResponderRequest {
            id: a.new_id(),
            requester_id: requester.clone(),
            requested_at: at,
            message: message.clone(),
            targets: parsed,
        };
        let inc = &mut a.incidents[idx];
        for u in users {
            if !inc.responders.iter().any(|r| r.user_id == u) {
                inc.responders.push(Responder {
                    user_id: u,
                    state: "pending".into(),
                    requester_id: requester.clone(),
                    requested_at: at,
                    message: message.clone(),
                });
            }
        }
        inc.responder_requests.push(rr.clone());
        inc.updated_at = at;
        let r = crate::render::Render::new(a);
        Ok(Json(
            json!({ "responder_request": r.responder_request(&a.incidents[idx], &rr) }),
        ))
    })
}
