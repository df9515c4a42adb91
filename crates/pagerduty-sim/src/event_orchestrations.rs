//! Event orchestrations: global orchestrations with their router and global rules, and
//! one service orchestration per service. Rule trees are kept as JSON (PagerDuty's own
//! free-form shape); seeding is deterministic from `(seed, now)`.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::rng::Rng;
use crate::store::Account;

/// One orchestration path (router, global or service): its rule sets and catch-all.
#[derive(Debug, Clone)]
pub struct OrchestrationPath {
    /// `[{id, rules: [{id, label, conditions, actions, disabled}]}]`.
    pub sets: Value,
    /// `{actions: {...}}`.
    pub catch_all: Value,
    pub created_at: Timestamp,
    pub created_by: Option<String>,
    pub updated_at: Timestamp,
    pub updated_by: Option<String>,
    pub version: String,
}

#[derive(Debug, Clone)]
pub struct OrchestrationIntegration {
    pub id: String,
    pub label: String,
    pub routing_key: String,
}

/// A global event orchestration.
#[derive(Debug, Clone)]
pub struct EventOrchestration {
    pub id: String,
    pub name: String,
    pub description: String,
    pub team_id: Option<String>,
    pub integrations: Vec<OrchestrationIntegration>,
    pub created_at: Timestamp,
    pub created_by: Option<String>,
    pub updated_at: Timestamp,
    pub updated_by: Option<String>,
    pub version: String,
    pub router: OrchestrationPath,
    pub global: OrchestrationPath,
}

