//! Shift-based (v3) schedules: rotations whose events recur by RRULE, one-off custom shifts,
//! and overrides of either. Stored typed and rendered to the `/v3/schedules` JSON here;
//! seeded in `seed_schedules_v3`.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use crate::render::{API_BASE, Render};
use crate::schedule::Entry;
use crate::store::{Account, Target};

/// Who fills a slot: a user, or nobody on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    User(String),
    Empty,
}

/// A time of day with the zone it is meant in (event start/end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zoned {
    pub at: Timestamp,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strategy {
    /// `rotating_member_assignment_strategy` or `every_member_assignment_strategy`.
    pub kind: String,
    pub shifts_per_member: Option<i64>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub start_time: Zoned,
    pub end_time: Zoned,
    pub effective_since: Timestamp,
    pub effective_until: Option<Timestamp>,
    /// RFC 5545 lines: exactly one RRULE, any EXDATE/RDATE.
    pub recurrence: Vec<String>,
    pub strategy: Strategy,
}

#[derive(Debug, Clone)]
pub struct Rotation {
    pub id: String,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct CustomShift {
    pub id: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub assignment_id: String,
    pub member: Member,
}

#[derive(Debug, Clone)]
pub struct OverrideShift {
    pub id: String,
    pub rotation_id: Option<String>,
    pub custom_shift_id: Option<String>,
    pub start: Timestamp,
    pub end: Timestamp,
    pub overridden: Member,
    pub overriding: Member,
}

#[derive(Debug, Clone)]
pub struct ScheduleV3 {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub time_zone: String,
    pub team_ids: Vec<String>,
    pub rotations: Vec<Rotation>,
    pub custom_shifts: Vec<CustomShift>,
    pub overrides: Vec<OverrideShift>,
}

impl ScheduleV3 {
    /// Every user the schedule names (events, custom shifts, overriding members).
    pub fn user_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let members = self
            .rotations
            .iter()
            .flat_map(|r| &r.events)
            .flat_map(|e| &e.strategy.members)
            .chain(self.custom_shifts.iter().map(|c| &c.member))
            .chain(self.overrides.iter().map(|o| &o.overriding));
        for m in members {
            if let Member::User(u) = m
                && !out.contains(u)
            {
                out.push(u.clone());
            }
        }
        out
    }
}

/// A v3 sub-resource id (26 chars of base32, like `AGO462IDT5ZMNFBVSROUDT6B4M`), derived from
/// `tag` so it is deterministic.
pub fn sub_id(tag: u64) -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut s = String::from("AGO4");
    let mut z = tag.wrapping_add(0x9E37_79B9_7F4A_7C15);
    for chunk in 0..2 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let mut n = z;
        for _ in 0..11 {
            s.push(B32[(n % 32) as usize] as char);
            n /= 32;
        }
        z = z.wrapping_add(chunk + 1);
    }
    s
}

/// A fresh sub-resource id for a write (shares the account's id counter).
pub fn new_sub_id(acct: &mut Account) -> String {
    acct.id_counter += 1;
    sub_id(0x5_0000_0000 + acct.id_counter)
}

// ---------- recurrence and expansion ----------

/// Checks a recurrence the way PagerDuty does: exactly one RRULE, any EXDATE/RDATE lines, and
/// every line valid RFC 5545 (parsed by the `rrule` crate against a sample start).
pub fn check_recurrence(lines: &[String]) -> Result<(), String> {
    let rrules = lines.iter().filter(|l| l.starts_with("RRULE:")).count();
    let others_ok = lines
        .iter()
        .all(|l| l.starts_with("RRULE:") || l.starts_with("EXDATE") || l.starts_with("RDATE"));
    if rrules != 1 || !others_ok {
        return Err(
            "must hold exactly one RRULE and only EXDATE or RDATE lines besides".to_owned(),
        );
    }
    let sample = Zoned {
        at: Timestamp::UNIX_EPOCH,
        time_zone: "UTC".to_owned(),
    };
    rule_set(&sample, lines)
        .map(|_| ())
        .map_err(|e| format!("is not a valid RFC 5545 recurrence: {e}"))
}

