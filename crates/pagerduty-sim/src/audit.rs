//! The audit trail (`/audit/records`): who changed what. Every successful write to a resource
//! PagerDuty audits (users, teams, schedules of both kinds, escalation policies, services, and
//! anything under them) appends one record, centrally: the request-observing middleware opens a
//! [`Pending`] record before the request and finishes it with the answer, so no handler has to
//! remember to.
//! Incidents, maintenance windows and the like are not in PagerDuty's audit trail, nor here.

use axum::http::{HeaderMap, Method};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::auth;
use crate::render::{API_BASE, Render};
use crate::store::{Account, Credential, Store};

/// A resource type the audit trail is kept for (`root_resource_types[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    User,
    Team,
    Schedule,
    EscalationPolicy,
    Service,
}

impl RootKind {
    pub const ALL: [Self; 5] = [
        Self::User,
        Self::Team,
        Self::Schedule,
        Self::EscalationPolicy,
        Self::Service,
    ];

    /// The collection name (`root_resource_types[]` values and URL segments).
    pub fn collection(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::Team => "teams",
            Self::Schedule => "schedules",
            Self::EscalationPolicy => "escalation_policies",
            Self::Service => "services",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Team => "team",
            Self::Schedule => "schedule",
            Self::EscalationPolicy => "escalation_policy",
            Self::Service => "service",
        }
    }

    fn from_collection(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.collection() == s)
    }

    /// The current name of a resource of this kind, if it still exists.
    fn name_of(self, a: &Account, id: &str) -> Option<String> {
        match self {
            Self::User => a.user(id).map(|u| u.name.clone()),
            Self::Team => a.team(id).map(|t| t.name.clone()),
            Self::Schedule => a
                .schedule(id)
                .map(|s| s.name.clone())
                .or_else(|| a.schedule_v3(id).map(|s| s.name.clone())),
            Self::EscalationPolicy => a.escalation_policy(id).map(|e| e.name.clone()),
            Self::Service => a.service(id).map(|s| s.name.clone()),
        }
    }

    /// Whether the resource exists (the per-resource lists answer 404 otherwise).
    pub fn exists(self, a: &Account, id: &str) -> bool {
        self.name_of(a, id).is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(String),
    /// An account-level API key (it has no user).
    ApiKey,
}

/// The id PagerDuty's audit trail would give the account key.
pub const API_KEY_ID: &str = "PSIMKEY";

/// A changed field: its new value and, for updates and deletes, the one before (when known).
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub value: Option<String>,
    pub before: Option<String>,
}

/// `(type, id, summary)` of a resource, with its name as it was when recorded (it may be
/// deleted since).
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: String,
    pub id: String,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub id: String,
    pub at: Timestamp,
    pub actor: Actor,
    /// `api_token`, `oauth` or `browser`.
    pub method: &'static str,
    pub truncated_token: Option<String>,
    pub root_kind: RootKind,
    pub root: Resource,
    /// What changed: the root itself or something under it (an override, a member).
    pub resource: Resource,
    pub action: Action,
    pub fields: Vec<Field>,
}

impl AuditRecord {
    pub fn actor_type(&self) -> &'static str {
        match self.actor {
            Actor::User(_) => "user_reference",
            Actor::ApiKey => "api_key_reference",
        }
    }

    pub fn actor_id(&self) -> &str {
        match &self.actor {
            Actor::User(id) => id,
            Actor::ApiKey => API_KEY_ID,
        }
    }

    pub fn render(&self, r: &Render) -> Value {
        let reference =
            |res: &Resource| json!({"id": res.id, "type": res.kind, "summary": res.summary});
        let actor = match &self.actor {
            Actor::User(id) => r.user_ref(id),
            Actor::ApiKey => {
                json!({"id": API_KEY_ID, "type": "api_key_reference", "summary": "General access API key"})
            }
        };
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| {
                let mut o = json!({"name": f.name});
                if let Some(v) = &f.value {
                    o["value"] = json!(v);
                }
                if let Some(b) = &f.before {
                    o["before_value"] = json!(b);
                }
                o
            })
            .collect();
        let mut method = json!({"type": self.method});
        if let Some(t) = &self.truncated_token {
            method["truncated_token"] = json!(t);
        }
        json!({
            "id": self.id,
            "self": format!("{API_BASE}/audit/records/{}", self.id),
            "execution_time": r.time(self.at),
            "execution_context": {"request_id": format!("sim-{}", self.id), "remote_address": "127.0.0.1"},
            "actors": [actor],
            "method": method,
            "root_resource": reference(&self.root),
            "action": self.action.as_str(),
            "details": {"resource": reference(&self.resource), "fields": fields},
        })
    }
}

