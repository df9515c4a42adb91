//! V3 webhook subscriptions: `/webhook_subscriptions`, `/webhook_subscriptions/{id}`.
//! Custom header values are redacted on every answer and the signing secret is
//! returned once, in the create answer, as PagerDuty does.

use axum::{Json, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use super::{Ctx, PdJson, by_id, find, paginated, position, read, write};
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::store::{Account, WebhookSubscription};

/// The event types a V3 subscription can receive.
pub const EVENTS: &[&str] = &[
    "incident.acknowledged",
    "incident.annotated",
    "incident.conference_bridge.updated",
    "incident.custom_field_values.updated",
    "incident.delegated",
    "incident.escalated",
    "incident.priority_updated",
    "incident.reassigned",
    "incident.reopened",
    "incident.resolved",
    "incident.responder.added",
    "incident.responder.replied",
    "incident.status_update_published",
    "incident.triggered",
    "incident.unacknowledged",
    "incident.workflow.completed",
    "incident.workflow.started",
    "pagey.ping",
    "service.created",
    "service.deleted",
    "service.updated",
];

const FILTERS: &[&str] = &["account_reference", "service_reference", "team_reference"];

pub const REDACTED: &str = "-- redacted --";

pub fn render(w: &WebhookSubscription, secret: bool) -> Value {
    let mut filter = json!({"type": w.filter_type});
    if let Some(id) = &w.filter_id {
        filter["id"] = json!(id);
    }
    json!({
        "id": w.id,
        "type": "webhook_subscription",
        "active": w.active,
        "description": w.description,
        "events": w.events,
        "filter": filter,
        "delivery_method": {
            "id": w.delivery_method_id,
            "type": "http_delivery_method",
            "url": w.url,
            "secret": if secret { json!(w.secret) } else { Value::Null },
            "temporarily_disabled": w.temporarily_disabled,
            "custom_headers": w.custom_headers.iter().map(|(n, _)| json!({"name": n, "value": REDACTED})).collect::<Vec<_>>(),
        },
    })
}

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
    let kind = match p.get("filter_type").filter(|v| !v.is_empty()) {
        None => None,
        Some(t @ ("account" | "service" | "team")) => Some(format!("{t}_reference")),
        Some(t) => {
            return Err(ApiError::invalid(format!(
                "filter_type '{t}' is invalid; must be one of: account, service, team"
            )));
        }
    };
    let id = p.get("filter_id").filter(|v| !v.is_empty());
    read(&st, &c, |a| {
        let items = a
            .webhook_subscriptions
            .iter()
            .filter(|w| kind.as_ref().is_none_or(|k| *k == w.filter_type))
            .filter(|w| id.is_none_or(|i| w.filter_id.as_deref() == Some(i)))
            .map(|w| render(w, false))
            .collect();
        paginated(&p, "webhook_subscriptions", items)
    })
}

by_id!(
    crate::store::WebhookSubscription,
    "webhook_subscription",
    webhook_subscriptions,
    None,
    |_r, x| render(x, false)
);

fn events(v: &Value) -> ApiResult<Vec<String>> {
    let list = v
        .as_array()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| ApiError::invalid("events must be a non-empty array"))?;
    let mut out: Vec<String> = Vec::new();
    for e in list {
        let e = e.as_str().filter(|e| EVENTS.contains(e)).ok_or_else(|| {
            ApiError::invalid(format!(
                "event {e} is not a webhook event type; use one of: {}",
                EVENTS.join(", ")
            ))
        })?;
        if !out.iter().any(|x| x == e) {
            out.push(e.to_string());
        }
    }
    Ok(out)
}

fn filter(a: &Account, v: &Value) -> ApiResult<(String, Option<String>)> {
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| FILTERS.contains(t))
        .ok_or_else(|| {
            ApiError::invalid(
                "filter.type must be account_reference, service_reference or team_reference",
            )
        })?;
    let id = v
        .get("id")
        .and_then(Value::as_str)
        .filter(|i| !i.is_empty());
    match (kind, id) {
        ("account_reference", _) => Ok((kind.into(), None)),
        (_, None) => Err(ApiError::invalid(format!(
            "filter.id is required for {kind}"
        ))),
        ("service_reference", Some(id)) if a.service(id).is_none() => {
            Err(ApiError::invalid(format!("Service {id} not found")))
        }
        ("team_reference", Some(id)) if a.team(id).is_none() => {
            Err(ApiError::invalid(format!("Team {id} not found")))
        }
        (_, Some(id)) => Ok((kind.into(), Some(id.into()))),
    }
}

/// `(url, custom headers)` of a delivery method.
/// (name, value) pairs.
type Headers = Vec<(String, String)>;

