//! Services: what incidents are opened against.

use pagerduty::api::services::ServiceQuery;
use pagerduty::ids::{ServiceId, TeamId};
use pagerduty::models::Service;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListServicesArgs {
    /// Name contains this text.
    query: Option<String>,
    /// Only these teams' services (`teams_ids` is accepted too).
    #[serde(alias = "teams_ids")]
    team_ids: Option<Vec<TeamId>>,
    /// Max results, 1-1000; default 100.
    limit: Option<u32>,
    /// Skip this many results (from next_offset).
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetServiceArgs {
    service_id: ServiceId,
}

pub fn tools() -> Vec<ToolDef> {
    vec![
        tool(
            Meta {
                name: "list_services",
                title: "List services",
                domain: Domain::Services,
                access: Access::Read,
                description: "Find services by name or team, sorted by name, with their status and escalation policy.",
            },
            |ctx: Ctx, a: ListServicesArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let q = ServiceQuery {
                    query: a.query,
                    team_ids: a.team_ids.unwrap_or_default(),
                };
                Ok(Listing::<Service>::from(ctx.pd.list_services(&q, w).await?))
            },
        ),
        tool(
            Meta {
                name: "get_service",
                title: "Get service",
                domain: Domain::Services,
                access: Access::Read,
                description: "One service by id: status, escalation policy, teams, time-outs, last incident.",
            },
            |ctx: Ctx, a: GetServiceArgs| async move {
                Ok::<Service, _>(ctx.pd.get_service(&a.service_id).await?)
            },
        ),
    ]
}