/// A write under way to an audited resource: who makes it and the names of what it touches
/// as they were before (a deleted resource keeps its name in the trail).
pub struct Pending {
    account: usize,
    actor: Actor,
    method: &'static str,
    truncated_token: Option<String>,
    action: Action,
    root_kind: RootKind,
    /// `None` for a create at the collection (the id comes from the answer).
    root_id: Option<String>,
    root_name: Option<String>,
    /// `(collection, id)` of what under the root the path names, e.g. `("users", "P1")`.
    sub: Option<(String, Option<String>)>,
    sub_name: Option<String>,
}

impl Pending {
    /// `None` when the request is no write to an audited resource, or is not authenticated.
    pub fn start(store: &Store, method: &Method, path: &str, headers: &HeaderMap) -> Option<Self> {
        let action = match *method {
            Method::POST => Action::Create,
            Method::PUT | Method::PATCH => Action::Update,
            Method::DELETE => Action::Delete,
            _ => return None,
        };
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        // Shift-based schedules (`/v3/schedules/...`) are schedules in the trail too.
        let segments = match segments.as_slice() {
            ["v3", rest @ ..] => rest.to_vec(),
            _ => segments,
        };
        let root_kind = RootKind::from_collection(segments.first()?)?;
        let (account, credential) = auth::authenticate(store, headers)?;
        let acct = store.accounts.get(account)?;
        let (actor, method) = match credential {
            Credential::UserToken { user_id } => (Actor::User(user_id), "api_token"),
            Credential::OAuth { user_id } => (Actor::User(user_id), "oauth"),
            Credential::AccountKey { .. } => (Actor::ApiKey, "api_token"),
        };
        let root_id = segments.get(1).map(|s| (*s).to_owned());
        let sub = segments
            .get(2)
            .map(|c| ((*c).to_owned(), segments.get(3).map(|s| (*s).to_owned())));
        let sub_name = match &sub {
            Some((c, Some(id))) => RootKind::from_collection(c).and_then(|k| k.name_of(acct, id)),
            _ => None,
        };
        Some(Self {
            account,
            actor,
            method,
            truncated_token: auth::parse_authorization(headers).map(|(_, t)| last_four(&t)),
            action,
            root_kind,
            root_name: root_id
                .as_deref()
                .and_then(|id| root_kind.name_of(acct, id)),
            root_id,
            sub,
            sub_name,
        })
    }

