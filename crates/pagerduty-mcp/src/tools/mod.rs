//! Every tool, one module per PagerDuty domain.

mod alert_grouping;
mod alerts;
mod analytics;
mod audit;
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
mod handoff;
mod incident_context;
mod incident_triage;
mod incident_workflows;
mod incidents;
mod log_entries;
mod lookup;
mod maintenance_windows;
mod notification_rules;
mod oncalls;
mod priorities;
mod refs;
mod schedules;
mod schedules_v3;
mod service_health;
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
        incident_triage::tools(),
        brief::tools(),
        coverage::tools(),
        handoff::tools(),
        find::tools(),
        alerts::tools(),
        services::tools(),
        service_health::tools(),
        maintenance_windows::tools(),
        oncalls::tools(),
        escalation_policies::tools(),
        users::tools(),
        audit::tools(),
        notification_rules::tools(),
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
