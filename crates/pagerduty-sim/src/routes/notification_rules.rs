//! `/users/{id}/contact_methods`, `/users/{id}/notification_rules` (by `urgency`: high by
//! default, as PagerDuty does, or low or all) and `/users/{id}/oncall_handoff_notification_rules`.

use axum::{Json, extract::Path};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, find, read, renderer};
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::API_BASE;
use crate::store::{Account, ContactMethod, User};

/// A contact method; phone and SMS numbers carry their country code (all seeded ones are +1).
fn contact_method(u: &User, c: &ContactMethod) -> Value {
    let mut v = json!({
        "id": c.id, "type": c.kind, "summary": c.label, "label": c.label, "address": c.address,
        "self": format!("{API_BASE}/users/{}/contact_methods/{}", u.id, c.id), "html_url": null,
    });
    if matches!(
        c.kind.as_str(),
        "phone_contact_method" | "sms_contact_method"
    ) {
        v["country_code"] = json!(1);
        v["enabled"] = json!(true);
        v["blacklisted"] = json!(false);
    }
    v
}

/// The contact method `id` of `u`, in full or as a reference.
fn method_of(u: &User, id: &str, full: bool) -> Value {
    match u.contact_methods.iter().find(|c| c.id == id) {
        Some(c) if full => contact_method(u, c),
        Some(c) => json!({
            "id": c.id, "type": format!("{}_reference", c.kind), "summary": c.label,
            "self": format!("{API_BASE}/users/{}/contact_methods/{}", u.id, c.id), "html_url": null,
        }),
        None => Value::Null,
    }
}

/// `GET /users/{id}/<key>`: what `build` lists for the user, or PagerDuty's 404.
fn of_user(
    Ctx { st, caller }: &Ctx,
    id: &str,
    key: &str,
    build: impl FnOnce(&Account, &User) -> ApiResult<Vec<Value>>,
) -> JsonReply {
    read(st, caller, |a| {
        let u = find(&a.users, id, |u| &u.id)?;
        Ok(Json(json!({ key: build(a, u)? })))
    })
}

pub async fn contact_methods(ctx: Ctx, Path(id): Path<String>) -> JsonReply {
    of_user(&ctx, &id, "contact_methods", |_, u| {
        Ok(u.contact_methods
            .iter()
            .map(|c| contact_method(u, c))
            .collect())
    })
}

pub async fn notification_rules(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    let urgency = match p.get("urgency").filter(|v| !v.is_empty()) {
        None | Some("high") => Some("high"),
        Some("low") => Some("low"),
        Some("all") => None,
        Some(v) => {
            return Err(ApiError::invalid(format!(
                "urgency '{v}' is invalid; must be one of: high, low, all"
            )));
        }
    };
    of_user(&ctx, &id, "notification_rules", |a, u| {
        let r = renderer(a, &p, &["contact_methods"])?;
        let full = r.include.contains("contact_methods");
        Ok(a.notification_rules
            .iter()
            .filter(|n| n.user_id == u.id)
            .filter(|n| urgency.is_none_or(|x| n.urgency == x))
            .map(|n| {
                json!({
                    "id": n.id,
                    "type": "assignment_notification_rule",
                    "summary": format!("{} minutes: channel {}", n.start_delay_in_minutes, n.contact_method_id),
                    "self": format!("{API_BASE}/users/{}/notification_rules/{}", u.id, n.id),
                    "html_url": null,
                    "start_delay_in_minutes": n.start_delay_in_minutes,
                    "contact_method": method_of(u, &n.contact_method_id, full),
                    "urgency": n.urgency,
                })
            })
            .collect())
    })
}

pub async fn handoff_rules(ctx: Ctx, Path(id): Path<String>) -> JsonReply {
    of_user(&ctx, &id, "oncall_handoff_notification_rules", |a, u| {
        Ok(a.handoff_rules
            .iter()
            .filter(|h| h.user_id == u.id)
            .map(|h| {
                json!({
                    "id": h.id,
                    "handoff_type": h.handoff_type,
                    "notify_advance_in_minutes": h.notify_advance_in_minutes,
                    "contact_method": method_of(u, &h.contact_method_id, false),
                })
            })
            .collect())
    })
}
