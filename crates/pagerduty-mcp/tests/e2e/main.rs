//! End-to-end tests: the real `pagerduty-mcp` binary, driven by rmcp's MCP client over stdio,
//! against the PagerDuty simulator. One test binary, one module per domain (as ripgrep does).

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;
mod hosted;
mod http;
mod raw_stdio;

mod alert_grouping;
mod alerts;
mod analytics;
mod audit;
mod brief;
mod budget;
mod bundle;
mod business_services;
mod callers;
mod change_events;
mod confirm;
mod doctor;
mod dropin;
mod escalation_policies;
mod events;
mod faults;
mod handoff;
mod incident_context;
mod incident_triage;
mod incidents;
mod links;
mod lists;
mod log_entries;
mod maintenance_windows;
mod notification_rules;
mod oncall;
mod oncall_insights;
mod oncall_shifts;
mod priorities;
mod prompts;
mod props;
mod protocol;
mod proxy;
mod real_clients;
mod refusals;
mod resources;
mod safety;
mod schedules;
mod schemas;
mod scopes;
mod secret_files;
mod secrets;
mod service_health;
mod services;
mod users;

mod extension_schemas;
mod incident_workflows;
mod teams;
mod webhooks;

mod event_orchestrations;
mod parity;
mod prism;
mod status_pages;
