use serde::{Deserialize, Serialize};

use crate::ids::WebhookSubscriptionId;

/// What a subscription's events are limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum WebhookFilterType {
    AccountReference,
    ServiceReference,
    TeamReference,
}

impl WebhookFilterType {
    /// The `filter_type` query value of `GET /webhook_subscriptions`.
    pub fn query_value(self) -> &'static str {
        match self {
            Self::AccountReference => "account",
            Self::ServiceReference => "service",
            Self::TeamReference => "team",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct WebhookFilter {
    #[serde(rename = "type")]
    pub kind: WebhookFilterType,
    /// The service or team id; absent for the whole account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A header sent with every delivery. PagerDuty redacts values when reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct CustomHeader {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct DeliveryMethod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub url: String,
    /// The payload signing secret: PagerDuty returns it only when the subscription is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// True after repeated delivery failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporarily_disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_headers: Vec<CustomHeader>,
}

/// A V3 webhook subscription: which events go to which HTTPS endpoint.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct WebhookSubscription {
    pub id: WebhookSubscriptionId,
    #[serde(default)]
    pub active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub delivery_method: DeliveryMethod,
    #[serde(default)]
    pub events: Vec<String>,
    pub filter: WebhookFilter,
}