    /// Appends the record(s) of the write, which succeeded; `request` and `response` are the
    /// JSON bodies (`Null` when empty).
    pub fn finish(self, store: &mut Store, at: Timestamp, request: &Value, response: &Value) {
        let Some(acct) = store.accounts.get_mut(self.account) else {
            return;
        };
        let created = created_ids(response);
        let Some(root_id) = self.root_id.or_else(|| created.first().cloned()) else {
            return;
        };
        let root = Resource {
            kind: format!("{}_reference", self.root_kind.singular()),
            summary: self
                .root_name
                .or_else(|| self.root_kind.name_of(acct, &root_id))
                .unwrap_or_default(),
            id: root_id,
        };
        // What changed under the root: `/schedules/{id}/overrides[/{oid}]`,
        // `/teams/{id}/users/{uid}`; created sub-resources take their ids from the answer.
        let changed: Vec<Resource> = match self.sub {
            None => vec![root.clone()],
            Some((collection, id)) => {
                let kind = format!("{}_reference", singular(&collection));
                let named = RootKind::from_collection(&collection);
                let ids = match id {
                    Some(id) => vec![id],
                    None => created,
                };
                ids.into_iter()
                    .map(|id| Resource {
                        kind: kind.clone(),
                        summary: self
                            .sub_name
                            .clone()
                            .or_else(|| named.and_then(|k| k.name_of(acct, &id)))
                            .unwrap_or_default(),
                        id,
                    })
                    .collect()
            }
        };
        let mut fields = changed_fields(request);
        if self.action == Action::Delete && changed.len() == 1 && !changed[0].summary.is_empty() {
            fields.push(Field {
                name: "name".into(),
                value: None,
                before: Some(changed[0].summary.clone()),
            });
        }
        for resource in changed {
            // Their own sequence, so auditing never shifts the ids writes mint.
            let id = format!("PAR{:05}", acct.audit_records.len() + 1);
            acct.audit_records.push(AuditRecord {
                id,
                at,
                actor: self.actor.clone(),
                method: self.method,
                truncated_token: self.truncated_token.clone(),
                root_kind: self.root_kind,
                root: root.clone(),
                resource,
                action: self.action,
                fields: fields.clone(),
            });
        }
    }
}

fn last_four(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn singular(collection: &str) -> &str {
    match collection {
        "escalation_policies" => "escalation_policy",
        "users" => "user",
        c => c.strip_suffix('s').unwrap_or(c),
    }
}

/// Ids of what a write created: the answer's one object (`{"service": {...}}`), or the objects
/// of its list (`[{"status": 201, "override": {...}}]`), skipping failed items.
fn created_ids(response: &Value) -> Vec<String> {
    let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_owned);
    let item = |v: &Value| {
        if let Some(status) = v.get("status").and_then(Value::as_u64)
            && !(200..300).contains(&status)
        {
            return None;
        }
        id(v).or_else(|| v.as_object()?.values().find_map(&id))
    };
    let list = |v: &Value| match v {
        Value::Object(_) => id(v).map(|i| vec![i]),
        Value::Array(items) => Some(items.iter().filter_map(item).collect()),
        _ => None,
    };
    match response {
        // `POST /schedules/{id}/overrides` answers with a bare list.
        Value::Array(_) => list(response).unwrap_or_default(),
        Value::Object(obj) => obj.values().find_map(list).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The fields a write sent: the scalar fields of its one object (the first, for a list), and
/// the ids of references in it. `type` is noise.
fn changed_fields(request: &Value) -> Vec<Field> {
    let Some(obj) = request.as_object() else {
        return Vec::new();
    };
    let inner = match obj.values().next() {
        Some(Value::Object(o)) if obj.len() == 1 => o,
        Some(Value::Array(items)) if obj.len() == 1 => match items.first() {
            Some(Value::Object(o)) => o,
            _ => return Vec::new(),
        },
        _ => obj,
    };
    inner
        .iter()
        .filter(|(k, _)| k.as_str() != "type")
        .filter_map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Object(o) => o.get("id")?.as_str()?.to_owned(),
                _ => return None,
            };
            Some(Field {
                name: k.clone(),
                value: Some(value),
                before: None,
            })
        })
        .collect()
}

