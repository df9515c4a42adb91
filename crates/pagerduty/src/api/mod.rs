//! PagerDuty calls, one module per resource. Each is a method on [`crate::Client`].

pub mod alert_grouping;
pub mod analytics;
pub mod audit;
pub mod business_services;
pub mod change_events;
/// Escalation policies: list, get, create, update.
pub mod escalation_policies;
pub mod event_orchestrations;
pub mod extension_schemas;
pub mod incident_intelligence;
pub mod incident_triage;
pub mod incident_workflows;
pub mod incidents;
pub mod log_entries;
/// Maintenance windows: list, get, create, delete.
pub mod maintenance_windows;
/// A user's notification rules, contact methods and handoff notification rules.
pub mod notification_rules;
/// Who is on call (`/oncalls`).
pub mod oncalls;
/// Incident priorities (`/priorities`).
pub mod priorities;
pub mod schedules;
/// Services: list, get, create, update.
pub mod services;
pub mod status_pages;
pub mod teams;
/// Users: me, list, get, create.
pub mod users;
pub mod webhooks;

/// Adds `key` to the request body `body`, a JSON object by construction (a `json!({…})`
/// literal or a serialized struct); unlike `body[key] = …` it cannot panic.
pub(crate) fn set(body: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let serde_json::Value::Object(map) = body {
        map.insert(key.to_owned(), value);
    }
}
