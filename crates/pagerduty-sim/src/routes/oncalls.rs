//! On-calls: computed from escalation policies and rendered schedules.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::{Ctx, JsonReply, paginated, renderer};
use crate::error::ApiError;
use crate::paging::Params;
use crate::schedule;
use crate::store::{Account, Target};

/// One computed on-call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnCall {
    pub escalation_policy_id: String,
    pub level: usize,
    pub user_id: String,
    /// The schedule shift it comes from; `None` for a direct user target, on call for good.
    pub shift: Option<Shift>,
}

/// A shift of a schedule that an escalation rule targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub schedule_id: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// All on-calls overlapping `[since, until]` (an instant when equal).
/// Schedule shifts are the full final-schedule spans, not clipped.
pub fn compute(a: &Account, since: Timestamp, until: Timestamp) -> Vec<OnCall> {
    let mut out = Vec::new();
    for ep in &a.escalation_policies {
        for (i, rule) in ep.rules.iter().enumerate() {
            for t in &rule.targets {
                match t {
                    Target::User(u) => out.push(OnCall {
                        escalation_policy_id: ep.id.clone(),
                        level: i + 1,
                        user_id: u.clone(),
                        shift: None,
                    }),
                    Target::Schedule(sid) => {
                        let Some(spans) = schedule::spans(a, sid, since, until) else {
                            continue;
                        };
                        for e in spans {
                            out.push(OnCall {
                                escalation_policy_id: ep.id.clone(),
                                level: i + 1,
                                user_id: e.user_id,
                                shift: Some(Shift {
                                    schedule_id: sid.clone(),
                                    start: e.start,
                                    end: e.end,
                                }),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, &["escalation_policies", "users", "schedules"])?;
        let now = ctx.st.current();
        let since = p.timestamp("since")?.unwrap_or(now);
        let until = p.timestamp("until")?.unwrap_or(since);
        if until < since {
            return Err(ApiError::invalid("until must not be before since"));
        }
        if until.duration_since(now) > SignedDuration::from_hours(90 * 24) {
            return Err(ApiError::invalid(
                "until must be at most 90 days in the future",
            ));
        }
        let users = p.set("user_ids[]");
        let eps = p.set("escalation_policy_ids[]");
        let scheds = p.set("schedule_ids[]");
        let earliest = p.bool("earliest")?;
        let mut v: Vec<OnCall> = compute(a, since, until)
            .into_iter()
            .filter(|o| users.is_empty() || users.contains(&o.user_id))
            .filter(|o| eps.is_empty() || eps.contains(&o.escalation_policy_id))
            .filter(|o| {
                // A literal "null" in schedule_ids[] keeps direct user targets.
                scheds.is_empty()
                    || match &o.shift {
                        Some(s) => scheds.contains(&s.schedule_id),
                        None => scheds.contains("null"),
                    }
            })
            .collect();
        let start = |o: &OnCall| o.shift.as_ref().map(|s| s.start);
        v.sort_by(|x, y| {
            (&x.escalation_policy_id, x.level, start(x), &x.user_id).cmp(&(
                &y.escalation_policy_id,
                y.level,
                start(y),
                &y.user_id,
            ))
        });
        if earliest {
            let mut seen = HashSet::new();
            v.retain(|o| seen.insert((o.escalation_policy_id.clone(), o.level, o.user_id.clone())));
        }
        let include = p.list("include[]");
        let items = v
            .iter()
            .map(|o| {
                let full = |what: &str| include.iter().any(|i| i == what);
                json!({
                    "escalation_policy": match (full("escalation_policies"), a.escalation_policy(&o.escalation_policy_id)) {
                        (true, Some(e)) => r.escalation_policy(e),
                        _ => r.ep_ref(&o.escalation_policy_id),
                    },
                    "escalation_level": o.level,
                    "schedule": o.shift.as_ref().map(|Shift { schedule_id: s, .. }| match (full("schedules"), a.schedule(s), a.schedule_v3(s)) {
                        (true, Some(x), _) => r.schedule(x, None),
                        (true, None, Some(x)) => crate::schedule_v3::render_schedule(&r, x),
                        _ => r.schedule_ref(s),
                    }),
                    "user": match (full("users"), a.user(&o.user_id)) {
                        (true, Some(u)) => r.user(u),
                        _ => r.user_ref(&o.user_id),
                    },
                    "start": r.opt_time(start(o)),
                    "end": r.opt_time(o.shift.as_ref().map(|s| s.end)),
                })
            })
            .collect();
        paginated(&p, "oncalls", items)
    })
}
