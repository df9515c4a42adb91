//! Maintenance windows: "silence checkout during the deploy". While a window is active its
//! services open no incidents from events.

use jiff::SignedDuration;
use pagerduty::api::maintenance_windows::MaintenanceQuery;
use pagerduty::ids::{MaintenanceWindowId, ServiceId, TeamId};
use pagerduty::models::{MaintenanceState, MaintenanceWindow, Time};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::Done;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, ToolDef, Tools};

/// The longest window this tool creates: longer silences should be a deliberate, visible change.
const MAX_MINUTES: u32 = 7 * 24 * 60;

const MAINTENANCE_WINDOWS: Tools = Tools(Domain::MaintenanceWindows);

pub fn tools() -> Vec<ToolDef> {
    vec![
        MAINTENANCE_WINDOWS.read(
            "list_maintenance_windows",
            "Maintenance windows (services that open no incidents for a while): ongoing, future, \
             past or open (ongoing+future, the default), for services or teams, with start, end, \
             services and creator.",
            |ctx: Ctx, a: ListArgs| async move {
                let w = window(a.limit, a.offset, 25)?;
                let q = MaintenanceQuery {
                    state: Some(a.state.unwrap_or(MaintenanceState::Open)),
                    service_ids: a.service_ids.unwrap_or_default(),
                    team_ids: a.team_ids.unwrap_or_default(),
                    query: a.query,
                };
                let page = ctx.pd.list(&q, w).await?;
                Ok(Listing::<MaintenanceWindow>::from(page))
            },
        ),
        MAINTENANCE_WINDOWS.write(
            Access::Write {
                destructive: false,
                idempotent: false,
            },
            "create_maintenance_window",
            "Silence services for a while (a deploy, a migration): from start (default now) for \
             duration_minutes (1-10080), events to them open no incidents and page nobody.",
            create,
        ),
        MAINTENANCE_WINDOWS.write(
            Access::Write {
                destructive: true,
                idempotent: true,
            },
            "delete_maintenance_window",
            "Delete a future maintenance window, or end an ongoing one now (its services page \
             again). An ended window cannot be deleted.",
            |ctx: Ctx, a: WindowArg| async move {
                ctx.pd
                    .delete_maintenance_window(&a.maintenance_window_id)
                    .await?;
                Ok(Done::new(format!(
                    "Maintenance window {} was deleted (or ended now, if it was ongoing).",
                    a.maintenance_window_id
                )))
            },
        ),
    ]
}

async fn create(ctx: Ctx, a: CreateArgs) -> Result<MaintenanceWindow, ToolError> {
    if a.service_ids.is_empty() {
        return Err(ToolError::invalid(
            "service_ids",
            "name at least one service",
        ));
    }
    if a.duration_minutes == 0 || a.duration_minutes > MAX_MINUTES {
        return Err(ToolError::invalid(
            "duration_minutes",
            format!(
                "must be between 1 and {MAX_MINUTES} (a week), got {}",
                a.duration_minutes
            ),
        ));
    }
    let description = a.description.trim();
    if description.is_empty() {
        return Err(ToolError::invalid(
            "description",
            "say why the services are silenced (people see it in PagerDuty)",
        ));
    }
    let start = a.start.map_or_else(|| super::when::now(&ctx), |t| t.0);
    let end = start
        .checked_add(SignedDuration::from_mins(i64::from(a.duration_minutes)))
        .map_err(|e| ToolError::invalid("duration_minutes", e.to_string()))?;
    Ok(ctx
        .pd
        .create_maintenance_window(Time(start), Time(end), description, &a.service_ids)
        .await?)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// past, ongoing, future, open (ongoing or future; default) or all.
    state: Option<MaintenanceState>,
    service_ids: Option<Vec<ServiceId>>,
    /// Windows on these teams' services.
    team_ids: Option<Vec<TeamId>>,
    /// Description contains this text.
    query: Option<String>,
    /// Max results, 1-1000; default 25.
    limit: Option<u32>,
    /// Skip this many results (from next_offset).
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    /// The services to silence.
    service_ids: Vec<ServiceId>,
    /// Why, e.g. "checkout v2.3 deploy".
    description: String,
    /// Minutes from start, 1-10080.
    duration_minutes: u32,
    /// RFC 3339; default now. A start in the past becomes now.
    start: Option<Time>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WindowArg {
    maintenance_window_id: MaintenanceWindowId,
}