impl EventOrchestration {
    /// How many routing rules the router has (the `routes` count).
    pub fn routes(&self) -> usize {
        self.router
            .sets
            .as_array()
            .map(|sets| {
                sets.iter()
                    .filter_map(|s| s.get("rules").and_then(Value::as_array))
                    .map(Vec::len)
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// The orchestration of one service.
#[derive(Debug, Clone)]
pub struct ServiceOrchestration {
    pub service_id: String,
    pub path: OrchestrationPath,
}

fn ts(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

/// An 8-hex-digit rule id, as PagerDuty gives them.
pub fn rule_id(rng: &mut Rng) -> String {
    const H: &[u8] = b"0123456789abcdef";
    (0..8).map(|_| H[rng.below(16) as usize] as char).collect()
}

/// An opaque version string like PagerDuty's (`<base64-ish>`).
pub fn version(rng: &mut Rng) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..20)
        .map(|_| A[rng.below(A.len() as u64) as usize] as char)
        .collect()
}

fn service_id(acct: &Account, name: &str) -> Option<String> {
    acct.services
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.id.clone())
}

fn team_id(acct: &Account, name: &str) -> Option<String> {
    acct.teams
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.id.clone())
}

/// (label, condition expression, service name, disabled)
type RouteSpec = (&'static str, &'static str, &'static str, bool);

const STOREFRONT: &[RouteSpec] = &[
    (
        "Checkout events",
        "event.summary matches part 'checkout'",
        "Checkout API",
        false,
    ),
    (
        "Payment provider events",
        "event.summary matches part 'payment' or event.source matches part 'psp'",
        "Payments Gateway",
        false,
    ),
    (
        "Search cluster",
        "event.source matches part 'elasticsearch'",
        "Search",
        false,
    ),
];

const PLATFORM: &[RouteSpec] = &[
    (
        "Login and sessions",
        "event.summary matches part 'login' or event.summary matches part 'oauth'",
        "Auth Service",
        false,
    ),
    (
        "Mobile BFF",
        "event.custom_details.app matches part 'mobile'",
        "Mobile Backend",
        false,
    ),
    (
        "Kafka and batch jobs",
        "event.source matches part 'kafka'",
        "Data Pipeline",
        true,
    ),
];

pub fn seed(acct: &mut Account, seed: u64, now: Timestamp) {
    let mut rng = Rng::new(seed ^ 0x0E0C_4E57_2A7E);
    let day = 86_400;
    let author = acct.users.first().map(|u| u.id.clone());
    let specs = [
        (
            "Storefront events",
            "Routes monitoring events for the shop to its services",
            "Payments",
            STOREFRONT,
        ),
        (
            "Platform events",
            "Routes infrastructure and platform alerts",
            "Platform",
            PLATFORM,
        ),
    ];
    for (i, (name, desc, team, routes)) in specs.into_iter().enumerate() {
        let created = ts(now, -(200 - 30 * i as i64) * day);
        let updated = ts(now, -(20 - 5 * i as i64) * day);
        let rules: Vec<Value> = routes
            .iter()
            .filter_map(|(label, expr, svc, disabled)| {
                let to = service_id(acct, svc)?;
                Some(json!({
                    "id": rule_id(&mut rng),
                    "label": label,
                    "conditions": [{"expression": expr}],
                    "actions": {"route_to": to},
                    "disabled": disabled,
                }))
            })
            .collect();
        let path = |rng: &mut Rng, sets: Value, catch_all: Value| OrchestrationPath {
            sets,
            catch_all,
            created_at: created,
            created_by: author.clone(),
            updated_at: updated,
            updated_by: author.clone(),
            version: version(rng),
        };
        let router = path(
            &mut rng,
            json!([{"id": "start", "rules": rules}]),
            json!({"actions": {"route_to": "unrouted"}}),
        );
        let global_rules = json!([
            {
                "id": rule_id(&mut rng),
                "label": "Drop heartbeat noise",
                "conditions": [{"expression": "event.summary matches part 'heartbeat'"}],
                "actions": {"drop_event": true},
                "disabled": false,
            },
            {
                "id": rule_id(&mut rng),
                "label": "Critical on server errors",
                "conditions": [{"expression": "event.custom_details.status_code matches regex '5[0-9][0-9]'"}],
                "actions": {"severity": "critical", "annotate": "Server errors seen by the edge"},
                "disabled": false,
            },
        ]);
        let global = path(
            &mut rng,
            json!([{"id": "start", "rules": global_rules}]),
            json!({"actions": {}}),
        );
        let id = acct.new_id();
        let integration = OrchestrationIntegration {
            id: format!(
                "{}-{}-{}",
                rule_id(&mut rng),
                &rule_id(&mut rng)[..4],
                rule_id(&mut rng)
            ),
            label: format!("{name} default integration"),
            routing_key: format!("R0{}", version(&mut rng).to_uppercase()),
        };
        acct.event_orchestrations.push(EventOrchestration {
            id,
            name: name.into(),
            description: desc.into(),
            team_id: team_id(acct, team),
            integrations: vec![integration],
            created_at: created,
            created_by: author.clone(),
            updated_at: updated,
            updated_by: author.clone(),
            version: version(&mut rng),
            router,
            global,
        });
    }
    // One orchestration per service: warnings become low priority, deploy noise is suppressed.
    let low = acct.priorities.last().map(|p| p.id.clone());
    let services: Vec<(String, String, Timestamp)> = acct
        .services
        .iter()
        .map(|s| (s.id.clone(), s.name.clone(), s.created_at))
        .collect();
    for (sid, name, created) in services {
        let mut warn = json!({"annotate": format!("Warning on {name}; no page needed"), "severity": "warning"});
        if let Some(p) = &low {
            warn["priority"] = json!(p);
        }
        let sets = json!([{
            "id": "start",
            "rules": [
                {
                    "id": rule_id(&mut rng),
                    "label": "Warnings are low priority",
                    "conditions": [{"expression": "event.severity matches 'warning'"}],
                    "actions": warn,
                    "disabled": false,
                },
                {
                    "id": rule_id(&mut rng),
                    "label": "Suppress deploy chatter",
                    "conditions": [{"expression": "event.summary matches part 'deploy started'"}],
                    "actions": {"suppress": true},
                    "disabled": false,
                },
            ],
        }]);
        acct.service_orchestrations.push(ServiceOrchestration {
            service_id: sid,
            path: OrchestrationPath {
                sets,
                catch_all: json!({"actions": {}}),
                created_at: created,
                created_by: author.clone(),
                updated_at: ts(now, -7 * day),
                updated_by: author.clone(),
                version: version(&mut rng),
            },
        });
    }
}
