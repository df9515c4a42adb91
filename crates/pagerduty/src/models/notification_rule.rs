use serde::Deserialize;

use super::{Reference, lenient};

/// A way to reach a user: email, phone call, SMS, push, WhatsApp.
#[derive(Clone, Debug, Deserialize)]
pub struct ContactMethod {
    /// The contact method's id.
    pub id: String,
    /// `email_contact_method`, `phone_contact_method`, `sms_contact_method`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's name for it ("Work", "Mobile").
    #[serde(default, deserialize_with = "lenient")]
    pub label: Option<String>,
    /// The email address or phone number (without country code).
    #[serde(default, deserialize_with = "lenient")]
    pub address: Option<String>,
    /// The phone number's country calling code.
    #[serde(default, deserialize_with = "lenient")]
    pub country_code: Option<u32>,
}

/// "For incidents of this urgency, contact me this way after this many minutes."
#[derive(Clone, Debug, Deserialize)]
pub struct NotificationRule {
    /// The rule's id.
    pub id: String,
    /// Minutes after the incident is assigned.
    pub start_delay_in_minutes: u32,
    /// `high` or `low`.
    pub urgency: String,
    /// The contact method used.
    /// The contact method used.
    pub contact_method: Reference,
}

/// "Tell me this long before I go on (or off) call."
#[derive(Clone, Debug, Deserialize)]
pub struct HandoffNotificationRule {
    /// The rule's id.
    pub id: String,
    /// `both`, `oncall` or `offcall`.
    pub handoff_type: String,
    /// Minutes before the handoff.
    #[serde(default, deserialize_with = "lenient")]
    pub notify_advance_in_minutes: Option<u32>,
    /// The contact method used.
    pub contact_method: Reference,
}
