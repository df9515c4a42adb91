//! End-to-end tests: the real `pagerduty-mcp` binary, driven by rmcp's MCP client over stdio,
//! against the PagerDuty simulator. One test binary, one module per domain (as ripgrep does).

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod alerts;
mod escalation_policies;
mod incidents;
mod oncall;
mod protocol;
mod schedules;
mod schemas;
mod services;
mod users;
