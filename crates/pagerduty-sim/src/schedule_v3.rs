//! Shift-based (v3) schedules: rotations whose events recur by RRULE, one-off custom shifts,
//! and overrides of either. Stored typed, rendered to the `/v3/schedules` JSON here, and
//! seeded (two schedules) relative to `now`.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use crate::render::{API_BASE, Render};
use crate::store::Account;

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
        "escalation_policies": [],
        "rotations": s.rotations.iter().map(|rot| render_rotation(r, &s.id, rot)).collect::<Vec<_>>(),
        "self": api,
        "html_url": html,
    });
    if let Some(d) = &s.description {
        v["description"] = json!(d);
    }
    v
}

// ---------- seeding ----------

fn at(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

/// Local `hour`:00 on the Monday of the week containing `t`, in `tz`.
fn monday(t: Timestamp, tz: &str, hour: i8) -> Timestamp {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    let z = t.to_zoned_datetime(zone.clone());
    let back = i64::from(z.weekday().to_monday_zero_offset());
    z.date()
        .checked_sub(jiff::Span::new().days(back))
        .ok()
        .map(|d| d.at(hour, 0, 0, 0))
        .and_then(|dt| dt.to_zoned_datetime(zone).ok())
        .map(|z| z.timestamp())
        .unwrap_or(t)
}

/// Two shift-based schedules. `next_id` mints schedule ids from the account's seeded id space;
/// `users`/`teams` are the seeded ids by index.
pub fn seed(
    now: Timestamp,
    users: &[String],
    teams: &[String],
    next_id: &mut dyn FnMut() -> String,
) -> Vec<ScheduleV3> {
    let day = 86_400;
    let u = |i: usize| Member::User(users.get(i).cloned().unwrap_or_default());
    let mut tag = 0u64;
    let mut id = || {
        tag += 1;
        sub_id(tag)
    };
    let london = "Europe/London";
    let wk = monday(now, london, 9);
    let (r1, r2, e1, e2, c1, c2) = (id(), id(), id(), id(), id(), id());
    let sre = ScheduleV3 {
        id: next_id(),
        name: "SRE Shift-Based On-Call".into(),
        description: Some("Weekly primary rotation plus a weekend backup pair".into()),
        time_zone: london.into(),
        team_ids: teams.first().cloned().into_iter().collect(),
        rotations: vec![
            Rotation {
                id: r1.clone(),
                events: vec![Event {
                    id: e1,
                    name: "Weekly primary".into(),
                    start_time: Zoned {
                        at: at(wk, -4 * 7 * day),
                        time_zone: london.into(),
                    },
                    end_time: Zoned {
                        at: at(wk, -3 * 7 * day),
                        time_zone: london.into(),
                    },
                    effective_since: at(wk, -4 * 7 * day),
                    effective_until: None,
                    recurrence: vec!["RRULE:FREQ=WEEKLY".into()],
                    strategy: Strategy {
                        kind: "rotating_member_assignment_strategy".into(),
                        shifts_per_member: Some(1),
                        members: vec![u(0), u(3), u(1)],
                    },
                }],
            },
            Rotation {
                id: r2,
                events: vec![Event {
                    id: e2,
                    name: "Weekend backup".into(),
                    start_time: Zoned {
                        at: at(wk, 5 * day - 9 * 3600 - 7 * day),
                        time_zone: london.into(),
                    },
                    end_time: Zoned {
                        at: at(wk, 7 * day - 9 * 3600 - 7 * day),
                        time_zone: london.into(),
                    },
                    effective_since: at(wk, -7 * day),
                    effective_until: Some(at(wk, 12 * 7 * day)),
                    recurrence: vec!["RRULE:FREQ=WEEKLY;BYDAY=SA".into()],
                    strategy: Strategy {
                        kind: "every_member_assignment_strategy".into(),
                        shifts_per_member: None,
                        members: vec![u(7), u(0)],
                    },
                }],
            },
        ],
        custom_shifts: vec![
            CustomShift {
                id: c1,
                start: at(now, -10 * day),
                end: at(now, -10 * day + 8 * 3600),
                assignment_id: id(),
                member: u(2),
            },
            CustomShift {
                id: c2.clone(),
                start: at(now, 5 * day),
                end: at(now, 5 * day + 8 * 3600),
                assignment_id: id(),
                member: u(5),
            },
        ],
        overrides: vec![
            OverrideShift {
                id: id(),
                rotation_id: Some(r1),
                custom_shift_id: None,
                start: at(now, day),
                end: at(now, 2 * day),
                overridden: u(3),
                overriding: u(7),
            },
            OverrideShift {
                id: id(),
                rotation_id: None,
                custom_shift_id: Some(c2),
                start: at(now, 5 * day),
                end: at(now, 5 * day + 4 * 3600),
                overridden: u(5),
                overriding: u(4),
            },
        ],
    };
    let la = "America/Los_Angeles";
    let wk = monday(now, la, 8);
    let (r1, e1) = (id(), id());
    let mobile = ScheduleV3 {
        id: next_id(),
        name: "Mobile Release Watch".into(),
        description: None,
        time_zone: la.into(),
        team_ids: teams.get(2).cloned().into_iter().collect(),
        rotations: vec![Rotation {
            id: r1.clone(),
            events: vec![Event {
                id: e1,
                name: "Release hours".into(),
                start_time: Zoned {
                    at: at(wk, -2 * 7 * day),
                    time_zone: la.into(),
                },
                end_time: Zoned {
                    at: at(wk, -2 * 7 * day + 10 * 3600),
                    time_zone: la.into(),
                },
                effective_since: at(wk, -2 * 7 * day),
                effective_until: None,
                recurrence: vec!["RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR".into()],
                strategy: Strategy {
                    kind: "rotating_member_assignment_strategy".into(),
                    shifts_per_member: Some(5),
                    members: vec![u(4), u(5), Member::Empty],
                },
            }],
        }],
        custom_shifts: vec![],
        overrides: vec![OverrideShift {
            id: id(),
            rotation_id: Some(r1),
            custom_shift_id: None,
            start: at(now, 2 * day),
            end: at(now, 2 * day + 10 * 3600),
            overridden: u(5),
            overriding: u(9),
        }],
    };
    vec![sre, mobile]
}
