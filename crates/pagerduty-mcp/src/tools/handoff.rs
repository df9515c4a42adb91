//! `get_oncall_handoff`: what the next person needs to know. For a schedule (or an escalation
//! policy's first-level schedule) and a shift (the one on at `at`, default now): who held it,
//! the incidents of the services it covers created and resolved during it, those still open
//! with their latest note, who takes over when, and the coverage gaps of the next shift.
//! Bounded like the incident brief: at most `max_items` incidents per list, with counts.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use pagerduty::Window;
use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::incidents::IncidentQuery;
use pagerduty::ids::{IncidentId, ScheduleId, ServiceId};
use pagerduty::models::{Incident, IncidentStatus, Reference, Time, Urgency};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::final_schedule::{self, Span};
use super::lookup::Lookup;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::bounded;
use crate::registry::{Domain, ToolDef, Tools};

/// How far around `at` the schedule is read to find the shift and the next one.
const REACH: SignedDuration = SignedDuration::from_hours(8 * 24);
/// Incidents resolved during the shift are looked for among those created up to this long
/// before it.
const RESOLVED_LOOKBACK: SignedDuration = SignedDuration::from_hours(7 * 24);
const MAX_NOTE_CHARS: usize = 300;

const ONCALL: Tools = Tools(Domain::Oncall);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ONCALL
            .read(
                "get_oncall_handoff",
                "What the next on-call person needs to know, for a schedule or an escalation \
                 policy (its first-level schedule) and the shift on at `at` (default now): who \
                 held it and when it ends, who takes over, incidents of its services created and \
                 resolved during it, those still open with their latest note, and coverage gaps \
                 in the next shift. Bounded: max_items per list (default 10), with counts.",
                handoff,
            )
            .titled("On-call handoff"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Schedule id or name (either kind).
    schedule: Option<String>,
    /// Escalation policy id or name: its first level's schedule and its services.
    escalation_policy: Option<String>,
    /// RFC 3339: the shift on at this time; default now.
    at: Option<Time>,
    /// Incidents per list, 1-50; default 10.
    max_items: Option<u32>,
}

#[derive(Serialize, JsonSchema)]
struct Handoff {
    schedule: Named,
    shift: Shift,
    /// Who hands over to whom, and when.
    handover: Handover,
    created_during: Incidents,
    resolved_during: Incidents,
    still_open: Incidents,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_shift: Option<Shift>,
    /// Times in the next shift when nobody is on call.
    next_shift_gaps: Vec<Gap>,
    /// Set when the incident lists were longer than one call reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Named {
    id: String,
    name: String,
}

