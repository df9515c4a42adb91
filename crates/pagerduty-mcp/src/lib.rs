//! pagerduty-mcp: a Model Context Protocol server for PagerDuty.
//!
//! `config` turns flags and environment into a client; `registry` turns typed functions into
//! MCP tools; `tools` holds every tool by PagerDuty domain; `server` speaks MCP.

pub mod config;
pub mod confirm;
pub mod context;
pub mod credentials;
pub mod doctor;
pub mod error;
pub mod http;
pub mod jsonrpc;
pub mod metrics;
pub mod output;
pub mod prompts;
pub mod redact;
pub mod registry;
pub mod resources;
pub mod scopes;
pub mod secrets;
pub mod server;
pub mod stdio;
pub mod tools;
pub mod writes;
