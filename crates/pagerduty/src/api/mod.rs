//! PagerDuty calls, one module per resource. Each is a method on [`crate::Client`].

pub mod alert_grouping;
pub mod analytics;
pub mod audit;
pub mod business_services;
pub mod change_events;
pub mod escalation_policies;
pub mod event_orchestrations;
pub mod extension_schemas;
pub mod incident_intelligence;
pub mod incident_triage;
pub mod incident_workflows;
pub mod incidents;
pub mod log_entries;
pub mod maintenance_windows;
pub mod notification_rules;
pub mod oncalls;
pub mod priorities;
pub mod schedules;
pub mod services;
pub mod status_pages;
pub mod teams;
pub mod users;
pub mod webhooks;
