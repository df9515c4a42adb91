//! How a person gets paged: their notification rules per urgency (which contact method, after
//! how many minutes) and their on-call handoff notices, each contact method resolved to its
//! kind and address (`--redact` masks addresses like any other result). With the escalation
//! chain of `get_escalation_policy` this answers "if this fires now, who is called, how, when".

use pagerduty::models::ContactMethod;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lookup::Lookup;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Domain, ToolDef, Tools};

const USERS: Tools = Tools(Domain::Users);

pub fn tools() -> Vec<ToolDef> {
    vec![
        USERS
            .read(
                "list_notification_rules",
                "How a user (id, email or name; default me) gets paged: per urgency (high, low) \
                 each step's delay in minutes and contact method (sms, phone, email, push: label \
                 and address), in order, plus their on-call handoff notices (on/off call, minutes \
                 ahead, how).",
                list,
            )
            .titled("How a user is notified"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Id, email or name; default the current user.
    user: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Notifications {
    user: Person,
    /// Steps for high-urgency incidents, earliest first.
    high_urgency: Vec<Step>,
    low_urgency: Vec<Step>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    handoff: Vec<Handoff>,
}

#[derive(Serialize, JsonSchema)]
struct Person {
    id: String,
    name: String,
}

#[derive(Serialize, JsonSchema)]
struct Step {
    after_minutes: u32,
    #[serde(flatten)]
    via: Via,
}

#[derive(Serialize, JsonSchema)]
struct Handoff {
    /// `oncall`, `offcall` or `both`.
    when: String,
    minutes_before: u32,
    #[serde(flatten)]
    via: Via,
}

/// A contact method: kind (`sms`, `phone`, `email`, `push_notification`, `whatsapp`), label
/// and address (phone numbers with their country code).
#[derive(Serialize, JsonSchema)]
struct Via {
    via: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
}

fn kind(type_name: &str) -> String {
    let t = type_name.strip_suffix("_reference").unwrap_or(type_name);
    t.strip_suffix("_contact_method").unwrap_or(t).to_owned()
}

/// The contact method `id` of the user; one that is gone is named by its reference alone.
fn via(methods: &[ContactMethod], id: &str, type_name: Option<&str>) -> Via {
    match methods.iter().find(|m| m.id == id) {
        Some(m) => Via {
            via: kind(&m.kind),
            label: m.label.clone(),
            address: match (m.country_code, &m.address) {
                (Some(cc), Some(a)) => Some(format!("+{cc} {a}")),
                (None, a) => a.clone(),
                (_, None) => None,
            },
        },
        None => Via {
            via: kind(type_name.unwrap_or("unknown")),
            label: None,
            address: None,
        },
    }
}

async fn list(ctx: Ctx, a: Args) -> Result<Notifications, ToolError> {
    let user = match a.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(key) => Lookup::new(&ctx).user(key).await?,
        None => ctx.pd.current_user().await?.clone(),
    };
    let (methods, rules, handoffs) = futures::try_join!(
        ctx.pd.list_contact_methods(&user.id),
        ctx.pd.list_notification_rules(&user.id),
        ctx.pd.list_handoff_notification_rules(&user.id),
    )?;
    let steps = |urgency: &str| -> Vec<Step> {
        let mut s: Vec<Step> = rules
            .iter()
            .filter(|r| r.urgency == urgency)
            .map(|r| Step {
                after_minutes: r.start_delay_in_minutes,
                via: via(
                    &methods,
                    &r.contact_method.id,
                    r.contact_method.kind.as_deref(),
                ),
            })
            .collect();
        s.sort_by_key(|x| x.after_minutes);
        s
    };
    Ok(Notifications {
        high_urgency: steps("high"),
        low_urgency: steps("low"),
        handoff: handoffs
            .iter()
            .map(|h| Handoff {
                when: h.handoff_type.clone(),
                minutes_before: h.notify_advance_in_minutes.unwrap_or(0),
                via: via(
                    &methods,
                    &h.contact_method.id,
                    h.contact_method.kind.as_deref(),
                ),
            })
            .collect(),
        user: Person {
            id: user.id.to_string(),
            name: user.name,
        },
    })
}
