//! End-to-end tests: the real `pagerduty-mcp` binary, driven by rmcp's MCP client over stdio,
//! against the PagerDuty simulator. One test binary, one module per domain (as ripgrep does).

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod alert_grouping;
mod alerts;
mod analytics;
mod business_services;
mod change_events;
mod escalation_policies;
mod incident_context;
mod incidents;
mod log_entries;
mod oncall;
mod priorities;
mod protocol;
mod schemas;
mod services;
mod users;
