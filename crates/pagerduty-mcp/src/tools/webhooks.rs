//! V3 webhook subscriptions: which PagerDuty events are sent to which HTTPS endpoint.
//! Custom header values never appear in results, and the signing secret only in the
//! result of the create call (PagerDuty shows it once).

use pagerduty::api::webhooks::{DeliveryTarget, WebhookFields};
use pagerduty::ids::WebhookSubscriptionId;
use pagerduty::models::{CustomHeader, WebhookFilter, WebhookFilterType, WebhookSubscription};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::Done;
use crate::output::{Listing, window};
use crate::registry::{Domain, ToolDef, Tools};

const WEBHOOKS: Tools = Tools(Domain::Webhooks);

pub fn tools() -> Vec<ToolDef> {
    vec![
        WEBHOOKS.read(
            "list_webhook_subscriptions",
            "Webhook subscriptions: endpoint URL, events, scope (account, service or team), active.",
            |ctx: Ctx, a: ListArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let page = ctx
                    .pd
                    .list_webhook_subscriptions(a.filter_type.map(FilterType::into_model), w)
                    .await?;
                let mut l = Listing::<WebhookSubscription>::from(page);
                l.items = l.items.into_iter().map(|s| redact(s, false)).collect();
                Ok(l)
            },
        ),
        WEBHOOKS.read(
            "get_webhook_subscription",
            "One webhook subscription by id: endpoint URL, events, scope, active.",
            |ctx: Ctx, a: SubscriptionArg| async move {
                let s = ctx.pd.get(&a.subscription_id).await?;
                Ok::<_, ToolError>(redact(s, false))
            },
        ),
        WEBHOOKS.create(
            "create_webhook_subscription",
            "Send PagerDuty events (incident.triggered, …) for the account, a service or a team \
             to an https URL. The result holds the payload signing secret, shown only this once.",
            create,
        ),
        WEBHOOKS.update(
            "update_webhook_subscription",
            "Change a webhook subscription's events, scope, URL, headers, description, or pause \
             it (active=false); unset fields are kept.",
            update,
        ),
        WEBHOOKS.destroy(
            "delete_webhook_subscription",
            "Delete a webhook subscription; its endpoint receives no more events.",
            |ctx: Ctx, a: SubscriptionArg| async move {
                ctx.pd
                    .delete_webhook_subscription(&a.subscription_id)
                    .await?;
                Ok(Done::new(format!(
                    "Webhook subscription {} was deleted.",
                    a.subscription_id
                )))
            },
        ),
    ]
}

/// Drops custom header values, and the secret unless this is the create answer.
fn redact(mut s: WebhookSubscription, keep_secret: bool) -> WebhookSubscription {
    for h in &mut s.delivery_method.custom_headers {
        h.value = None;
    }
    if !keep_secret {
        s.delivery_method.secret = None;
    }
    s
}

/// What a subscription is scoped to.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum FilterType {
    #[serde(alias = "account_reference")]
    Account,
    #[serde(alias = "service_reference")]
    Service,
    #[serde(alias = "team_reference")]
    Team,
}

