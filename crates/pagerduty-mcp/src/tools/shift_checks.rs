//! Checks of shift-based (v3) schedule input, made before anything is sent; shared by the
//! v3 tools and `create_schedule`.

use pagerduty::api::schedules::{CustomShiftData, EventData, NewOverrideShift};
use pagerduty::models::{AssignmentStrategyKind, MemberKind, ShiftMember, Time, ZonedTime};

use crate::error::ToolError;

/// `start` must come before `end`.
pub(crate) fn ordered(
    start: Time,
    end: Time,
    end_field: &str,
    start_field: &str,
) -> Result<(), ToolError> {
    if end <= start {
        return Err(ToolError::invalid(
            end_field,
            format!("must be after {start_field} ({start}), got {end}"),
        ));
    }
    Ok(())
}

pub(crate) fn check_zone(tz: &str, field: &str) -> Result<jiff::tz::TimeZone, ToolError> {
    jiff::tz::TimeZone::get(tz).map_err(|_| {
        ToolError::invalid(
            field,
            format!("`{tz}` is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)"),
        )
    })
}

pub(crate) fn check_member(m: &ShiftMember, field: &str) -> Result<(), ToolError> {
    match (m.kind, &m.user_id) {
        (MemberKind::UserMember, None) => {
            Err(ToolError::invalid(field, "a user_member needs a user_id"))
        }
        (MemberKind::EmptyMember, Some(_)) => Err(ToolError::invalid(
            field,
            "an empty_member takes no user_id",
        )),
        _ => Ok(()),
    }
}

/// Checks a zoned time and writes its date-time as RFC 3339 with the offset it has in its
/// zone (a bare `2026-03-09T09:00` means 09:00 in that zone, not UTC).
fn check_zoned(z: &mut ZonedTime, field: &str) -> Result<jiff::Timestamp, ToolError> {
    let tz = check_zone(&z.time_zone, &format!("{field}.time_zone"))?;
    let at = match z.date_time.parse::<jiff::Timestamp>() {
        Ok(t) => t,
        Err(_) => z
            .date_time
            .parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned_datetime(tz.clone()).ok())
            .map(|zd| zd.timestamp())
            .ok_or_else(|| {
                ToolError::invalid(
                    &format!("{field}.date_time"),
                    format!(
                        "`{}` is not a date-time; use RFC 3339 like 2026-03-09T09:00:00-05:00",
                        z.date_time
                    ),
                )
            })?,
    };
    z.date_time = at
        .to_zoned_datetime(tz)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    Ok(at)
}

pub(crate) fn check_event(e: &mut EventData, field: &str) -> Result<(), ToolError> {
    let f = |k: &str| format!("{field}.{k}");
    if e.name.trim().is_empty() || e.name.len() > 255 {
        return Err(ToolError::invalid(&f("name"), "must be 1-255 characters"));
    }
    let start = check_zoned(&mut e.start_time, &f("start_time"))?;
    let end = check_zoned(&mut e.end_time, &f("end_time"))?;
    ordered(Time(start), Time(end), &f("end_time"), "start_time")?;
    if let Some(until) = e.effective_until {
        ordered(
            e.effective_since,
            until,
            &f("effective_until"),
            "effective_since",
        )?;
    }
    let rrules = e
        .recurrence
        .iter()
        .filter(|l| l.starts_with("RRULE:"))
        .count();
    let others_ok = e
        .recurrence
        .iter()
        .all(|l| l.starts_with("RRULE:") || l.starts_with("EXDATE") || l.starts_with("RDATE"));
    if rrules != 1 || !others_ok || !e.recurrence.iter().any(|l| l.contains("FREQ=")) {
        return Err(ToolError::invalid(
            &f("recurrence"),
            "needs exactly one RRULE with FREQ (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO), plus only \
             EXDATE/RDATE lines",
        ));
    }
    let s = &mut e.assignment_strategy;
    if s.members.is_empty() || s.members.len() > 20 {
        return Err(ToolError::invalid(
            &f("assignment_strategy.members"),
            "give 1 to 20 members",
        ));
    }
    for (i, m) in s.members.iter().enumerate() {
        check_member(m, &f(&format!("assignment_strategy.members[{i}]")))?;
    }
    if s.kind == AssignmentStrategyKind::RotatingMemberAssignmentStrategy {
        match s.shifts_per_member {
            Some(0) => {
                return Err(ToolError::invalid(
                    &f("assignment_strategy.shifts_per_member"),
                    "must be at least 1",
                ));
            }
            None => s.shifts_per_member = Some(1),
            Some(_) => {}
        }
    }
    Ok(())
}

pub(crate) fn check_shift(s: &CustomShiftData, field: &str) -> Result<(), ToolError> {
    ordered(
        s.start_time,
        s.end_time,
        &format!("{field}.end_time"),
        "start_time",
    )?;
    match s.assignments.as_slice() {
        [one] => check_member(&one.member, &format!("{field}.assignments[0].member")),
        _ => Err(ToolError::invalid(
            &format!("{field}.assignments"),
            "give exactly one assignment: [{\"member\": {\"type\": \"user_member\", \"user_id\": \
             …}}]",
        )),
    }
}

pub(crate) fn check_override(o: &NewOverrideShift, field: &str) -> Result<(), ToolError> {
    ordered(
        o.start_time,
        o.end_time,
        &format!("{field}.end_time"),
        "start_time",
    )?;
    if o.rotation_id.is_some() == o.custom_shift_id.is_some() {
        return Err(ToolError::invalid(
            &format!("{field}.rotation_id"),
            "give exactly one of rotation_id or custom_shift_id: the shift being overridden",
        ));
    }
    check_member(&o.overridden_member, &format!("{field}.overridden_member"))?;
    check_member(&o.overriding_member, &format!("{field}.overriding_member"))
}
