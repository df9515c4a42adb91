//! The seeded shift-based (v3) schedules, relative to `now`.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

use crate::schedule_v3::*;

fn at(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

/// Local `hour`:00, `days` calendar days after the Monday of the week containing `t`, in
/// `tz`. Calendar arithmetic, so a time stays at its wall-clock hour across DST changes.
fn monday(t: Timestamp, tz: &str, days: i64, hour: i8) -> Timestamp {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    let z = t.to_zoned_datetime(zone.clone());
    let back = i64::from(z.weekday().to_monday_zero_offset());
    z.date()
        .checked_add(jiff::Span::new().days(days - back))
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
    let wk = |weeks: i64, days: i64, hour: i8| monday(now, london, 7 * weeks + days, hour);
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
                        at: wk(-4, 0, 9),
                        time_zone: london.into(),
                    },
                    end_time: Zoned {
                        at: wk(-3, 0, 9),
                        time_zone: london.into(),
                    },
                    effective_since: wk(-4, 0, 9),
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
                        at: wk(-1, 5, 0),
                        time_zone: london.into(),
                    },
                    end_time: Zoned {
                        at: wk(0, 0, 0),
                        time_zone: london.into(),
                    },
                    effective_since: wk(-1, 0, 9),
                    effective_until: Some(wk(12, 0, 9)),
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
    let wk = |weeks: i64, hour: i8| monday(now, la, 7 * weeks, hour);
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
                    at: wk(-2, 8),
                    time_zone: la.into(),
                },
                end_time: Zoned {
                    at: wk(-2, 18),
                    time_zone: la.into(),
                },
                effective_since: wk(-2, 8),
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
