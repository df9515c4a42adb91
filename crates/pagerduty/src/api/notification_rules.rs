//! How a user gets paged: contact methods, notification rules and handoff rules.

use reqwest::Method;
use serde::Deserialize;

use crate::ids::UserId;
use crate::models::{ContactMethod, HandoffNotificationRule, NotificationRule};
use crate::{Client, Result};

#[derive(Deserialize)]
struct Rules {
    notification_rules: Vec<NotificationRule>,
}

#[derive(Deserialize)]
struct Handoffs {
    oncall_handoff_notification_rules: Vec<HandoffNotificationRule>,
}

#[derive(Deserialize)]
struct Methods {
    contact_methods: Vec<ContactMethod>,
}

impl Client {
    /// A user's contact methods.
    pub async fn list_contact_methods(&self, user: &UserId) -> Result<Vec<ContactMethod>> {
        let m: Methods = self
            .request(Method::GET, &["users", user.as_str(), "contact_methods"])
            .subject(format!("the contact methods of user {user}"))
            .send()
            .await?;
        Ok(m.contact_methods)
    }

    /// Rules of both urgencies (PagerDuty answers only high-urgency ones unless asked).
    pub async fn list_notification_rules(&self, user: &UserId) -> Result<Vec<NotificationRule>> {
        let r: Rules = self
            .request(Method::GET, &["users", user.as_str(), "notification_rules"])
            .subject(format!("the notification rules of user {user}"))
            .query("urgency", "all")
            .send()
            .await?;
        Ok(r.notification_rules)
    }

    /// A user's on-call handoff notification rules.
    pub async fn list_handoff_notification_rules(
        &self,
        user: &UserId,
    ) -> Result<Vec<HandoffNotificationRule>> {
        let r: Handoffs = self
            .request(
                Method::GET,
                &["users", user.as_str(), "oncall_handoff_notification_rules"],
            )
            .subject(format!("the handoff notification rules of user {user}"))
            .send()
            .await?;
        Ok(r.oncall_handoff_notification_rules)
    }
}