/// The recurrence set starting at `start` (local wall time in its zone, so occurrences keep
/// their local time across DST changes).
fn rule_set(start: &Zoned, lines: &[String]) -> Result<rrule::RRuleSet, String> {
    let tz = TimeZone::get(&start.time_zone).map_err(|e| e.to_string())?;
    let local = start.at.to_zoned_datetime(tz).datetime();
    let dtstart = format!(
        "DTSTART;TZID={}:{}",
        start.time_zone,
        local.strftime("%Y%m%dT%H%M%S")
    );
    let text = std::iter::once(dtstart)
        .chain(lines.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    text.parse::<rrule::RRuleSet>().map_err(|e| e.to_string())
}

/// Where a computed assignment comes from (the v3 `ShiftSource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Rotation {
        rotation_id: String,
    },
    CustomShift {
        shift_id: String,
    },
    RotationOverride {
        rotation_id: String,
        override_id: String,
    },
    CustomShiftOverride {
        shift_id: String,
        override_id: String,
    },
}

/// One computed assignment of the final schedule: `member` is on call over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub member: Member,
    pub start: Timestamp,
    pub end: Timestamp,
    pub source: Source,
}

/// The most occurrences of one event walked for one window: bounds the work of a request.
const MAX_OCCURRENCES: usize = 200_000;

/// The shifts `event` produces that overlap `[since, until)`, unclipped, with who fills each.
/// Occurrences are numbered from the event's first one, so a rotation hands over the same
/// way whatever window is asked for; `effective_since`/`effective_until` bound them.
fn event_shifts(
    e: &Event,
    since: Timestamp,
    until: Timestamp,
) -> Vec<(Member, Timestamp, Timestamp)> {
    let mut out = Vec::new();
    let (Ok(set), Ok(start_tz), Ok(end_tz)) = (
        rule_set(&e.start_time, &e.recurrence),
        TimeZone::get(&e.start_time.time_zone),
        TimeZone::get(&e.end_time.time_zone),
    ) else {
        return out;
    };
    // The shift's length as a civil span (days and time), so a 09:00-to-09:00 weekly shift
    // still ends at 09:00 local after a DST change.
    let first_start = e.start_time.at.to_zoned_datetime(start_tz.clone());
    let first_end = e.end_time.at.to_zoned_datetime(end_tz.clone());
    let Ok(length) =
        first_start.until(jiff::ZonedDateTimeDifference::new(&first_end).largest(jiff::Unit::Day))
    else {
        return out;
    };
    let members = &e.strategy.members;
    if members.is_empty() {
        return out;
    }
    let per = e.strategy.shifts_per_member.unwrap_or(1).max(1) as usize;
    let rotating = e.strategy.kind == "rotating_member_assignment_strategy";
    let lo = since.max(e.effective_since);
    let hi = e.effective_until.map_or(until, |u| u.min(until));
    for (k, occurrence) in set.into_iter().take(MAX_OCCURRENCES).enumerate() {
        let Ok(start) = Timestamp::from_second(occurrence.timestamp()) else {
            break;
        };
        if start >= hi {
            break;
        }
        let Ok(end) = start
            .to_zoned_datetime(start_tz.clone())
            .checked_add(length)
            .map(|z| z.timestamp())
        else {
            continue;
        };
        // Only the part inside the event's effective range is on call.
        let (s, t) = (
            start.max(e.effective_since),
            match e.effective_until {
                Some(u) => end.min(u),
                None => end,
            },
        );
        if t <= s || t <= lo {
            continue;
        }
        if rotating {
            out.push((members[(k / per) % members.len()].clone(), s, t));
        } else {
            out.extend(members.iter().map(|m| (m.clone(), s, t)));
        }
    }
    out
}

/// Parts of `[start, end)` outside `[cut_start, cut_end)`.
fn minus(
    start: Timestamp,
    end: Timestamp,
    cut_start: Timestamp,
    cut_end: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    if cut_end <= start || cut_start >= end {
        return vec![(start, end)];
    }
    let mut out = Vec::new();
    if start < cut_start {
        out.push((start, cut_start));
    }
    if cut_end < end {
        out.push((cut_end, end));
    }
    out
}