fn delivery(v: &Value) -> ApiResult<(String, Option<Headers>)> {
    if let Some(t) = v.get("type").and_then(Value::as_str)
        && t != "http_delivery_method"
    {
        return Err(ApiError::invalid(
            "delivery_method.type must be http_delivery_method",
        ));
    }
    let url = v
        .get("url")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    let parsed = url::Url::parse(url)
        .map_err(|_| ApiError::invalid("delivery_method.url must be a valid URL"))?;
    if parsed.scheme() != "https" || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::invalid(
            "delivery_method.url must be an https URL",
        ));
    }
    let headers = match v.get("custom_headers") {
        None | Some(Value::Null) => None,
        Some(Value::Array(hs)) => {
            let mut out = Vec::new();
            for h in hs {
                let name = h.get("name").and_then(Value::as_str).unwrap_or("").trim();
                let value = h.get("value").and_then(Value::as_str).unwrap_or("");
                if name.is_empty() {
                    return Err(ApiError::invalid("custom_headers[].name is required"));
                }
                out.push((name.to_string(), value.to_string()));
            }
            if out.len() > 10 {
                return Err(ApiError::invalid("at most 10 custom headers are allowed"));
            }
            Some(out)
        }
        Some(_) => return Err(ApiError::invalid("custom_headers must be an array")),
    };
    Ok((url.to_string(), headers))
}

fn opt_bool(v: &Value, field: &str) -> ApiResult<Option<bool>> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::invalid(format!("{field} must be true or false"))),
    }
}

fn opt_string(v: &Value, field: &str) -> ApiResult<Option<String>> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(format!("{field} must be a string"))),
    }
}

fn secret(a: &mut Account) -> String {
    // Deterministic per account state, unguessable enough for a simulator.
    let n = a.id_counter.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EC2_E7AB_CDEF_0123;
    format!("whsec_{:016x}{:016x}", n, n.rotate_left(29))
}

pub async fn create(Ctx { st, caller: c }: Ctx, PdJson(body): PdJson) -> ApiResult<Json<Value>> {
    let w = body
        .get("webhook_subscription")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("webhook_subscription is required"))?;
    if let Some(t) = w.get("type").and_then(Value::as_str)
        && t != "webhook_subscription"
    {
        return Err(ApiError::invalid("type must be webhook_subscription"));
    }
    let dm = w
        .get("delivery_method")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("delivery_method is required"))?;
    let (url, headers) = delivery(dm)?;
    let events = events(w.get("events").unwrap_or(&Value::Null))?;
    let active = opt_bool(w, "active")?.unwrap_or(true);
    let description = opt_string(w, "description")?.unwrap_or_default();
    write(&st, &c, |a| {
        let (filter_type, filter_id) = filter(a, w.get("filter").unwrap_or(&Value::Null))?;
        let sub = WebhookSubscription {
            id: a.new_id(),
            description,
            active,
            events,
            filter_type,
            filter_id,
            delivery_method_id: a.new_id(),
            url,
            custom_headers: headers.unwrap_or_default(),
            secret: secret(a),
            temporarily_disabled: false,
        };
        a.webhook_subscriptions.push(sub.clone());
        Ok(Json(json!({ "webhook_subscription": render(&sub, true) })))
    })
}

pub async fn update(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    let w = body
        .get("webhook_subscription")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("webhook_subscription is required"))?;
    let events = w.get("events").map(events).transpose()?;
    let active = opt_bool(w, "active")?;
    let description = opt_string(w, "description")?;
    let dm = match w.get("delivery_method") {
        None | Some(Value::Null) => None,
        Some(v) if v.is_object() => Some(delivery(v)?),
        Some(_) => return Err(ApiError::invalid("delivery_method must be an object")),
    };
    write(&st, &c, |a| {
        let idx = position(&a.webhook_subscriptions, &id, |w| &w.id)?;
        let f = match w.get("filter") {
            None | Some(Value::Null) => None,
            Some(v) => Some(filter(a, v)?),
        };
        let sub = &mut a.webhook_subscriptions[idx];
        if let Some(e) = events {
            sub.events = e;
        }
        if let Some(b) = active {
            sub.active = b;
        }
        if let Some(d) = description {
            sub.description = d;
        }
        if let Some((t, i)) = f {
            sub.filter_type = t;
            sub.filter_id = i;
        }
        if let Some((url, headers)) = dm {
            sub.url = url;
            if let Some(h) = headers {
                sub.custom_headers = h;
            }
            sub.temporarily_disabled = false;
        }
        Ok(Json(json!({ "webhook_subscription": render(sub, false) })))
    })
}

pub async fn delete(Ctx { st, caller: c }: Ctx, Path(id): Path<String>) -> ApiResult<StatusCode> {
    write(&st, &c, |a| {
        find(&a.webhook_subscriptions, &id, |w| &w.id)?;
        a.webhook_subscriptions.retain(|w| w.id != id);
        Ok(StatusCode::NO_CONTENT)
    })
}
