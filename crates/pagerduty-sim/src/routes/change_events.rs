//! Change events: account-wide and per-service lists, one by id, and the changes
//! correlated with an incident (same service shortly before, or a service it depends on).

use axum::{Json, extract::Path};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Call, Ctx, JsonReply, Listed, by_id, find, paginated};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, parse_time};
use crate::render::{API_BASE, Render};
use crate::store::{Account, ChangeEvent};

pub fn render(r: &Render, a: &Account, e: &ChangeEvent) -> Value {
    let integration = e.integration_id.as_deref().map(|id| {
        let svc = a
            .services
            .iter()
            .find(|s| s.integrations.iter().any(|i| i.id == id));
        let mut v = r.reference(
            "events_api_v2_inbound_integration",
            "integrations",
            id,
            svc.and_then(|s| s.integrations.iter().find(|i| i.id == id))
                .map(|i| i.name.as_str())
                .unwrap_or("Events API V2"),
        );
        if let Some(s) = svc {
            v["self"] = json!(format!("{API_BASE}/services/{}/integrations/{id}", s.id));
        }
        v
    });
    json!({
        "id": e.id,
        "type": "change_event",
        "summary": e.summary,
        "self": format!("{API_BASE}/change_events/{}", e.id),
        "html_url": null,
        "timestamp": r.time(e.timestamp),
        "services": e.service_ids.iter().map(|s| r.service_ref(s)).collect::<Vec<_>>(),
        "integration": integration,
        "routing_key": e.routing_key,
        "source": e.source,
        "links": e.links.iter().map(|(href, text)| json!({"href": href, "text": text})).collect::<Vec<_>>(),
        "images": [],
        "custom_details": e.custom_details,
    })
}

/// `since`/`until` must be UTC ISO 8601, as PagerDuty requires for change events.
fn utc_time(p: &Params, name: &str) -> ApiResult<Option<Timestamp>> {
    match p.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.ends_with('Z') || v.ends_with("+00:00") => parse_time(name, v).map(Some),
        Some(v) => Err(ApiError::invalid(format!(
            "{name} must be a UTC ISO 8601 date-time (e.g. 2026-03-01T00:00:00Z), got '{v}'"
        ))),
    }
}

/// Change events matching the common filters, newest first.
fn filtered<'a>(
    a: &'a Account,
    p: &Params,
    service: Option<&str>,
) -> ApiResult<Vec<&'a ChangeEvent>> {
    let since = utc_time(p, "since")?;
    let until = utc_time(p, "until")?;
    let teams = p.set("team_ids[]");
    let integrations = p.set("integration_ids[]");
    let team_ok = |e: &ChangeEvent| {
        teams.is_empty()
            || e.service_ids.iter().any(|s| {
                a.service(s)
                    .is_some_and(|s| s.team_ids.iter().any(|t| teams.contains(t)))
            })
    };
    let mut v: Vec<&ChangeEvent> = a
        .change_events
        .iter()
        .filter(|e| service.is_none_or(|s| e.service_ids.iter().any(|x| x == s)))
        .filter(|e| since.is_none_or(|s| e.timestamp >= s) && until.is_none_or(|u| e.timestamp < u))
        .filter(|e| {
            integrations.is_empty()
                || e.integration_id
                    .as_ref()
                    .is_some_and(|i| integrations.contains(i))
        })
        .filter(|e| team_ok(e))
        .collect();
    v.reverse();
    Ok(v)
}

impl Listed for ChangeEvent {
    const COLLECTION: &'static str = "change_events";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        filtered(a, call.params, None)
    }
}

by_id!(ChangeEvent, "change_event", change_events, None, |r, x| {
    render(r, r.acct, x)
});

pub async fn for_service(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let svc = find(&a.services, &id, |s| &s.id)?;
        let r = Render::new(a);
        let items = filtered(a, &p, Some(&svc.id))?
            .into_iter()
            .map(|e| render(&r, a, e))
            .collect();
        paginated(&p, "change_events", items)
    })
}

/// How far back a change may be to correlate with an incident.
pub const CORRELATION_WINDOW: SignedDuration = SignedDuration::from_hours(4);

/// The changes correlated with an incident, newest first, with the reason:
/// `most_recent` (its own service) or `related_service` (a service it depends on).
pub fn related<'a>(
    a: &'a Account,
    incident_id: &str,
) -> ApiResult<Vec<(&'a ChangeEvent, &'static str)>> {
    let inc = a.incident(incident_id).ok_or_else(ApiError::not_found)?;
    let from = inc
        .created_at
        .checked_sub(CORRELATION_WINDOW)
        .unwrap_or(inc.created_at);
    let supporting = a.supporting_technical_services(&inc.service_id);
    let mut out: Vec<(&ChangeEvent, &'static str)> = a
        .change_events
        .iter()
        .filter(|e| e.timestamp >= from && e.timestamp <= inc.created_at)
        .filter_map(|e| {
            if e.service_ids.contains(&inc.service_id) {
                Some((e, "most_recent"))
            } else if e.service_ids.iter().any(|s| supporting.contains(s)) {
                Some((e, "related_service"))
            } else {
                None
            }
        })
        .collect();
    out.reverse();
    Ok(out)
}

pub async fn for_incident(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let limit = p.limit(25)?;
        let r = Render::new(a);
        let items: Vec<Value> = related(a, &id)?
            .into_iter()
            .take(limit)
            .map(|(e, reason)| {
                let mut v = render(&r, a, e);
                v["correlation_reason"] = json!({"reason": reason});
                v
            })
            .collect();
        Ok(Json(json!({"change_events": items})))
    })
}
