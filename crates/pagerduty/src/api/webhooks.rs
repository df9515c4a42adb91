//! V3 webhook subscriptions.

use super::{set, set_some};
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
    /// Headers PagerDuty sends with each delivery.
    pub custom_headers: Vec<CustomHeader>,
}

/// The writable fields of a subscription; unset fields are left out (kept on update). The
/// answer of [`Client::create`] holds the signing secret, shown only this once.
#[derive(Clone, Debug, Default)]
pub struct WebhookFields {
    /// Where deliveries go.
    pub delivery: Option<DeliveryTarget>,
    /// The event types delivered.
    pub events: Option<Vec<String>>,
    /// Which account, service or team the events come from.
    pub filter: Option<WebhookFilter>,
    /// Whether deliveries are sent.
    pub active: Option<bool>,
    /// What it is for.
    pub description: Option<String>,
}

impl super::Fields for WebhookFields {
    type Object = WebhookSubscription;

    fn body(&self) -> serde_json::Value {
        let mut w = json!({});
        if let Some(d) = &self.delivery {
            let mut dm = json!(d);
            set(&mut dm, "type", json!("http_delivery_method"));
            set(&mut w, "delivery_method", dm);
        }
        set_some(&mut w, "events", self.events.as_ref());
        set_some(&mut w, "filter", self.filter.as_ref());
        set_some(&mut w, "active", self.active);
        set_some(&mut w, "description", self.description.as_ref());
        w
    }

    fn create_body(&self) -> serde_json::Value {
        let mut w = self.body();
        set(&mut w, "type", json!("webhook_subscription"));
        w
    }
}

impl Client {
    /// `GET /webhook_subscriptions`, a page of them.
    pub async fn list_webhook_subscriptions(
        &self,
        filter_type: Option<WebhookFilterType>,
        window: Window,
    ) -> Result<Page<WebhookSubscription>> {
        let filter_type = filter_type.map(WebhookFilterType::query_value);
        self.list_by::<WebhookSubscription>(&json!({"filter_type": filter_type}), window)
            .await
    }

    /// `DELETE /webhook_subscriptions/{id}`.
    pub async fn delete_webhook_subscription(&self, id: &WebhookSubscriptionId) -> Result<()> {
        self.delete::<WebhookSubscription>(id).await
    }
}
