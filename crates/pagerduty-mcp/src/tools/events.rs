//! Events API v2: send alert events (trigger, acknowledge, resolve) and change events to a
//! service's integration by its routing key.

use pagerduty::events::{
    self as ev, ChangeEvent, ChangeEventPayload, Event, EventAccepted, EventAction, EventPayload,
    MAX_DEDUP_KEY_CHARS, MAX_EVENT_BYTES, MAX_SUMMARY_CHARS, mask_routing_key,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Access, Domain, ToolDef, Tools};

const INCIDENTS: Tools = Tools(Domain::Incidents);
const CHANGE_EVENTS: Tools = Tools(Domain::ChangeEvents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENTS
            .write(
                Access::Write {
                    destructive: true, // a trigger opens an incident and pages people
                    idempotent: false,
                },
                "send_event",
                "Send an Events API v2 alert event to a service integration: trigger opens an \
                 alert (and incident, paging on-call) or adds to the open one with the same \
                 dedup_key; acknowledge/resolve act on it by dedup_key.",
                send_event,
            )
            .titled("Send alert event"),
        CHANGE_EVENTS.create(
            "send_change_event",
            "Record a change (deploy, config change) on the service that owns the routing key; it \
             pages nobody and shows next to incidents.",
            send_change_event,
        ),
    ]
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Action {
    Trigger,
    Acknowledge,
    Resolve,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Critical,
    Error,
    Warning,
    Info,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LinkArg {
    href: String,
    text: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ImageArg {
    src: String,
    href: Option<String>,
    alt: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SendEventArgs {
    event_action: Action,
    /// A service's Events API v2 integration key (32 chars); default: PAGERDUTY_ROUTING_KEY.
    routing_key: Option<String>,
    /// Correlates trigger/acknowledge/resolve; required for acknowledge and resolve.
    dedup_key: Option<String>,
    /// Trigger: what is wrong (becomes the incident title), ≤1024 chars.
    summary: Option<String>,
    /// Trigger: the affected host or system.
    source: Option<String>,
    /// Trigger only.
    severity: Option<Severity>,
    component: Option<String>,
    group: Option<String>,
    class: Option<String>,
    custom_details: Option<Map<String, Value>>,
    #[serde(default)]
    links: Vec<LinkArg>,
    #[serde(default)]
    images: Vec<ImageArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SendChangeEventArgs {
    /// A service's Events API v2 integration key (32 chars); default: PAGERDUTY_ROUTING_KEY.
    routing_key: Option<String>,
    /// What changed, ≤1024 chars.
    summary: String,
    source: Option<String>,
    /// When it happened (ISO 8601); default now.
    timestamp: Option<String>,
    custom_details: Option<Map<String, Value>>,
    #[serde(default)]
    links: Vec<LinkArg>,
}

/// PagerDuty's acceptance of an event.
#[derive(Debug, Serialize, JsonSchema)]
struct Sent {
    status: String,
    message: String,
    /// The key to acknowledge or resolve this alert with.
    #[serde(skip_serializing_if = "Option::is_none")]
    dedup_key: Option<String>,
    /// The routing key used, masked.
    routing_key: String,
}

impl Sent {
    fn new(a: EventAccepted, key: &str) -> Self {
        Self {
            status: a.status,
            message: a.message,
            dedup_key: a.dedup_key,
            routing_key: mask_routing_key(key),
        }
    }
}

/// The routing key to use: the argument's, else the configured default. Never echoed.
fn routing_key(ctx: &Ctx, given: Option<String>) -> Result<String, ToolError> {
    let key = match given.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()) {
        Some(k) => k,
        None => ctx
            .routing_key
            .as_ref()
            .map(|k| k.0.clone())
            .ok_or_else(|| {
                ToolError::invalid(
                    "routing_key",
                    "required: pass the integration key of a service's Events API v2 integration, \
                     or set PAGERDUTY_ROUTING_KEY in the server's environment",
                )
            })?,
    };
    if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ToolError::invalid(
            "routing_key",
            format!(
                "must be a 32-character Events API v2 integration key (letters and digits); got \
                 {} characters",
                key.chars().count()
            ),
        ));
    }
    Ok(key)
}

fn required(field: &str, v: Option<String>, what: &str) -> Result<String, ToolError> {
    v.filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ToolError::invalid(field, what.to_owned()))
}

