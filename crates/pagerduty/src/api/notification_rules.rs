//! How a user gets paged: contact methods, notification rules and handoff rules.

use reqwest::Method;

use crate::ids::UserId;
use crate::models::{ContactMethod, HandoffNotificationRule, NotificationRule, User};
use crate::{Client, Result};

impl Client {
    /// A user's contact methods.
    pub async fn list_contact_methods(&self, user: &UserId) -> Result<Vec<ContactMethod>> {
        self.nested::<User>(Method::GET, user, &["contact_methods"])
            .subject(format!("the contact methods of user {user}"))
            .send_one("contact_methods")
            .await
    }

    /// Rules of both urgencies (PagerDuty answers only high-urgency ones unless asked).
    pub async fn list_notification_rules(&self, user: &UserId) -> Result<Vec<NotificationRule>> {
        self.nested::<User>(Method::GET, user, &["notification_rules"])
            .subject(format!("the notification rules of user {user}"))
            .query("urgency", "all")
            .send_one("notification_rules")
            .await
    }

    /// A user's on-call handoff notification rules.
    pub async fn list_handoff_notification_rules(
        &self,
        user: &UserId,
    ) -> Result<Vec<HandoffNotificationRule>> {
        self.nested::<User>(Method::GET, user, &["oncall_handoff_notification_rules"])
            .subject(format!("the handoff notification rules of user {user}"))
            .send_one("oncall_handoff_notification_rules")
            .await
    }
}