impl From<&Reference> for Named {
    fn from(r: &Reference) -> Self {
        Self {
            id: r.id.clone(),
            name: r.summary.clone().unwrap_or_else(|| r.id.clone()),
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct Shift {
    user: Named,
    start: Time,
    end: Time,
}

#[derive(Serialize, JsonSchema)]
struct Handover {
    from: String,
    /// Absent when nobody is on call right after.
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    at: Time,
}

#[derive(Serialize, JsonSchema)]
struct Incidents {
    count: usize,
    items: Vec<Item>,
}

#[derive(Serialize, JsonSchema)]
struct Item {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<u64>,
    title: String,
    status: IncidentStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    urgency: Option<Urgency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved_at: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest_note: Option<NoteLine>,
}

#[derive(Serialize, JsonSchema)]
struct NoteLine {
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    text: String,
}

#[derive(Serialize, JsonSchema)]
struct Gap {
    start: Time,
    end: Time,
}

fn item(i: &Incident) -> Item {
    Item {
        id: i.id.to_string(),
        number: i.incident_number,
        title: i.title.clone(),
        status: i.status,
        urgency: i.urgency,
        service: i.service.as_ref().and_then(|s| s.summary.clone()),
        created_at: i.created_at,
        resolved_at: i.resolved_at,
        latest_note: None,
    }
}

fn list(mut items: Vec<&Incident>, max: usize) -> (usize, Vec<&Incident>) {
    let count = items.len();
    items.sort_by_key(|i| std::cmp::Reverse(i.created_at));
    items.truncate(max);
    (count, items)
}

/// Consecutive spans of the same person are one shift.
fn shifts(spans: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if last.user.id == s.user.id && last.end >= s.start => {
                last.end = last.end.max(s.end);
            }
            _ => out.push(s.clone()),
        }
    }
    out
}

/// The schedule and the services whose incidents the shift answered for.
async fn scope(ctx: &Ctx, a: &Args) -> Result<(ScheduleId, Vec<ServiceId>), ToolError> {
    let lookup = Lookup::new(ctx);
    let services_of = |refs: &[Reference]| -> Result<Vec<ServiceId>, ToolError> {
        Ok(refs
            .iter()
            .map(|s| ServiceId::new(s.id.clone()))
            .collect::<Result<_, _>>()?)
    };
    match (a.schedule.as_deref(), a.escalation_policy.as_deref()) {
        (Some(_), Some(_)) | (None, None) => Err(ToolError::invalid(
            "",
            "give either `schedule` or `escalation_policy`",
        )),
        (None, Some(key)) => {
            let policy = lookup.escalation_policy(key).await?;
            let first = policy
                .escalation_rules
                .first()
                .and_then(|r| {
                    r.targets
                        .iter()
                        .find(|t| t.kind.as_deref() == Some("schedule_reference"))
                })
                .ok_or_else(|| {
                    ToolError::invalid(
                        "escalation_policy",
                        format!(
                            "{}'s first level targets no schedule (only people), so it has no \
                             shifts",
                            policy.name
                        ),
                    )
                })?;
            Ok((
                ScheduleId::new(first.id.clone())?,
                services_of(&policy.services)?,
            ))
        }
        (Some(key), None) => {
            let schedule = lookup.schedule(key).await?;
            let policies = ctx
                .pd
                .list(
                    &EscalationPolicyQuery::default(),
                    Window {
                        offset: 0,
                        limit: 1000,
                    },
                )
                .await?;
            let mut services: BTreeSet<String> = BTreeSet::new();
            for p in &policies.items {
                let targets = p.escalation_rules.iter().flat_map(|r| &r.targets);
                if targets.into_iter().any(|t| t.id == schedule.id.as_str()) {
                    services.extend(p.services.iter().map(|s| s.id.clone()));
                }
            }
            let refs: Vec<Reference> = services
                .into_iter()
                .map(|id| Reference::new(id, "service_reference"))
                .collect();
            Ok((schedule.id, services_of(&refs)?))
        }
    }
}

async fn handoff(ctx: Ctx, a: Args) -> Result<Handoff, ToolError> {
    let max = bounded("max_items", a.max_items, 10, 50)?;
    let max = max as usize;
    let now = super::when::now(&ctx);
    let at = a.at.map_or(now, |t| super::when::whole_seconds(t.0));
    let (schedule_id, services) = scope(&ctx, &a).await?;
    let bad_time = |e: jiff::Error| ToolError::invalid("at", e.to_string());
    let (from, to) = (
        at.checked_sub(REACH).map_err(bad_time)?,
        at.checked_add(REACH).map_err(bad_time)?,
    );
    let rendered = final_schedule::render(&ctx, &schedule_id, from, to).await?;
    let shifts = shifts(&rendered.spans);
    let Some(pos) = shifts.iter().position(|s| s.start <= at && at < s.end) else {
        return Err(ToolError::invalid(
            "at",
            format!(
                "nobody is on call on {} at {at}; find_coverage_gaps shows the gap",
                rendered
                    .schedule
                    .summary
                    .as_deref()
                    .unwrap_or("the schedule")
            ),
        ));
    };
    let shift = &shifts[pos];
    let next = shifts.iter().skip(pos + 1).find(|s| s.start >= shift.end);
    let next_end = next.map_or(shift.end + SignedDuration::from_hours(24), |n| n.end);
    let covered: Vec<(Timestamp, Timestamp)> =
        rendered.spans.iter().map(|s| (s.start, s.end)).collect();
    let next_gaps = super::coverage::gaps(shift.end, next_end.min(to), covered);

    // Incidents of the covered services: created in the shift (or up to a week before, to
    // catch those resolved in it) and every open one, however old.
    let until = shift.end.min(now).max(shift.start);
    let all = Window {
        offset: 0,
        limit: super::service_health::MAX_INCIDENTS,
    };
    let (recent, open, capped) = if services.is_empty() {
        (Vec::new(), Vec::new(), false)
    } else {
        let recent_q = IncidentQuery {
            service_ids: services.clone(),
            since: Some(Time(
                shift
                    .start
                    .checked_sub(RESOLVED_LOOKBACK)
                    .map_err(bad_time)?,
            )),
            until: Some(Time(until)),
            ..Default::default()
        };
        let open_q = IncidentQuery {
            service_ids: services,
            statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
            all_time: true,
            ..Default::default()
        };
        let (r, o) = futures::try_join!(ctx.pd.list(&recent_q, all), ctx.pd.list(&open_q, all))?;
        (r.items, o.items, r.more || o.more)
    };
    let during = |t: Option<Time>| t.is_some_and(|t| shift.start <= t.0 && t.0 < shift.end);
    let (created_count, created) = list(
        recent.iter().filter(|i| during(i.created_at)).collect(),
        max,
    );
    let (resolved_count, resolved) = list(
        recent.iter().filter(|i| during(i.resolved_at)).collect(),
        max,
    );
    let (open_count, open_items) = list(open.iter().collect(), max);
    let mut still_open = Vec::with_capacity(open_items.len());
    for i in open_items {
        let mut it = item(i);
        let notes = ctx
            .pd
            .list_incident_notes(&IncidentId::new(i.id.to_string())?)
            .await?;
        it.latest_note = notes
            .into_iter()
            .max_by_key(|n| n.created_at)
            .map(|n| NoteLine {
                at: n.created_at,
                by: n.user.and_then(|u| u.summary),
                text: if n.content.chars().count() > MAX_NOTE_CHARS {
                    let mut t: String = n.content.chars().take(MAX_NOTE_CHARS).collect();
                    t.push('…');
                    t
                } else {
                    n.content
                },
            });
        still_open.push(it);
    }
    let name = |s: &Span| s.user.summary.clone().unwrap_or_else(|| s.user.id.clone());
    let as_shift = |s: &Span| Shift {
        user: Named::from(&s.user),
        start: Time(s.start),
        end: Time(s.end),
    };
    Ok(Handoff {
        schedule: Named::from(&rendered.schedule),
        handover: Handover {
            from: name(shift),
            to: next.filter(|n| n.start == shift.end).map(name),
            at: Time(shift.end),
        },
        shift: as_shift(shift),
        created_during: Incidents {
            count: created_count,
            items: created.into_iter().map(item).collect(),
        },
        resolved_during: Incidents {
            count: resolved_count,
            items: resolved.into_iter().map(item).collect(),
        },
        still_open: Incidents {
            count: open_count,
            items: still_open,
        },
        next_shift: next.map(as_shift),
        next_shift_gaps: next_gaps
            .into_iter()
            .map(|(start, end)| Gap {
                start: Time(start),
                end: Time(end),
            })
            .collect(),
        note: capped.then(|| {
            format!(
                "More incidents matched than the {} one call reads; counts cover those read.",
                super::service_health::MAX_INCIDENTS
            )
        }),
    })
}
