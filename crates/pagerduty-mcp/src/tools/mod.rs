//! Every tool, one module per PagerDuty domain.

mod alerts;
mod escalation_policies;
mod extension_schemas;
mod incident_workflows;
mod incidents;
mod oncalls;
mod schedules;
mod schedules_v3;
mod services;
mod teams;
mod users;
mod webhooks;

use crate::registry::ToolDef;

/// All tools this server knows, read and write.
pub fn all() -> Vec<ToolDef> {
    [
        incidents::tools(),
        alerts::tools(),
        services::tools(),
        oncalls::tools(),
        escalation_policies::tools(),
        users::tools(),
        teams::tools(),
        webhooks::tools(),
        extension_schemas::tools(),
        incident_workflows::tools(),
        schedules::tools(),
        schedules_v3::tools(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