/// A recent trail: changes by people other than the demo user (an override created this
/// morning, a policy edit, a service's ack timeout, a schedule deleted by the account key).
pub fn seed(acct: &mut Account, now: Timestamp) {
    let ago = |h: i64| now.checked_sub(SignedDuration::from_mins(h)).unwrap_or(now);
    let user = |a: &Account, name: &str| {
        a.users
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.id.clone())
    };
    let (Some(yuki), Some(olivia), Some(priya), Some(hannah)) = (
        user(acct, "Yuki Tanaka"),
        user(acct, "Olivia Brown"),
        user(acct, "Priya Shah"),
        user(acct, "Hannah Schmidt"),
    ) else {
        return;
    };
    let field = |name: &str, value: Option<&str>, before: Option<&str>| Field {
        name: name.into(),
        value: value.map(Into::into),
        before: before.map(Into::into),
    };
    let resource = |kind: &str, id: &str, summary: &str| Resource {
        kind: kind.into(),
        id: id.into(),
        summary: summary.into(),
    };
    let mut plan: Vec<AuditRecord> = Vec::new();
    let change = |mins: i64,
                  actor: Actor,
                  root_kind: RootKind,
                  root: Resource,
                  resource: Resource,
                  action: Action,
                  fields: Vec<Field>| AuditRecord {
        id: String::new(),
        at: ago(mins),
        method: "api_token",
        truncated_token: Some(
            if actor == Actor::ApiKey {
                "0001"
            } else {
                "_sim"
            }
            .into(),
        ),
        actor,
        root_kind,
        root,
        resource,
        action,
        fields,
    };
    if let Some(s) = acct.schedules.iter().find(|s| s.name == "Platform Primary") {
        let root = resource("schedule_reference", &s.id, &s.name);
        // The override active now (seeded in `seed`) was put in by Yuki this morning.
        if let Some(o) = s.overrides.iter().find(|o| o.start <= now && now < o.end) {
            plan.push(change(
                3 * 60,
                Actor::User(yuki.clone()),
                RootKind::Schedule,
                root.clone(),
                resource("override_reference", &o.id, ""),
                Action::Create,
                vec![
                    field("start", Some(&o.start.to_string()), None),
                    field("end", Some(&o.end.to_string()), None),
                    field("user", Some(&o.user_id), None),
                ],
            ));
        }
        plan.push(change(
            26 * 60,
            Actor::User(yuki.clone()),
            RootKind::Schedule,
            root.clone(),
            root,
            Action::Update,
            vec![field(
                "description",
                Some(&s.description),
                Some("Weekly rotation, hand-off Mondays 10:00 London"),
            )],
        ));
    }
    if let Some(ep) = acct
        .escalation_policies
        .iter()
        .find(|e| e.name == "Mobile Escalation")
    {
        let root = resource("escalation_policy_reference", &ep.id, &ep.name);
        plan.push(change(
            2 * 24 * 60,
            Actor::User(olivia),
            RootKind::EscalationPolicy,
            root.clone(),
            root,
            Action::Update,
            vec![field(
                "num_loops",
                Some(&ep.num_loops.to_string()),
                Some("0"),
            )],
        ));
    }
    if let Some(s) = acct.services.iter().find(|s| s.name == "Checkout API") {
        let root = resource("service_reference", &s.id, &s.name);
        let timeout = s.acknowledgement_timeout.map(|t| t.to_string());
        plan.push(change(
            5 * 24 * 60,
            Actor::User(priya),
            RootKind::Service,
            root.clone(),
            root,
            Action::Update,
            vec![field(
                "acknowledgement_timeout",
                timeout.as_deref(),
                Some("3600"),
            )],
        ));
    }
    if let Some(t) = acct.teams.iter().find(|t| t.name == "Data") {
        let root = resource("team_reference", &t.id, &t.name);
        let member = acct.users.iter().find(|u| u.name == "Emma Dubois");
        if let Some(m) = member {
            plan.push(change(
                10 * 24 * 60,
                Actor::User(hannah),
                RootKind::Team,
                root,
                resource("user_reference", &m.id, &m.name),
                Action::Update,
                vec![field("team_role", Some("responder"), Some("observer"))],
            ));
        }
    }
    plan.push(change(
        20 * 24 * 60,
        Actor::ApiKey,
        RootKind::Schedule,
        resource("schedule_reference", "PSCHDEL", "Legacy DB On-Call"),
        resource("schedule_reference", "PSCHDEL", "Legacy DB On-Call"),
        Action::Delete,
        vec![field("name", None, Some("Legacy DB On-Call"))],
    ));
    // Oldest first, as writes append; seeded ids have their own prefix so they never shift
    // ids minted by writes.
    plan.sort_by_key(|r| r.at);
    for (i, mut r) in plan.into_iter().enumerate() {
        r.id = format!("PAUD{:03}", i + 1);
        acct.audit_records.push(r);
    }
}
