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

pub const US_EVENTS: &str = "https://events.pagerduty.com";
pub const EU_EVENTS: &str = "https://events.eu.pagerduty.com";
/// PagerDuty's limit on an event's JSON body.
pub const MAX_EVENT_BYTES: usize = 512 * 1024;
pub const MAX_SUMMARY_CHARS: usize = 1024;
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
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("<redacted>…{tail}")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Trigger,
    Acknowledge,
    Resolve,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Error,
    Warning,
    Info,
}

/// What a trigger event reports.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventPayload {
    pub summary: String,
    pub source: String,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<Map<String, Value>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// An alert event for `POST /v2/enqueue`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Event {
    pub routing_key: String,
    pub event_action: EventAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_key: Option<String>,
    /// Required for `trigger`, ignored otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<EventPayload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("routing_key", &mask_routing_key(&self.routing_key))
            .field("event_action", &self.event_action)
            .field("dedup_key", &self.dedup_key)
            .field("payload", &self.payload)
            .field("links", &self.links)
            .field("images", &self.images)
            .finish()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChangeEventPayload {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<Map<String, Value>>,
}

/// A change event (deploy, config change) for `POST /v2/change/enqueue`.
#[derive(Clone, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub routing_key: String,
    pub payload: ChangeEventPayload,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

impl std::fmt::Debug for ChangeEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeEvent")
            .field("routing_key", &mask_routing_key(&self.routing_key))
            .field("payload", &self.payload)
            .field("links", &self.links)
            .field("images", &self.images)
            .finish()
    }
}

/// PagerDuty's `202` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAccepted {
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