/// The final schedule over `[since, until)`: every rotation's shifts and every custom shift,
/// with overrides swapping the overridden member out where they apply. Assignments overlap
/// when several people are on call at once. Unclipped unless `clip`; sorted by start.
pub fn render_final(
    s: &ScheduleV3,
    since: Timestamp,
    until: Timestamp,
    clip: bool,
) -> Vec<Assignment> {
    let mut base: Vec<Assignment> = Vec::new();
    for rot in &s.rotations {
        for e in &rot.events {
            for (member, start, end) in event_shifts(e, since, until) {
                base.push(Assignment {
                    member,
                    start,
                    end,
                    source: Source::Rotation {
                        rotation_id: rot.id.clone(),
                    },
                });
            }
        }
    }
    for c in &s.custom_shifts {
        if c.end > since && c.start < until {
            base.push(Assignment {
                member: c.member.clone(),
                start: c.start,
                end: c.end,
                source: Source::CustomShift {
                    shift_id: c.id.clone(),
                },
            });
        }
    }
    let mut out = Vec::new();
    for a in base {
        let mut rest = vec![(a.start, a.end)];
        for o in &s.overrides {
            let targets = match &a.source {
                Source::Rotation { rotation_id } => o.rotation_id.as_ref() == Some(rotation_id),
                Source::CustomShift { shift_id } => o.custom_shift_id.as_ref() == Some(shift_id),
                _ => false,
            };
            if !targets || o.overridden != a.member {
                continue;
            }
            let mut next = Vec::new();
            for (start, end) in rest {
                let (os, oe) = (start.max(o.start), end.min(o.end));
                if os < oe {
                    out.push(Assignment {
                        member: o.overriding.clone(),
                        start: os,
                        end: oe,
                        source: match &a.source {
                            Source::Rotation { rotation_id } => Source::RotationOverride {
                                rotation_id: rotation_id.clone(),
                                override_id: o.id.clone(),
                            },
                            _ => Source::CustomShiftOverride {
                                shift_id: o.custom_shift_id.clone().unwrap_or_default(),
                                override_id: o.id.clone(),
                            },
                        },
                    });
                }
                next.extend(minus(start, end, o.start, o.end));
            }
            rest = next;
        }
        out.extend(rest.into_iter().map(|(start, end)| Assignment {
            start,
            end,
            ..a.clone()
        }));
    }
    out.retain(|a| a.end > since && a.start < until);
    if clip {
        for a in &mut out {
            a.start = a.start.max(since);
            a.end = a.end.min(until);
        }
        out.retain(|a| a.start < a.end);
    }
    out.sort_by_key(|a| (a.start, a.end));
    out
}

/// The final schedule as per-user on-call spans (the layer-based renderer's shape): each
/// user's assignments joined where they touch, empty slots dropped, sorted by start.
pub fn entries(s: &ScheduleV3, since: Timestamp, until: Timestamp, clip: bool) -> Vec<Entry> {
    let mut by_user: Vec<(String, Vec<(Timestamp, Timestamp)>)> = Vec::new();
    for a in render_final(s, since, until, clip) {
        let Member::User(u) = a.member else { continue };
        match by_user.iter_mut().find(|(id, _)| *id == u) {
            Some((_, v)) => v.push((a.start, a.end)),
            None => by_user.push((u, vec![(a.start, a.end)])),
        }
    }
    let mut out = Vec::new();
    for (user_id, mut spans) in by_user {
        spans.sort();
        let mut merged: Vec<(Timestamp, Timestamp)> = Vec::new();
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        out.extend(merged.into_iter().map(|(start, end)| Entry {
            user_id: user_id.clone(),
            start,
            end,
        }));
    }
    out.sort_by(|x, y| (x.start, &x.user_id).cmp(&(y.start, &y.user_id)));
    out
}