fn check_summary(s: &str) -> Result<(), ToolError> {
    if s.trim().is_empty() {
        return Err(ToolError::invalid("summary", "must not be empty"));
    }
    if s.chars().count() > MAX_SUMMARY_CHARS {
        return Err(ToolError::invalid(
            "summary",
            format!("at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    Ok(())
}

impl From<LinkArg> for ev::Link {
    fn from(l: LinkArg) -> Self {
        Self {
            href: l.href,
            text: l.text,
        }
    }
}

impl From<ImageArg> for ev::Image {
    fn from(i: ImageArg) -> Self {
        Self {
            src: i.src,
            href: i.href,
            alt: i.alt,
        }
    }
}

/// Each item converted, refused where its required `key` (read by `value`) is blank.
fn filled<A, T: From<A>>(
    items: Vec<A>,
    field: &str,
    key: &str,
    value: impl Fn(&A) -> &str,
) -> Result<Vec<T>, ToolError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            if value(&item).trim().is_empty() {
                return Err(ToolError::invalid(
                    &format!("{field}[{i}].{key}"),
                    "must not be empty",
                ));
            }
            Ok(item.into())
        })
        .collect()
}

/// PagerDuty refuses event bodies over 512 KB.
fn check_size(body: &impl Serialize) -> Result<(), ToolError> {
    let size = serde_json::to_vec(body)
        .map_err(|e| ToolError::Internal(e.to_string()))?
        .len();
    if size > MAX_EVENT_BYTES {
        return Err(ToolError::invalid(
            "custom_details",
            format!(
                "the event is {size} bytes; PagerDuty accepts at most 512 KB ({MAX_EVENT_BYTES} \
                 bytes): shorten custom_details"
            ),
        ));
    }
    Ok(())
}

/// Builds and checks the event without sending it.
fn build_event(ctx: &Ctx, a: SendEventArgs) -> Result<Event, ToolError> {
    let routing_key = routing_key(ctx, a.routing_key)?;
    let dedup_key = a.dedup_key.filter(|k| !k.is_empty());
    if let Some(k) = &dedup_key
        && k.chars().count() > MAX_DEDUP_KEY_CHARS
    {
        return Err(ToolError::invalid(
            "dedup_key",
            format!("at most {MAX_DEDUP_KEY_CHARS} characters"),
        ));
    }
    let (event_action, payload) = match a.event_action {
        Action::Trigger => {
            let summary = required(
                "summary",
                a.summary,
                "required for a trigger: a short description of the problem",
            )?;
            check_summary(&summary)?;
            let source = required(
                "source",
                a.source,
                "required for a trigger: the affected host or system",
            )?;
            let severity = match a.severity.ok_or_else(|| {
                ToolError::invalid(
                    "severity",
                    "required for a trigger: critical, error, warning or info",
                )
            })? {
                Severity::Critical => ev::Severity::Critical,
                Severity::Error => ev::Severity::Error,
                Severity::Warning => ev::Severity::Warning,
                Severity::Info => ev::Severity::Info,
            };
            let payload = EventPayload {
                summary,
                source,
                severity,
                timestamp: None,
                component: a.component,
                group: a.group,
                class: a.class,
                custom_details: a.custom_details,
            };
            (EventAction::Trigger, Some(payload))
        }
        action @ (Action::Acknowledge | Action::Resolve) => {
            if dedup_key.is_none() {
                return Err(ToolError::invalid(
                    "dedup_key",
                    "required to acknowledge or resolve: the dedup_key of the alert (returned by \
                     its trigger)",
                ));
            }
            let action = match action {
                Action::Acknowledge => EventAction::Acknowledge,
                _ => EventAction::Resolve,
            };
            (action, None)
        }
    };
    let event = Event {
        routing_key: routing_key.into(),
        event_action,
        dedup_key,
        payload,
        client: None,
        client_url: None,
        links: filled(a.links, "links", "href", |l| &l.href)?,
        images: filled(a.images, "images", "src", |i| &i.src)?,
    };
    check_size(&event)?;
    Ok(event)
}

async fn send_event(ctx: Ctx, a: SendEventArgs) -> Result<Sent, ToolError> {
    let event = build_event(&ctx, a)?;
    let accepted = ctx.pd.send_event(&event).await?;
    Ok(Sent::new(accepted, event.routing_key.as_str()))
}

async fn send_change_event(ctx: Ctx, a: SendChangeEventArgs) -> Result<Sent, ToolError> {
    let routing_key = routing_key(&ctx, a.routing_key)?;
    check_summary(&a.summary)?;
    if let Some(t) = &a.timestamp
        && t.parse::<jiff::Timestamp>().is_err()
    {
        return Err(ToolError::invalid(
            "timestamp",
            "must be an ISO 8601 date-time with an offset, e.g. 2026-03-02T12:00:00Z",
        ));
    }
    let event = ChangeEvent {
        routing_key: routing_key.into(),
        payload: ChangeEventPayload {
            summary: a.summary,
            source: a.source.filter(|s| !s.trim().is_empty()),
            timestamp: a.timestamp,
            custom_details: a.custom_details,
        },
        links: filled(a.links, "links", "href", |l| &l.href)?,
        images: vec![],
    };
    check_size(&event)?;
    let accepted = ctx.pd.send_change_event(&event).await?;
    Ok(Sent::new(accepted, event.routing_key.as_str()))
}
