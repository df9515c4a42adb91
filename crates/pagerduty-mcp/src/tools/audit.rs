//! Who changed what: PagerDuty's audit trail, account-wide or for one user, team, schedule (of
//! either kind), escalation policy or service. The security review questions ("overrides by
//! unfamiliar users", "who deleted that schedule", "who edited checkout's policy") in one call.

use jiff::SignedDuration;
use pagerduty::api::audit::{AuditQuery, AuditScope};
use pagerduty::models::{AuditRecord, Reference, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lookup::Lookup;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{ScheduleKind, bounded};
use crate::registry::{Domain, ToolDef, Tools};

/// PagerDuty's widest window for one audit query.
const MAX_RANGE: SignedDuration = SignedDuration::from_hours(31 * 24);
/// Field values longer than this are cut (a description, a long rule).
const MAX_VALUE_CHARS: usize = 200;

const AUDIT: Tools = Tools(Domain::Audit);

pub fn tools() -> Vec<ToolDef> {
    vec![AUDIT.read(
        "list_audit_records",
        "Who changed what, newest first: PagerDuty's audit trail account-wide (admins and \
         account keys) or for one user, team, schedule, escalation policy or service (by id \
         or name), by actor, action and resource type, over since..until (default the last 24 \
         hours, at most 31 days). Each record: when, who and how, the resource and what under \
         it changed, fields before/after. Page with next_cursor.",
        list,
    )]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Kind {
    User,
    Team,
    Schedule,
    EscalationPolicy,
    Service,
}

impl Kind {
    fn collection(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::Team => "teams",
            Self::Schedule => "schedules",
            Self::EscalationPolicy => "escalation_policies",
            Self::Service => "services",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// With `resource`: whose trail to read. Alone: only records about this kind.
    resource_type: Option<Kind>,
    /// The user, team, schedule, escalation policy or service (id or name); needs
    /// resource_type.
    resource: Option<String>,
    /// Only changes by this user (id, email or name).
    actor: Option<String>,
    actions: Option<Vec<Action>>,
    /// RFC 3339; default 24 hours before `until`.
    since: Option<Time>,
    /// RFC 3339; default now. At most 31 days after since.
    until: Option<Time>,
    /// Max records, 1-100; default 25.
    limit: Option<u32>,
    /// next_cursor of the previous call.
    cursor: Option<String>,
}

/// A page of the trail.
#[derive(Serialize, JsonSchema)]
struct Trail {
    records: Vec<Change>,
    /// Pass as `cursor` for older records; absent at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
    /// Set when actor/actions were applied here to a resource's trail (PagerDuty filters only
    /// the account-wide one), so a page may hold fewer records than `limit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Change {
    at: Time,
    action: String,
    /// Who acted; absent when PagerDuty does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<Thing>,
    /// `api_token`, `oauth`, `browser`, … with the token's last 4 characters.
    via: String,
    resource: Thing,
    /// What under the resource changed (an override, a member), when not the resource itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<Thing>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldChange>,
}

/// A resource or actor: kind (`user`, `schedule`, `api_key`, …), id and name.
#[derive(Serialize, JsonSchema, PartialEq)]
struct Thing {
    kind: String,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

impl From<&Reference> for Thing {
    fn from(r: &Reference) -> Self {
        let kind = r.kind.as_deref().unwrap_or_default();
        Self {
            kind: kind.strip_suffix("_reference").unwrap_or(kind).to_owned(),
            id: r.id.clone(),
            name: r.summary.clone().filter(|s| !s.is_empty()),
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct FieldChange {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<String>,
    /// References added to a list (members, targets), by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    added: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removed: Vec<String>,
}

fn cut(s: Option<String>) -> Option<String> {
    s.map(|s| {
        if s.chars().count() > MAX_VALUE_CHARS {
            let mut t: String = s.chars().take(MAX_VALUE_CHARS).collect();
            t.push('…');
            t
        } else {
            s
        }
    })
}

impl From<AuditRecord> for Change {
    fn from(r: AuditRecord) -> Self {
        let resource = Thing::from(&r.root_resource);
        let details = r.details;
        let changed = details
            .as_ref()
            .map(|d| Thing::from(&d.resource))
            .filter(|c| *c != resource);
        let mut fields: Vec<FieldChange> = Vec::new();
        if let Some(d) = details {
            let names = |refs: Option<Vec<Reference>>| -> Vec<String> {
                refs.unwrap_or_default()
                    .into_iter()
                    .map(|r| r.summary.filter(|s| !s.is_empty()).unwrap_or(r.id))
                    .collect()
            };
            fields.extend(
                d.fields
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| FieldChange {
                        name: f.name,
                        value: cut(f.value),
                        before: cut(f.before_value),
                        added: Vec::new(),
                        removed: Vec::new(),
                    }),
            );
            fields.extend(
                d.references
                    .unwrap_or_default()
                    .into_iter()
                    .map(|x| FieldChange {
                        name: x.name,
                        value: None,
                        before: None,
                        added: names(x.added),
                        removed: names(x.removed),
                    }),
            );
        }
        let via = match r.method.truncated_token {
            Some(t) => format!("{} …{t}", r.method.kind),
            None => r.method.kind,
        };
        Self {
            at: r.execution_time,
            action: r.action,
            by: r.actors.unwrap_or_default().first().map(Thing::from),
            via,
            resource,
            changed,
            fields,
        }
    }
}

async fn list(ctx: Ctx, a: Args) -> Result<Trail, ToolError> {
    let limit = bounded("limit", a.limit, 25, 100)?;
    if let (Some(s), Some(u)) = (a.since, a.until) {
        if s > u {
            return Err(ToolError::invalid("since", "must be before until"));
        }
        if u.0.duration_since(s.0) > MAX_RANGE {
            return Err(ToolError::invalid(
                "until",
                "PagerDuty searches at most 31 days at a time; narrow since..until and call again \
                 for the earlier part",
            ));
        }
    }
    let lookup = Lookup::new(&ctx);
    let actor = match a.actor.as_deref() {
        Some(key) => Some(lookup.user(key).await?.id.to_string()),
        None => None,
    };
    let actions: Vec<&'static str> = a
        .actions
        .unwrap_or_default()
        .into_iter()
        .map(Action::as_str)
        .collect();
    let scope = match (a.resource_type, a.resource.as_deref()) {
        (None, Some(_)) => {
            return Err(ToolError::invalid(
                "resource_type",
                "say which kind `resource` is: user, team, schedule, escalation_policy or service",
            ));
        }
        (kind, None) => AuditScope::Account {
            root_resource_types: kind.map(Kind::collection).into_iter().collect(),
            actor: actor.clone().map(|id| ("user_reference", Some(id))),
            actions: actions.clone(),
        },
        (Some(kind), Some(key)) => match kind {
            Kind::User => AuditScope::User(lookup.user(key).await?.id.to_string()),
            Kind::Team => AuditScope::Team(lookup.team(key).await?.id.to_string()),
            Kind::Schedule => {
                let s = lookup.schedule(key).await?;
                match s.kind {
                    ScheduleKind::LayerBased => AuditScope::Schedule(s.id.to_string()),
                    ScheduleKind::ShiftBased => AuditScope::ScheduleV3(s.id.to_string()),
                }
            }
            Kind::EscalationPolicy => {
                AuditScope::EscalationPolicy(lookup.escalation_policy(key).await?.id.to_string())
            }
            Kind::Service => AuditScope::Service(lookup.service(key).await?.id.to_string()),
        },
    };
    // A resource's trail takes no actor or action filter: apply them to what comes back.
    let local =
        !matches!(scope, AuditScope::Account { .. }) && (actor.is_some() || !actions.is_empty());
    let q = AuditQuery {
        scope,
        since: a.since,
        until: a.until,
        cursor: a.cursor,
    };
    let page = ctx.pd.list_audit_records(&q, limit).await?;
    let keep = |r: &AuditRecord| {
        !local
            || (actions.is_empty() || actions.contains(&r.action.as_str()))
                && actor.as_ref().is_none_or(|id| {
                    r.actors
                        .as_ref()
                        .is_some_and(|xs| xs.iter().any(|x| &x.id == id))
                })
    };
    Ok(Trail {
        records: page
            .records
            .into_iter()
            .filter(keep)
            .map(Change::from)
            .collect(),
        next_cursor: page.next_cursor,
        note: local.then(|| {
            "actor/actions were applied to this page of the resource's trail; follow next_cursor \
             for older matches"
                .to_owned()
        }),
    })
}
