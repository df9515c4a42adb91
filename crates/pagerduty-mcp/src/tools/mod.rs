//! Every tool, one module per PagerDuty domain.

mod alert_grouping;
mod alerts;
mod analytics;
mod brief;
mod business_services;
mod change_events;
mod coverage;
mod escalation_policies;
mod event_orchestrations;
mod events;
mod extension_schemas;
mod final_schedule;
mod find;
mod incident_context;
mod incident_workflows;
mod incidents;
mod log_entries;
mod lookup;
mod oncalls;
mod priorities;
mod refs;
mod schedules;
mod schedules_v3;
mod services;
mod shift_checks;
mod status_pages;
mod teams;
mod users;
mod webhooks;
pub(crate) mod when;

use crate::registry::ToolDef;

/// All tools this server knows, read and write.
pub fn all() -> Vec<ToolDef> {
    [
        incidents::tools(),
        brief::tools(),
        coverage::tools(),
        find::tools(),
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
        alert_grouping::tools(),
        change_events::tools(),
        incident_context::tools(),
        log_entries::tools(),
        priorities::tools(),
        business_services::tools(),
        analytics::tools(),
        event_orchestrations::tools(),
        status_pages::tools(),
        events::tools(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
