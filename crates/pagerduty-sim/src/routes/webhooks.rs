//! V3 webhook subscriptions: `/webhook_subscriptions`, `/webhook_subscriptions/{id}`.
//! Custom header values are redacted on every answer and the signing secret is
//! returned once, in the create answer, as PagerDuty does.

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Call, Created, Deleted, Listed, Updated, by_id, check_type};
use crate::error::{ApiError, ApiResult};
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

impl Listed for WebhookSubscription {
    const COLLECTION: &'static str = "webhook_subscriptions";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let p = call.params;
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
        Ok(a.webhook_subscriptions
            .iter()
            .filter(|w| kind.as_ref().is_none_or(|k| *k == w.filter_type))
            .filter(|w| id.is_none_or(|i| w.filter_id.as_deref() == Some(i)))
            .collect())
    }
}

by_id!(
    WebhookSubscription,
    "webhook_subscription",
    webhook_subscriptions,
    None,
    |_r, x| render(x, false)
);

/// `{webhook_subscription: {…}}` of a create or an update.
#[derive(Deserialize)]
pub struct WebhookBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    delivery_method: Option<DeliveryBody>,
    events: Option<Vec<String>>,
    active: Option<bool>,
    description: Option<String>,
    filter: Option<FilterBody>,
}

#[derive(Deserialize)]
struct DeliveryBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    url: String,
    custom_headers: Option<Vec<HeaderBody>>,
}

#[derive(Deserialize)]
struct HeaderBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
}

#[derive(Default, Deserialize)]
struct FilterBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
}

fn events(list: Vec<String>) -> ApiResult<Vec<String>> {
    if list.is_empty() {
        return Err(ApiError::invalid("events must be a non-empty array"));
    }
    let mut out: Vec<String> = Vec::new();
    for e in list {
        if !EVENTS.contains(&e.as_str()) {
            return Err(ApiError::invalid(format!(
                "event {e} is not a webhook event type; use one of: {}",
                EVENTS.join(", ")
            )));
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    Ok(out)
}

fn filter(a: &Account, f: FilterBody) -> ApiResult<(String, Option<String>)> {
    let kind = f
        .kind
        .filter(|t| FILTERS.contains(&t.as_str()))
        .ok_or_else(|| {
            ApiError::invalid(
                "filter.type must be account_reference, service_reference or team_reference",
            )
        })?;
    let id = f.id.filter(|i| !i.is_empty());
    match (kind.as_str(), id) {
        ("account_reference", _) => Ok((kind, None)),
        (_, None) => Err(ApiError::invalid(format!(
            "filter.id is required for {kind}"
        ))),
        ("service_reference", Some(id)) if a.service(&id).is_none() => {
            Err(ApiError::invalid(format!("Service {id} not found")))
        }
        ("team_reference", Some(id)) if a.team(&id).is_none() => {
            Err(ApiError::invalid(format!("Team {id} not found")))
        }
        (_, Some(id)) => Ok((kind, Some(id))),
    }
}

/// (name, value) pairs.
type Headers = Vec<(String, String)>;

/// `(url, custom headers)` of a delivery method.
fn delivery(d: DeliveryBody) -> ApiResult<(String, Option<Headers>)> {
    if d.kind
        .as_deref()
        .is_some_and(|t| t != "http_delivery_method")
    {
        return Err(ApiError::invalid(
            "delivery_method.type must be http_delivery_method",
        ));
    }
    let url = d.url.trim();
    let parsed = url::Url::parse(url)
        .map_err(|_| ApiError::invalid("delivery_method.url must be a valid URL"))?;
    if parsed.scheme() != "https" || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::invalid(
            "delivery_method.url must be an https URL",
        ));
    }
    let headers = match d.custom_headers {
        None => None,
        Some(hs) => {
            let mut out = Vec::new();
            for h in hs {
                let name = h.name.trim();
                if name.is_empty() {
                    return Err(ApiError::invalid("custom_headers[].name is required"));
                }
                out.push((name.to_string(), h.value));
            }
            if out.len() > 10 {
                return Err(ApiError::invalid("at most 10 custom headers are allowed"));
            }
            Some(out)
        }
    };
    Ok((url.to_string(), headers))
}

fn secret(a: &mut Account) -> String {
    // Deterministic per account state, unguessable enough for a simulator.
    let n = a.id_counter.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EC2_E7AB_CDEF_0123;
    format!("whsec_{:016x}{:016x}", n, n.rotate_left(29))
}

impl Created for WebhookSubscription {
    type Body = WebhookBody;
    const STATUS: StatusCode = StatusCode::OK;
    fn create(a: &mut Account, w: WebhookBody, _: &Call) -> ApiResult<Self> {
        check_type(w.kind.as_deref(), "webhook_subscription", false)?;
        let dm = w
            .delivery_method
            .ok_or_else(|| ApiError::invalid("delivery_method is required"))?;
        let (url, headers) = delivery(dm)?;
        let events = events(w.events.unwrap_or_default())?;
        let (filter_type, filter_id) = filter(a, w.filter.unwrap_or_default())?;
        Ok(WebhookSubscription {
            id: a.new_id(),
            description: w.description.unwrap_or_default(),
            active: w.active.unwrap_or(true),
            events,
            filter_type,
            filter_id,
            delivery_method_id: a.new_id(),
            url,
            custom_headers: headers.unwrap_or_default(),
            secret: secret(a),
            temporarily_disabled: false,
        })
    }
    /// The signing secret is shown once, here.
    fn created(&self, _: &Account) -> Value {
        render(self, true)
    }
}

impl Updated for WebhookSubscription {
    type Patch = WebhookBody;
    fn update(a: &mut Account, sub: &mut Self, w: WebhookBody, _: &Call) -> ApiResult<()> {
        if let Some(e) = w.events {
            sub.events = events(e)?;
        }
        if let Some(b) = w.active {
            sub.active = b;
        }
        if let Some(d) = w.description {
            sub.description = d;
        }
        if let Some(f) = w.filter {
            (sub.filter_type, sub.filter_id) = filter(a, f)?;
        }
        if let Some(dm) = w.delivery_method {
            let (url, headers) = delivery(dm)?;
            sub.url = url;
            if let Some(h) = headers {
                sub.custom_headers = h;
            }
            sub.temporarily_disabled = false;
        }
        Ok(())
    }
}

impl Deleted for WebhookSubscription {}
