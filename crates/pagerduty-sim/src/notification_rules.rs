//! How each user gets paged: notification rules (per urgency, a contact method after a delay)
//! and on-call handoff notification rules. Seeding is deterministic; seeded ids have their own
//! prefixes so they never shift other ids.

use crate::store::{Account, ContactMethod, Urgency};

#[derive(Debug, Clone)]
pub struct NotificationRule {
    pub id: String,
    pub user_id: String,
    pub urgency: Urgency,
    pub start_delay_in_minutes: i64,
    pub contact_method_id: String,
}

#[derive(Debug, Clone)]
pub struct HandoffRule {
    pub id: String,
    pub user_id: String,
    /// `both`, `oncall` or `offcall`.
    pub handoff_type: &'static str,
    pub notify_advance_in_minutes: i64,
    pub contact_method_id: String,
}

/// The user with SMS, phone and email rules (on call now through an override).
pub const SMS_USER: &str = "Samuel Okafor";

/// Everyone: high urgency by email at once and by phone after 5 minutes (when they have one),
/// low urgency by email. Samuel Okafor also gets an SMS method: SMS at once, a call after 3
/// minutes, email after 10; and handoff notices by SMS an hour before going on and off call.
pub fn seed(acct: &mut Account) {
    let mut n = 0;
    let mut next = |prefix: &str| {
        n += 1;
        format!("{prefix}{n:04}")
    };
    let mut rules = Vec::new();
    let mut handoffs = Vec::new();
    for user in &mut acct.users {
        let of = |u: &crate::store::User, kind: &str| {
            u.contact_methods
                .iter()
                .find(|c| c.kind == kind)
                .map(|c| c.id.clone())
        };
        let email = of(user, "email_contact_method");
        let phone = of(user, "phone_contact_method");
        let plan: Vec<(Urgency, i64, Option<String>)> = if user.name == SMS_USER {
            let sms = next("PCMS");
            user.contact_methods.push(ContactMethod {
                id: sms.clone(),
                kind: "sms_contact_method".into(),
                label: "Mobile SMS".into(),
                address: "5550177342".into(),
            });
            handoffs.push(HandoffRule {
                id: next("PHNR"),
                user_id: user.id.clone(),
                handoff_type: "both",
                notify_advance_in_minutes: 60,
                contact_method_id: sms.clone(),
            });
            vec![
                (Urgency::High, 0, Some(sms)),
                (Urgency::High, 3, phone),
                (Urgency::High, 10, email.clone()),
                (Urgency::Low, 0, email),
            ]
        } else {
            vec![
                (Urgency::High, 0, email.clone()),
                (Urgency::High, 5, phone),
                (Urgency::Low, 0, email),
            ]
        };
        for (urgency, delay, cm) in plan {
            if let Some(cm) = cm {
                rules.push(NotificationRule {
                    id: next("PNRL"),
                    user_id: user.id.clone(),
                    urgency,
                    start_delay_in_minutes: delay,
                    contact_method_id: cm,
                });
            }
        }
    }
    acct.notification_rules = rules;
    acct.handoff_rules = handoffs;
}