/// Entries overlapping `[since, until]` (an instant when equal), whole: the schedule is
/// expanded over a window padded by its longest shift so spans crossing the bounds are kept.
pub fn entries_overflow(s: &ScheduleV3, since: Timestamp, until: Timestamp) -> Vec<Entry> {
    let longest = s
        .rotations
        .iter()
        .flat_map(|r| &r.events)
        .map(|e| e.end_time.at.duration_since(e.start_time.at))
        .chain(
            s.custom_shifts
                .iter()
                .map(|c| c.end.duration_since(c.start)),
        )
        .max()
        .unwrap_or_default();
    // Joined spans of one person can be longer than one shift: pad generously.
    let pad = (longest * 4).clamp(
        SignedDuration::from_hours(48),
        SignedDuration::from_hours(24 * 120),
    );
    let (Ok(ps), Ok(pu)) = (since.checked_sub(pad), until.checked_add(pad)) else {
        return entries(s, since, until, false);
    };
    entries(s, ps, pu, false)
        .into_iter()
        .filter(|e| {
            e.end > since && e.start < until
                || (since == until && e.start <= since && e.end > since)
        })
        .collect()
}

/// Percentage of `[since, until)` during which at least one user is on call.
pub fn coverage_percentage(s: &ScheduleV3, since: Timestamp, until: Timestamp) -> f64 {
    let mut spans: Vec<(Timestamp, Timestamp)> = entries(s, since, until, true)
        .into_iter()
        .map(|e| (e.start, e.end))
        .collect();
    spans.sort();
    let mut merged: Vec<Entry> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => merged.push(Entry {
                user_id: String::new(),
                start,
                end,
            }),
        }
    }
    crate::schedule::coverage_percentage(&merged, since, until)
}

// ---------- rendering ----------

fn member(m: &Member) -> Value {
    match m {
        Member::User(u) => json!({"type": "user_member", "user_id": u}),
        Member::Empty => json!({"type": "empty_member"}),
    }
}

fn base(r: &Render, sid: &str) -> (String, String) {
    (
        format!("{API_BASE}/v3/schedules/{sid}"),
        format!("https://{}.pagerduty.com/schedules/{sid}", r.acct.subdomain),
    )
}

pub fn render_event(r: &Render, sid: &str, rid: &str, e: &Event) -> Value {
    let (api, html) = base(r, sid);
    let mut strategy = json!({
        "type": e.strategy.kind,
        "members": e.strategy.members.iter().map(member).collect::<Vec<_>>(),
    });
    if let Some(n) = e.strategy.shifts_per_member {
        strategy["shifts_per_member"] = json!(n);
    }
    json!({
        "id": e.id,
        "type": "schedule_event",
        "name": e.name,
        "start_time": {"date_time": e.start_time.at.to_string(), "time_zone": e.start_time.time_zone},
        "end_time": {"date_time": e.end_time.at.to_string(), "time_zone": e.end_time.time_zone},
        "effective_since": e.effective_since.to_string(),
        "effective_until": e.effective_until.map(|t| t.to_string()),
        "recurrence": e.recurrence,
        "assignment_strategy": strategy,
        "self": format!("{api}/rotations/{rid}/events/{}", e.id),
        "html_url": html,
    })
}

pub fn render_rotation(r: &Render, sid: &str, rot: &Rotation) -> Value {
    let (api, html) = base(r, sid);
    json!({
        "id": rot.id,
        "type": "schedule_rotation",
        "events": rot.events.iter().map(|e| render_event(r, sid, &rot.id, e)).collect::<Vec<_>>(),
        "self": format!("{api}/rotations/{}", rot.id),
        "html_url": html,
    })
}

/// `clip`: the window to cut the shift's times to (list without `overflow`).
pub fn render_custom_shift(
    r: &Render,
    sid: &str,
    c: &CustomShift,
    clip: Option<(Timestamp, Timestamp)>,
) -> Value {
    let (api, html) = base(r, sid);
    let (start, end) = clipped(c.start, c.end, clip);
    json!({
        "id": c.id,
        "type": "custom_shift",
        "start_time": start.to_string(),
        "end_time": end.to_string(),
        "assignments": [{"id": c.assignment_id, "type": "shift_assignment", "member": member(&c.member)}],
        "self": format!("{api}/custom_shifts/{}", c.id),
        "html_url": html,
    })
}

