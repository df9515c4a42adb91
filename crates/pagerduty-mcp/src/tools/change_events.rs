//! Change events: deploys and configuration changes, to line up with incidents.

use pagerduty::api::change_events::ChangeEventQuery;
use pagerduty::ids::{ChangeEventId, IncidentId, ServiceId, TeamId};
use pagerduty::models::{ChangeEvent, Time};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::Counted;
use crate::output::{Listing, bounded, window};
use crate::registry::{Domain, ToolDef, Tools};

const CHANGE_EVENTS: Tools = Tools(Domain::ChangeEvents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        CHANGE_EVENTS.read(
            "list_change_events",
            "Recent changes (deploys, config changes) across the account, newest first, by time \
             range, team or integration.",
            |ctx: Ctx, a: ListArgs| async move { list(ctx, None, a).await },
        ),
        CHANGE_EVENTS.get(
            "get_change_event",
            "One change event by id: summary, time, services, source, links, details.",
            |a: GetArgs| a.change_event_id,
        ),
        CHANGE_EVENTS
            .read(
                "list_service_change_events",
                "Changes (deploys, config changes) to one service, newest first.",
                |ctx: Ctx, a: ServiceListArgs| async move {
                    let ServiceListArgs {
                        service_id,
                        since,
                        until,
                        limit,
                        offset,
                        total,
                        team_ids,
                        integration_ids,
                    } = a;
                    let filters = ListArgs {
                        since,
                        until,
                        limit,
                        offset,
                        total,
                        team_ids,
                        integration_ids,
                    };
                    list(ctx, Some(service_id), filters).await
                },
            )
            .titled("List a service's change events"),
        CHANGE_EVENTS
            .read(
                "list_incident_change_events",
                "Changes likely related to an incident (its service shortly before, or a service \
                 it depends on), each with correlation_reason. Check first when triaging.",
                |ctx: Ctx, a: IncidentArgs| async move {
                    let limit = bounded("limit", a.limit, 25, 100)?;
                    let items = ctx
                        .pd
                        .list_incident_change_events(&a.incident_id, limit)
                        .await?;
                    Ok(Listing::all(items))
                },
            )
            .titled("List changes related to an incident"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// Start, UTC (e.g. 2026-11-01T00:00:00Z).
    since: Option<Time>,
    /// End, UTC.
    until: Option<Time>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
    /// Also return how many match.
    total: Option<bool>,
    team_ids: Option<Vec<TeamId>>,
    integration_ids: Option<Vec<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ServiceListArgs {
    service_id: ServiceId,
    /// Start, UTC.
    since: Option<Time>,
    /// End, UTC.
    until: Option<Time>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
    /// Also return how many match.
    total: Option<bool>,
    team_ids: Option<Vec<TeamId>>,
    integration_ids: Option<Vec<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetArgs {
    change_event_id: ChangeEventId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct IncidentArgs {
    incident_id: IncidentId,
    /// Max results, 1-100; default 25.
    limit: Option<u32>,
}

async fn list(
    ctx: Ctx,
    service: Option<ServiceId>,
    a: ListArgs,
) -> Result<Counted<ChangeEvent>, ToolError> {
    let w = window(a.limit, a.offset, 100)?;
    if let (Some(s), Some(u)) = (a.since, a.until)
        && s >= u
    {
        return Err(ToolError::invalid("until", "must be after `since`"));
    }
    let integration_ids = a.integration_ids.unwrap_or_default();
    for (i, id) in integration_ids.iter().enumerate() {
        pagerduty::ids::validate("integration", id)
            .map_err(|e| ToolError::invalid(&format!("integration_ids[{i}]"), e.to_string()))?;
    }
    let q = ChangeEventQuery {
        since: a.since,
        until: a.until,
        team_ids: a.team_ids.unwrap_or_default(),
        integration_ids,
    };
    let want_total = a.total.unwrap_or(false);
    let (page, total) = match &service {
        Some(id) => (
            ctx.pd.list_service_change_events(id, &q, w).await?,
            if want_total {
                ctx.pd.count_service_change_events(id, &q).await?
            } else {
                None
            },
        ),
        None => (
            ctx.pd.list(&q, w).await?,
            if want_total {
                ctx.pd.count_change_events(&q).await?
            } else {
                None
            },
        ),
    };
    Ok(Counted {
        listing: page.into(),
        total,
    })
}
