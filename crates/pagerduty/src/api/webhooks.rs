//! V3 webhook subscriptions.

use reqwest::Method;
use serde::Serialize;
use serde_json::json;

use crate::ids::WebhookSubscriptionId;
use crate::models::{CustomHeader, WebhookFilter, WebhookFilterType, WebhookSubscription};
use crate::{Client, Page, Result, Window};

/// Where deliveries go.
#[derive(Clone, Debug, Serialize)]
pub struct DeliveryTarget {
    /// An https URL.
    pub url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_headers: Vec<CustomHeader>,
}

/// The writable fields of a subscription; unset fields are left out (kept on update).
#[derive(Clone, Debug, Default)]
pub struct WebhookFields {
    pub delivery: Option<DeliveryTarget>,
    pub events: Option<Vec<String>>,
    pub filter: Option<WebhookFilter>,
    pub active: Option<bool>,
    pub description: Option<String>,
}

impl WebhookFields {
    fn body(&self, create: bool) -> serde_json::Value {
        let mut w = json!({});
        if create {
            w["type"] = json!("webhook_subscription");
        }
        if let Some(d) = &self.delivery {
            let mut dm = json!(d);
            dm["type"] = json!("http_delivery_method");
            w["delivery_method"] = dm;
        }
        if let Some(e) = &self.events {
            w["events"] = json!(e);
        }
        if let Some(f) = &self.filter {
            w["filter"] = json!(f);
        }
        if let Some(a) = self.active {
            w["active"] = json!(a);
        }
        if let Some(d) = &self.description {
            w["description"] = json!(d);
        }
        json!({ "webhook_subscription": w })
    }
}

impl Client {
    pub async fn list_webhook_subscriptions(
        &self,
        filter_type: Option<WebhookFilterType>,
        window: Window,
    ) -> Result<Page<WebhookSubscription>> {
        self.request(Method::GET, &["webhook_subscriptions"])
            .subject("the webhook subscription list")
            .query_opt(
                "filter_type",
                filter_type.map(WebhookFilterType::query_value),
            )
            .list("webhook_subscriptions", window)
            .await
    }

    pub async fn get_webhook_subscription(
        &self,
        id: &WebhookSubscriptionId,
    ) -> Result<WebhookSubscription> {
        self.request(Method::GET, &["webhook_subscriptions", id.as_str()])
            .subject(format!("webhook subscription {id}"))
            .send_one("webhook_subscription")
            .await
    }

    /// Creates a subscription; the answer holds the signing secret, shown only this once.
    pub async fn create_webhook_subscription(
        &self,
        fields: &WebhookFields,
    ) -> Result<WebhookSubscription> {
        self.request(Method::POST, &["webhook_subscriptions"])
            .subject("creating a webhook subscription")
            .json(&fields.body(true))?
            .send_one("webhook_subscription")
            .await
    }

    pub async fn update_webhook_subscription(
        &self,
        id: &WebhookSubscriptionId,
        fields: &WebhookFields,
    ) -> Result<WebhookSubscription> {
        self.request(Method::PUT, &["webhook_subscriptions", id.as_str()])
            .subject(format!("webhook subscription {id}"))
            .json(&fields.body(false))?
            .send_one("webhook_subscription")
            .await
    }

    pub async fn delete_webhook_subscription(&self, id: &WebhookSubscriptionId) -> Result<()> {
        self.request(Method::DELETE, &["webhook_subscriptions", id.as_str()])
            .subject(format!("webhook subscription {id}"))
            .send_empty()
            .await
    }
}
