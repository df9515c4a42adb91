//! Every tool, one module per PagerDuty domain.

mod alerts;
mod escalation_policies;
mod incidents;
mod oncalls;
mod schedules;
mod schedules_v3;
mod services;
mod users;

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
        schedules::tools(),
        schedules_v3::tools(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
