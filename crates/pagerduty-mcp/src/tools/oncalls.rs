//! On-call: who is on call, where and until when.

use jiff::Timestamp;
use pagerduty::api::oncalls::OncallQuery;
use pagerduty::ids::{EscalationPolicyId, ScheduleId, ServiceId, UserId};
use pagerduty::models::Reference;
use pagerduty::models::{Oncall, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::ScheduleKind;
use crate::output::window;
use crate::registry::{Domain, ToolDef, Tools};
use crate::tools::final_schedule;
use crate::tools::when;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListOncallsArgs {
    /// IANA zone for the times, e.g. Europe/London; default the current user's zone.
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
    /// Only each person's earliest shift per policy level (who is on next). Default false:
    /// every shift in the range.
    earliest: Option<bool>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

const ONCALL: Tools = Tools(Domain::Oncall);

pub fn tools() -> Vec<ToolDef> {
    vec![
        who_tool(),
        ONCALL
            .read(
                "list_oncalls",
                "Who is on call now (or every shift in a time range) for services, escalation \
                 policies, schedules of either kind or users, with level, schedule and shift \
                 start/end.",
                list_oncalls,
            )
            .titled("List on-call shifts"),
    ]
}

/// On-call shifts, with the zone their times are in and whether only first shifts are listed.
#[derive(Serialize, JsonSchema)]
struct OncallList {
    items: Vec<Oncall>,
    /// True when PagerDuty has more results than returned.
    more: bool,
    /// Pass as `offset` to get the next results.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_offset: Option<u32>,
    /// The zone the times are in.
    time_zone: String,
    /// True: only each person's earliest shift per policy level is listed, not every shift.
    earliest_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

async fn list_oncalls(ctx: Ctx, a: ListOncallsArgs) -> Result<OncallList, ToolError> {
    let w = window(a.limit, a.offset, 100)?;
    let zone = when::zone(&ctx, a.time_zone.as_deref()).await?;
    let mut policy_ids = a.escalation_policy_ids.unwrap_or_default();
    // PagerDuty has no service filter on /oncalls: follow each service to its policy.
    for service_id in a.service_ids.unwrap_or_default() {
        let service = ctx.pd.get(&service_id).await?;
        if let Some(ep) = service.escalation_policy {
            let id = EscalationPolicyId::new(ep.id)?;
            if !policy_ids.contains(&id) {
                policy_ids.push(id);
            }
        }
    }
    // The API's own default: every shift in the range, unless the call asks for first ones.
    let earliest = a.earliest.unwrap_or(false);
    let q = OncallQuery {
        user_ids: a.user_ids.unwrap_or_default(),
        escalation_policy_ids: policy_ids,
        schedule_ids: a.schedule_ids.unwrap_or_default(),
        since: a.since,
        until: a.until,
        earliest,
        time_zone: Some(zone.name.clone()),
    };
    let page = ctx.pd.list_oncalls(&q, w).await?;
    Ok(OncallList {
        items: page.items,
        more: page.more,
        next_offset: page.next_offset,
        time_zone: zone.name,
        earliest_only: earliest,
        note: earliest.then(|| {
            "earliest=true: only each person's first shift per policy level is listed; later \
             shifts (and the coverage between them) are left out"
                .to_owned()
        }),
    })
}

/// What to answer for: exactly one, by id or by (part of its) name.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WhoArgs {
    service: Option<String>,
    escalation_policy: Option<String>,
    schedule: Option<String>,
    team: Option<String>,
    /// A user's name, email or id: where and when they are on call.
    user: Option<String>,
    /// IANA zone for the times; default the current user's zone.
    time_zone: Option<String>,
    /// How far ahead to look for who comes next, in hours; default 168 (a week), at most 2160.
    horizon_hours: Option<u32>,
}

/// Who is on call at each level of each escalation policy, and who comes next.
#[derive(Serialize, JsonSchema)]
struct WhoIsOnCall {
    /// The zone the times are in.
    time_zone: String,
    at: String,
    /// For a schedule: who is on it now and next, whether or not a policy uses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<ScheduleOnCall>,
    policies: Vec<PolicyOnCall>,
}

#[derive(Serialize, JsonSchema)]
struct ScheduleOnCall {
    schedule: Reference,
    kind: ScheduleKind,
    now: Vec<Shift>,
    /// The next person to take over, within the horizon.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Shift>,
}

#[derive(Serialize, JsonSchema)]
struct PolicyOnCall {
    escalation_policy: Reference,
    levels: Vec<LevelOnCall>,
}

#[derive(Serialize, JsonSchema)]
struct LevelOnCall {
    level: u32,
    now: Vec<Shift>,
    /// The next person to take over at this level, within the horizon.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Shift>,
}

#[derive(Serialize, JsonSchema)]
struct Shift {
    user: Reference,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<Reference>,
    /// Absent: always on call (a direct target of the policy).
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

fn who_tool() -> ToolDef {
    ONCALL.read(
        "who_is_on_call",
        "Who is on call now at each escalation level, and who comes next with the handoff \
         time, for a service, escalation policy, schedule, team or user given by id or name.",
        who_is_on_call,
    )
}

async fn who_is_on_call(ctx: Ctx, a: WhoArgs) -> Result<WhoIsOnCall, ToolError> {
    let given = [
        &a.service,
        &a.escalation_policy,
        &a.schedule,
        &a.team,
        &a.user,
    ];
    if given.iter().filter(|g| g.is_some()).count() != 1 {
        return Err(ToolError::invalid(
            "",
            "name exactly one of service, escalation_policy, schedule, team or user (an id or a \
             name)",
        ));
    }
    let horizon = a.horizon_hours.unwrap_or(168);
    if horizon == 0 || horizon > 2160 {
        return Err(ToolError::invalid(
            "horizon_hours",
            "must be between 1 and 2160 (90 days)",
        ));
    }
    let zone = when::zone(&ctx, a.time_zone.as_deref()).await?;
    let now = when::now(&ctx);
    let horizon_end = now + jiff::SignedDuration::from_hours(i64::from(horizon));
    let mut q = OncallQuery {
        since: Some(Time(now)),
        until: Some(Time(horizon_end)),
        ..OncallQuery::default()
    };
    let lookup = crate::tools::lookup::Lookup::new(&ctx);
    let mut schedule_view = None;
    if let Some(s) = &a.service {
        let service = lookup.service(s).await?;
        let ep = service.escalation_policy.ok_or_else(|| {
            ToolError::Refused(format!(
                "service {} has no escalation policy, so nobody is on call for it",
                service.name
            ))
        })?;
        q.escalation_policy_ids
            .push(EscalationPolicyId::new(ep.id)?);
    } else if let Some(p) = &a.escalation_policy {
        q.escalation_policy_ids
            .push(lookup.escalation_policy(p).await?.id);
    } else if let Some(s) = &a.schedule {
        let found = lookup.schedule(s).await?;
        // The schedule's own final schedule answers even when no policy uses it. Read from
        // two weeks back so the current shift shows when it began.
        let back = now - jiff::SignedDuration::from_hours(24 * 14);
        let r = final_schedule::render(&ctx, &found.id, back, horizon_end).await?;
        schedule_view = Some(schedule_on_call(r, now, &zone));
        q.schedule_ids.push(found.id);
    } else if let Some(t) = &a.team {
        let team = lookup.team(t).await?;
        let policies = ctx
            .pd
            .list(
                &pagerduty::api::escalation_policies::EscalationPolicyQuery {
                    team_ids: vec![team.id.clone()],
                    ..Default::default()
                },
                pagerduty::Window {
                    offset: 0,
                    limit: 100,
                },
            )
            .await?;
        if policies.items.is_empty() {
            return Err(ToolError::Refused(format!(
                "team {} has no escalation policies",
                team.name
            )));
        }
        q.escalation_policy_ids
            .extend(policies.items.into_iter().map(|p| p.id));
    } else if let Some(u) = &a.user {
        q.user_ids.push(lookup.user(u).await?.id);
    }
    let shifts = ctx
        .pd
        .list_oncalls(
            &q,
            pagerduty::Window {
                offset: 0,
                limit: 1000,
            },
        )
        .await?
        .items;
    let render = |t: Option<Time>| t.map(|t| zone.show(t.0));
    let mut policies: Vec<PolicyOnCall> = Vec::new();
    for shift in shifts {
        let policy = match policies
            .iter_mut()
            .position(|p| p.escalation_policy.id == shift.escalation_policy.id)
        {
            Some(i) => &mut policies[i],
            None => {
                policies.push(PolicyOnCall {
                    escalation_policy: shift.escalation_policy.clone(),
                    levels: Vec::new(),
                });
                let last = policies.len() - 1;
                &mut policies[last]
            }
        };
        let level = match policy
            .levels
            .iter_mut()
            .position(|l| l.level == shift.escalation_level)
        {
            Some(i) => &mut policy.levels[i],
            None => {
                policy.levels.push(LevelOnCall {
                    level: shift.escalation_level,
                    now: Vec::new(),
                    next: None,
                });
                let last = policy.levels.len() - 1;
                &mut policy.levels[last]
            }
        };
        let current = shift.start.is_none_or(|s| s.0 <= now) && shift.end.is_none_or(|e| e.0 > now);
        let entry = Shift {
            user: shift.user,
            schedule: shift.schedule,
            from: render(shift.start),
            until: render(shift.end),
        };
        if current {
            level.now.push(entry);
        } else if shift.start.is_some_and(|s| s.0 > now) {
            // The earliest upcoming shift by someone else (a shift extension of the current person is not a handoff).
            let someone_new = !level.now.iter().any(|n| n.user.id == entry.user.id);
            let earlier = level.next.as_ref().is_none_or(|n| n.from > entry.from);
            if someone_new && earlier {
                level.next = Some(entry);
            }
        }
    }
    for p in &mut policies {
        p.levels.sort_by_key(|l| l.level);
    }
    Ok(WhoIsOnCall {
        at: zone.show(now),
        time_zone: zone.name,
        schedule: schedule_view,
        policies,
    })
}

/// Who is on the schedule now and who takes over next, from its final schedule.
fn schedule_on_call(
    r: final_schedule::Rendered,
    now: Timestamp,
    zone: &when::Zone,
) -> ScheduleOnCall {
    let shift = |s: &final_schedule::Span| Shift {
        user: s.user.clone(),
        schedule: None,
        from: Some(zone.show(s.start)),
        until: Some(zone.show(s.end)),
    };
    let current: Vec<&final_schedule::Span> = r
        .spans
        .iter()
        .filter(|s| s.start <= now && s.end > now)
        .collect();
    let next = r
        .spans
        .iter()
        .filter(|s| s.start > now && !current.iter().any(|c| c.user.id == s.user.id))
        .min_by_key(|s| s.start);
    ScheduleOnCall {
        schedule: r.schedule.clone(),
        kind: r.kind,
        now: current.into_iter().map(shift).collect(),
        next: next.map(shift),
    }
}
