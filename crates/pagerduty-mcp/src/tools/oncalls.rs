//! On-call: who is on call, where and until when.

use pagerduty::api::oncalls::OncallQuery;
use pagerduty::ids::{EscalationPolicyId, ScheduleId, ServiceId, UserId};
use pagerduty::models::{Oncall, Time};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListOncallsArgs {
    /// IANA zone for the times, e.g. Europe/London; default UTC.
    time_zone: Option<String>,
    user_ids: Option<Vec<UserId>>,
    escalation_policy_ids: Option<Vec<EscalationPolicyId>>,
    schedule_ids: Option<Vec<ScheduleId>>,
    /// On-call for these services (via their escalation policies).
    service_ids: Option<Vec<ServiceId>>,
    /// Start of the range, RFC 3339; default now.
    since: Option<Time>,
    /// End of the range, RFC 3339; default now.
    until: Option<Time>,
    /// Only each person's earliest shift per policy level (default true).
    earliest: Option<bool>,
    /// Max results, 1-1000; default 100.
    limit: Option<u32>,
    /// Skip this many results (from next_offset).
    offset: Option<u32>,
}

pub fn tools() -> Vec<ToolDef> {
    vec![tool(
        Meta {
            name: "list_oncalls",
            title: "List on-call shifts",
            domain: Domain::Oncall,
            access: Access::Read,
            description: "Who is on call now (or in a time range) for services, escalation policies, schedules \
                          or users, with level, schedule and shift start/end.",
        },
        list_oncalls,
    )]
}

async fn list_oncalls(ctx: Ctx, a: ListOncallsArgs) -> Result<Listing<Oncall>, ToolError> {
    let w = window(a.limit, a.offset, 100)?;
    if let Some(tz) = &a.time_zone
        && jiff::tz::TimeZone::get(tz).is_err()
    {
        return Err(ToolError::invalid(
            "time_zone",
            format!("`{tz}` is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)"),
        ));
    }
    let mut policy_ids = a.escalation_policy_ids.unwrap_or_default();
    // PagerDuty has no service filter on /oncalls: follow each service to its policy.
    for service_id in a.service_ids.unwrap_or_default() {
        let service = ctx.pd.get_service(&service_id).await?;
        if let Some(ep) = service.escalation_policy {
            let id = EscalationPolicyId::new(ep.id)?;
            if !policy_ids.contains(&id) {
                policy_ids.push(id);
            }
        }
    }
    let q = OncallQuery {
        user_ids: a.user_ids.unwrap_or_default(),
        escalation_policy_ids: policy_ids,
        schedule_ids: a.schedule_ids.unwrap_or_default(),
        since: a.since,
        until: a.until,
        earliest: a.earliest.unwrap_or(true),
        time_zone: a.time_zone,
    };
    Ok(ctx.pd.list_oncalls(&q, w).await?.into())
}