pub fn render_override(
    r: &Render,
    sid: &str,
    o: &OverrideShift,
    clip: Option<(Timestamp, Timestamp)>,
) -> Value {
    let (api, html) = base(r, sid);
    let (start, end) = clipped(o.start, o.end, clip);
    let mut v = json!({
        "id": o.id,
        "type": "override_shift",
        "start_time": start.to_string(),
        "end_time": end.to_string(),
        "overridden_member": member(&o.overridden),
        "overriding_member": member(&o.overriding),
        "self": format!("{api}/overrides/{}", o.id),
        "html_url": html,
    });
    if let Some(id) = &o.rotation_id {
        v["rotation_id"] = json!(id);
    }
    if let Some(id) = &o.custom_shift_id {
        v["custom_shift_id"] = json!(id);
    }
    v
}

fn clipped(
    start: Timestamp,
    end: Timestamp,
    clip: Option<(Timestamp, Timestamp)>,
) -> (Timestamp, Timestamp) {
    match clip {
        Some((since, until)) => (start.max(since), end.min(until)),
        None => (start, end),
    }
}

fn render_source(src: &Source) -> Value {
    match src {
        Source::Rotation { rotation_id } => {
            json!({"type": "schedule_rotation", "rotation_id": rotation_id})
        }
        Source::CustomShift { shift_id } => json!({"type": "custom_shift", "shift_id": shift_id}),
        Source::RotationOverride {
            rotation_id,
            override_id,
        } => json!({
            "type": "schedule_rotation_override",
            "rotation_id": rotation_id,
            "override_id": override_id,
        }),
        Source::CustomShiftOverride {
            shift_id,
            override_id,
        } => json!({
            "type": "custom_shift_override",
            "shift_id": shift_id,
            "override_id": override_id,
        }),
    }
}

/// The `final_schedule` of a schedule over `[since, until)`.
pub fn render_final_schedule(
    r: &Render,
    s: &ScheduleV3,
    since: Timestamp,
    until: Timestamp,
    overflow: bool,
) -> Value {
    let assignments: Vec<Value> = render_final(s, since, until, !overflow)
        .iter()
        .map(|a| {
            json!({
                "type": "computed_shift_assignment",
                "start_time": r.time(a.start),
                "end_time": r.time(a.end),
                "member": member(&a.member),
                "source": render_source(&a.source),
            })
        })
        .collect();
    json!({
        "type": "final_schedule",
        "rendered_coverage_percentage": coverage_percentage(s, since, until),
        "computed_shift_assignments": assignments,
    })
}

pub fn render_reference(r: &Render, s: &ScheduleV3) -> Value {
    let (api, html) = base(r, &s.id);
    json!({
        "id": s.id,
        "type": "schedule_v3_reference",
        "summary": s.name,
        "self": api,
        "html_url": html,
    })
}

pub fn render_schedule(r: &Render, s: &ScheduleV3) -> Value {
    let (api, html) = base(r, &s.id);
    let mut v = json!({
        "id": s.id,
        "type": "schedule_v3",
        "name": s.name,
        "time_zone": s.time_zone,
        "teams": s.team_ids.iter().map(|t| r.team_ref(t)).collect::<Vec<_>>(),
        "escalation_policies": r
            .acct
            .escalation_policies
            .iter()
            .filter(|ep| ep.rules.iter().flat_map(|x| &x.targets).any(|t| *t == Target::Schedule(s.id.clone())))
            .map(|ep| r.ep_ref(&ep.id))
            .collect::<Vec<_>>(),
        "rotations": s.rotations.iter().map(|rot| render_rotation(r, &s.id, rot)).collect::<Vec<_>>(),
        "self": api,
        "html_url": html,
    });
    if let Some(d) = &s.description {
        v["description"] = json!(d);
    }
    v
}
