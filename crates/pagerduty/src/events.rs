//! The Events API v2: alert events (`POST /v2/enqueue`) and change events
//! (`POST /v2/change/enqueue`) sent to `events.pagerduty.com` (or `events.eu.pagerduty.com`).
//!
//! A different API from REST: no `Authorization` header, the body's `routing_key` (a
//! service integration's key) says where the event goes. The routing key is a secret of
//! sorts: it is masked in `Debug` output and in the request journal, and never logged.
//! Requests go through the REST client's transport (same HTTP client, host policy, time-outs,
//! journal and dry-run); 429 and 5xx are retried, 202 and 400 are not.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::host::ApiHost;
use crate::{Client, Region, Result};

/// The Events API v2 host for US accounts.
pub const US_EVENTS: &str = "https://events.pagerduty.com";
/// The Events API v2 host for EU accounts.
pub const EU_EVENTS: &str = "https://events.eu.pagerduty.com";
/// PagerDuty's limit on an event's JSON body.
pub const MAX_EVENT_BYTES: usize = 512 * 1024;
/// PagerDuty's limit on `payload.summary`.
pub const MAX_SUMMARY_CHARS: usize = 1024;
/// PagerDuty's limit on `dedup_key`.
pub const MAX_DEDUP_KEY_CHARS: usize = 255;

/// The Events API base URL for a REST host: the region's events host, or the same base
/// URL for a loopback or custom host (the simulator serves both APIs).
pub fn events_base(host: &ApiHost) -> Url {
    match host.region() {
        Region::Us => Url::parse(US_EVENTS).unwrap_or_else(|_| host.url().clone()),
        Region::Eu => Url::parse(EU_EVENTS).unwrap_or_else(|_| host.url().clone()),
        Region::Custom => host.url().clone(),
    }
}

/// A routing key as it may be shown: the last 4 characters only.
pub fn mask_routing_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 8 {
        return "<redacted>".to_owned();
    }
    let tail: String = chars.iter().skip(chars.len() - 4).collect();
    format!("<redacted>…{tail}")
}

/// A service integration's routing key. It routes events to a service, so it is a secret of
/// sorts: its `Debug` shows the last 4 characters only (see [`mask_routing_key`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoutingKey(String);

impl RoutingKey {
    /// The key itself, to send.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for RoutingKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for RoutingKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}

impl std::fmt::Debug for RoutingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&mask_routing_key(&self.0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What an alert event does.
pub enum EventAction {
    /// Open an alert (or add to the one with the same `dedup_key`).
    Trigger,
    /// Acknowledge the alert with this `dedup_key`.
    Acknowledge,
    /// Resolve the alert with this `dedup_key`.
    Resolve,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// An alert's severity.
pub enum Severity {
    /// Critical.
    Critical,
    /// Error.
    Error,
    /// Warning.
    Warning,
    /// Informational.
    Info,
}

/// What a trigger event reports.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventPayload {
    /// What happened, at most [`MAX_SUMMARY_CHARS`] characters.
    pub summary: String,
    /// Where it happened (a host, a service).
    pub source: String,
    /// How bad it is.
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// When it happened (ISO 8601); absent: when PagerDuty receives it.
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The part of the source that is affected.
    pub component: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// A logical grouping of components.
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The class or type of the event.
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Free-form details.
    pub custom_details: Option<Map<String, Value>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
/// A link shown with the alert.
pub struct Link {
    /// Its URL.
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Its text.
    pub text: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
/// An image shown with the alert.
pub struct Image {
    /// Its URL.
    pub src: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Where clicking it leads.
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Its alternative text.
    pub alt: Option<String>,
}

/// An alert event for `POST /v2/enqueue`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    /// A service integration's 32-character key.
    pub routing_key: RoutingKey,
    /// What the event does.
    pub event_action: EventAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Which alert it is about; PagerDuty makes one for a trigger without it.
    pub dedup_key: Option<String>,
    /// Required for `trigger`, ignored otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<EventPayload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The monitoring tool's name.
    pub client: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The monitoring tool's URL.
    pub client_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Links shown with the alert.
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Images shown with the alert.
    pub images: Vec<Image>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
/// What a change event says.
pub struct ChangeEventPayload {
    /// What changed.
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Where it changed.
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// When (ISO 8601); absent: when PagerDuty receives it.
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Free-form details.
    pub custom_details: Option<Map<String, Value>>,
}

/// A change event (deploy, config change) for `POST /v2/change/enqueue`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// A service integration's 32-character key.
    pub routing_key: RoutingKey,
    /// What changed.
    pub payload: ChangeEventPayload,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Links shown with it.
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Images shown with it.
    pub images: Vec<Image>,
}

/// PagerDuty's `202` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAccepted {
    /// `success`.
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    /// PagerDuty's message.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The alert's key (for triggers: the one PagerDuty made, if none was sent).
    pub dedup_key: Option<String>,
}

impl Client {
    /// Sends an alert event (trigger, acknowledge or resolve).
    pub async fn send_event(&self, event: &Event) -> Result<EventAccepted> {
        let what = match event.event_action {
            EventAction::Trigger => "the trigger event",
            EventAction::Acknowledge => "the acknowledge event",
            EventAction::Resolve => "the resolve event",
        };
        self.events_request(&["v2", "enqueue"])
            .subject(what)
            .json(event)?
            .send()
            .await
    }

    /// Sends a change event to the service that owns the routing key.
    pub async fn send_change_event(&self, event: &ChangeEvent) -> Result<EventAccepted> {
        self.events_request(&["v2", "change", "enqueue"])
            .subject("the change event")
            .json(event)?
            .send()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_follow_the_rest_region() {
        let us = ApiHost::parse("https://api.pagerduty.com", false).unwrap();
        assert_eq!(events_base(&us).as_str(), "https://events.pagerduty.com/");
        let eu = ApiHost::parse("https://api.eu.pagerduty.com", false).unwrap();
        assert_eq!(
            events_base(&eu).as_str(),
            "https://events.eu.pagerduty.com/"
        );
        let sim = ApiHost::parse("http://127.0.0.1:9999", false).unwrap();
        assert_eq!(events_base(&sim).as_str(), "http://127.0.0.1:9999/");
    }

    #[test]
    fn routing_keys_are_masked() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(mask_routing_key(key), "<redacted>…cdef");
        let ev = Event {
            routing_key: key.into(),
            event_action: EventAction::Resolve,
            dedup_key: Some("k".into()),
            payload: None,
            client: None,
            client_url: None,
            links: vec![],
            images: vec![],
        };
        assert!(!format!("{ev:?}").contains(key));
    }
}
