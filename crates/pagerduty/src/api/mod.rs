//! PagerDuty calls, one module per resource. Each is a method on [`crate::Client`].

pub mod escalation_policies;
pub mod extension_schemas;
pub mod incident_workflows;
pub mod incidents;
pub mod oncalls;
pub mod schedules;
pub mod services;
pub mod teams;
pub mod users;
pub mod webhooks;