impl FilterType {
    fn into_model(self) -> WebhookFilterType {
        match self {
            Self::Account => WebhookFilterType::AccountReference,
            Self::Service => WebhookFilterType::ServiceReference,
            Self::Team => WebhookFilterType::TeamReference,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// Only subscriptions scoped to the account, a service, or a team.
    filter_type: Option<FilterType>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SubscriptionArg {
    subscription_id: WebhookSubscriptionId,
}

/// The V3 webhook event types.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
enum Event {
    #[serde(rename = "incident.acknowledged")]
    IncidentAcknowledged,
    #[serde(rename = "incident.annotated")]
    IncidentAnnotated,
    #[serde(rename = "incident.conference_bridge.updated")]
    IncidentConferenceBridgeUpdated,
    #[serde(rename = "incident.custom_field_values.updated")]
    IncidentCustomFieldValuesUpdated,
    #[serde(rename = "incident.delegated")]
    IncidentDelegated,
    #[serde(rename = "incident.escalated")]
    IncidentEscalated,
    #[serde(rename = "incident.priority_updated")]
    IncidentPriorityUpdated,
    #[serde(rename = "incident.reassigned")]
    IncidentReassigned,
    #[serde(rename = "incident.reopened")]
    IncidentReopened,
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    #[serde(rename = "incident.responder.added")]
    IncidentResponderAdded,
    #[serde(rename = "incident.responder.replied")]
    IncidentResponderReplied,
    #[serde(rename = "incident.status_update_published")]
    IncidentStatusUpdatePublished,
    #[serde(rename = "incident.triggered")]
    IncidentTriggered,
    #[serde(rename = "incident.unacknowledged")]
    IncidentUnacknowledged,
    #[serde(rename = "incident.workflow.completed")]
    IncidentWorkflowCompleted,
    #[serde(rename = "incident.workflow.started")]
    IncidentWorkflowStarted,
    #[serde(rename = "pagey.ping")]
    PageyPing,
    #[serde(rename = "service.created")]
    ServiceCreated,
    #[serde(rename = "service.deleted")]
    ServiceDeleted,
    #[serde(rename = "service.updated")]
    ServiceUpdated,
}

fn event_names(at: &str, events: Vec<Event>) -> Result<Vec<String>, ToolError> {
    if events.is_empty() {
        return Err(ToolError::invalid(at, "name at least one event type"));
    }
    let mut out: Vec<String> = Vec::with_capacity(events.len());
    for e in events {
        if let Some(name) = serde_json::to_value(e)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum SubscriptionType {
    WebhookSubscription,
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum DeliveryType {
    HttpDeliveryMethod,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
    value: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Delivery {
    #[serde(rename = "type")]
    kind: Option<DeliveryType>,
    /// https only.
    url: String,
    /// Sent with every delivery (e.g. an auth token); never shown again.
    custom_headers: Option<Vec<Header>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Filter {
    #[serde(rename = "type")]
    kind: WebhookFilterType,
    /// The service or team id; omit for account_reference.
    id: Option<String>,
}

fn delivery(at: &str, d: Delivery) -> Result<DeliveryTarget, ToolError> {
    let _ = d.kind;
    let url = d.url.trim();
    let parsed = url::Url::parse(url).map_err(|e| {
        ToolError::invalid(&format!("{at}.url"), format!("`{url}` is not a URL ({e})"))
    })?;
    if parsed.scheme() != "https" || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ToolError::invalid(
            &format!("{at}.url"),
            format!("PagerDuty delivers webhooks to https URLs only, got `{url}`"),
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ToolError::invalid(
            &format!("{at}.url"),
            "put credentials in custom_headers, not in the URL",
        ));
    }
    let headers = d.custom_headers.unwrap_or_default();
    for (i, h) in headers.iter().enumerate() {
        let name = h.name.trim();
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            return Err(ToolError::invalid(
                &format!("{at}.custom_headers[{i}].name"),
                "must be an HTTP header name (letters, digits, -)",
            ));
        }
        if h.value.contains(['\r', '\n']) {
            return Err(ToolError::invalid(
                &format!("{at}.custom_headers[{i}].value"),
                "must be a single line",
            ));
        }
    }
    Ok(DeliveryTarget {
        url: url.to_owned(),
        custom_headers: headers
            .into_iter()
            .map(|h| CustomHeader {
                name: h.name.trim().to_owned(),
                value: Some(h.value),
            })
            .collect(),
    })
}

fn filter(at: &str, f: Filter) -> Result<WebhookFilter, ToolError> {
    let id = f.id.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
    match (f.kind, id) {
        (WebhookFilterType::AccountReference, _) => Ok(WebhookFilter {
            kind: f.kind,
            id: None,
        }),
        (_, None) => Err(ToolError::invalid(
            &format!("{at}.id"),
            "a service_reference or team_reference filter needs the service or team id",
        )),
        (kind, Some(id)) => {
            pagerduty::ids::validate("filter", &id)
                .map_err(|e| ToolError::invalid(&format!("{at}.id"), e.to_string()))?;
            Ok(WebhookFilter { kind, id: Some(id) })
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewSubscription {
    #[serde(rename = "type")]
    kind: Option<SubscriptionType>,
    delivery_method: Delivery,
    events: Vec<Event>,
    /// Which events: the whole account, one service or one team.
    filter: Filter,
    /// Default true.
    active: Option<bool>,
    description: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    webhook_data: NewSubscription,
}

async fn create(ctx: Ctx, a: CreateArgs) -> Result<WebhookSubscription, ToolError> {
    let d = a.webhook_data;
    let _ = d.kind;
    let fields = WebhookFields {
        delivery: Some(delivery("webhook_data.delivery_method", d.delivery_method)?),
        events: Some(event_names("webhook_data.events", d.events)?),
        filter: Some(filter("webhook_data.filter", d.filter)?),
        active: d.active,
        description: d.description,
    };
    let s = ctx.pd.create(&fields).await?;
    Ok(redact(s, true))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SubscriptionChanges {
    active: Option<bool>,
    description: Option<String>,
    delivery_method: Option<Delivery>,
    events: Option<Vec<Event>>,
    filter: Option<Filter>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateArgs {
    subscription_id: WebhookSubscriptionId,
    webhook_data: SubscriptionChanges,
}

async fn update(ctx: Ctx, a: UpdateArgs) -> Result<WebhookSubscription, ToolError> {
    let d = a.webhook_data;
    let fields = WebhookFields {
        delivery: d
            .delivery_method
            .map(|m| delivery("webhook_data.delivery_method", m))
            .transpose()?,
        events: d
            .events
            .map(|e| event_names("webhook_data.events", e))
            .transpose()?,
        filter: d
            .filter
            .map(|f| filter("webhook_data.filter", f))
            .transpose()?,
        active: d.active,
        description: d.description,
    };
    if fields.delivery.is_none()
        && fields.events.is_none()
        && fields.filter.is_none()
        && fields.active.is_none()
        && fields.description.is_none()
    {
        return Err(ToolError::invalid(
            "webhook_data",
            "nothing to change: set active, description, delivery_method, events or filter",
        ));
    }
    let s = ctx.pd.update(&a.subscription_id, &fields).await?;
    Ok(redact(s, false))
}
