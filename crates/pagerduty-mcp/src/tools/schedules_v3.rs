//! Shift-based (v3) schedules: rotations and their events, custom shifts, overrides.
//!
//! The reads and deletes all have one shape (address an object, call the API), so each is
//! built by one generic constructor ([`get`], [`list`], [`delete`]) over the client's generic
//! v3 calls; only creates and updates, which validate their own bodies, are written out.

use pagerduty::api::schedules::{
    CustomShiftData, EventData, NewOverrideShift, OverrideShiftUpdate, V3Parent, V3Query,
    V3Resource,
};
use pagerduty::ids::{CustomShiftId, OverrideId, RotationEventId, RotationId, ScheduleId};
use pagerduty::models::{
    AssignmentStrategyKind, CustomShift, MemberKind, OverrideShift, Rotation, RotationEvent,
    ScheduleV3, ShiftMember, Time, ZonedTime,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

// ---------- addressing ----------

/// Arguments that point at one v3 object of id type `I`.
trait Addr<I>: DeserializeOwned + JsonSchema + Send + 'static {
    fn parent(&self) -> V3Parent<'_>;
    fn id(&self) -> &I;
}

/// Arguments that point at a v3 collection.
trait Coll: DeserializeOwned + JsonSchema + Send + 'static {
    fn parent(&self) -> V3Parent<'_>;
    /// Checked `since`/`until`, for the collections that need them.
    fn range(&self) -> Result<Option<(Time, Time)>, ToolError> {
        Ok(None)
    }
    fn page(&self) -> (Option<u32>, Option<u32>);
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleArg {
    schedule_id: ScheduleId,
}

impl Addr<ScheduleId> for ScheduleArg {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedules
    }
    fn id(&self) -> &ScheduleId {
        &self.schedule_id
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RotationArgs {
    schedule_id: ScheduleId,
    rotation_id: RotationId,
}

impl Addr<RotationId> for RotationArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedule(&self.schedule_id)
    }
    fn id(&self) -> &RotationId {
        &self.rotation_id
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EventArgs {
    schedule_id: ScheduleId,
    rotation_id: RotationId,
    event_id: RotationEventId,
}

impl Addr<RotationEventId> for EventArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Rotation(&self.schedule_id, &self.rotation_id)
    }
    fn id(&self) -> &RotationEventId {
        &self.event_id
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CustomShiftArgs {
    schedule_id: ScheduleId,
    custom_shift_id: CustomShiftId,
}

impl Addr<CustomShiftId> for CustomShiftArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedule(&self.schedule_id)
    }
    fn id(&self) -> &CustomShiftId {
        &self.custom_shift_id
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OverrideArgs {
    schedule_id: ScheduleId,
    override_id: OverrideId,
}

impl Addr<OverrideId> for OverrideArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedule(&self.schedule_id)
    }
    fn id(&self) -> &OverrideId {
        &self.override_id
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListRotationsArgs {
    schedule_id: ScheduleId,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

impl Coll for ListRotationsArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedule(&self.schedule_id)
    }
    fn page(&self) -> (Option<u32>, Option<u32>) {
        (self.limit, self.offset)
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListEventsArgs {
    schedule_id: ScheduleId,
    rotation_id: RotationId,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

impl Coll for ListEventsArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Rotation(&self.schedule_id, &self.rotation_id)
    }
    fn page(&self) -> (Option<u32>, Option<u32>) {
        (self.limit, self.offset)
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RangeArgs {
    schedule_id: ScheduleId,
    /// Start of the range, RFC 3339.
    since: Time,
    /// End of the range, RFC 3339.
    until: Time,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

impl Coll for RangeArgs {
    fn parent(&self) -> V3Parent<'_> {
        V3Parent::Schedule(&self.schedule_id)
    }
    fn range(&self) -> Result<Option<(Time, Time)>, ToolError> {
        ordered(self.since, self.until, "until", "since")?;
        Ok(Some((self.since, self.until)))
    }
    fn page(&self) -> (Option<u32>, Option<u32>) {
        (self.limit, self.offset)
    }
}

// ---------- the generic tools ----------

fn meta(
    name: &'static str,
    title: &'static str,
    access: Access,
    description: &'static str,
) -> Meta {
    Meta {
        name,
        title,
        domain: Domain::Schedules,
        access,
        description,
    }
}

const DESTROY: Access = Access::Write {
    destructive: true,
    idempotent: true,
};
const CREATE: Access = Access::Write {
    destructive: false,
    idempotent: false,
};
const UPDATE: Access = Access::Write {
    destructive: false,
    idempotent: true,
};

/// One object by its address.
fn get<R, A>(meta: Meta) -> ToolDef
where
    R: V3Resource + Serialize + JsonSchema + Send + 'static,
    A: Addr<R::Id>,
{
    tool(meta, |ctx: Ctx, a: A| async move {
        Ok::<R, ToolError>(ctx.pd.v3_get::<R>(a.parent(), a.id()).await?)
    })
}

/// A collection, paged.
fn list<R, A>(meta: Meta) -> ToolDef
where
    R: V3Resource + Serialize + JsonSchema + Send + 'static,
    A: Coll,
{
    tool(meta, |ctx: Ctx, a: A| async move {
        let (limit, offset) = a.page();
        let w = window(limit, offset, 100)?;
        let q = V3Query {
            range: a.range()?,
            ..V3Query::default()
        };
        Ok::<_, ToolError>(Listing::<R>::from(
            ctx.pd.v3_list::<R>(a.parent(), &q, w).await?,
        ))
    })
}

/// What a delete answers.
#[derive(Serialize, JsonSchema)]
struct Deleted {
    deleted: bool,
    id: String,
}

fn delete<R, A>(meta: Meta) -> ToolDef
where
    R: V3Resource + Send + 'static,
    A: Addr<R::Id>,
{
    tool(meta, |ctx: Ctx, a: A| async move {
        ctx.pd.v3_delete::<R>(a.parent(), a.id()).await?;
        Ok::<_, ToolError>(Deleted {
            deleted: true,
            id: a.id().as_ref().to_owned(),
        })
    })
}

pub fn tools() -> Vec<ToolDef> {
    use Access::Read;
    vec![
        list::<Rotation, ListRotationsArgs>(meta(
            "list_schedule_v3_rotations",
            "List rotations",
            Read,
            "The rotations of a shift-based schedule, each with its recurring events and members.",
        )),
        get::<Rotation, RotationArgs>(meta(
            "get_schedule_v3_rotation",
            "Get rotation",
            Read,
            "One rotation of a shift-based schedule, with its events.",
        )),
        list::<RotationEvent, ListEventsArgs>(meta(
            "list_schedule_v3_rotation_events",
            "List rotation events",
            Read,
            "A rotation's events: recurring windows (RRULE), effective dates and member assignment.",
        )),
        get::<RotationEvent, EventArgs>(meta(
            "get_schedule_v3_rotation_event",
            "Get rotation event",
            Read,
            "One rotation event: its window, recurrence, effective dates and members.",
        )),
        list::<CustomShift, RangeArgs>(meta(
            "list_schedule_v3_custom_shifts",
            "List custom shifts",
            Read,
            "One-off shifts of a shift-based schedule overlapping since..until, with who covers them.",
        )),
        get::<CustomShift, CustomShiftArgs>(meta(
            "get_schedule_v3_custom_shift",
            "Get custom shift",
            Read,
            "One custom shift of a shift-based schedule.",
        )),
        list::<OverrideShift, RangeArgs>(meta(
            "list_schedule_v3_overrides",
            "List v3 overrides",
            Read,
            "Overrides on a shift-based schedule overlapping since..until: who replaces whom, when.",
        )),
        get::<OverrideShift, OverrideArgs>(meta(
            "get_schedule_v3_override",
            "Get v3 override",
            Read,
            "One override on a shift-based schedule.",
        )),
        delete::<ScheduleV3, ScheduleArg>(meta(
            "delete_schedule_v3",
            "Delete shift-based schedule",
            DESTROY,
            "Delete a shift-based schedule with its rotations, custom shifts and overrides.",
        )),
        delete::<Rotation, RotationArgs>(meta(
            "delete_schedule_v3_rotation",
            "Delete rotation",
            DESTROY,
            "Delete a rotation, its events and the overrides of its shifts.",
        )),
        delete::<RotationEvent, EventArgs>(meta(
            "delete_schedule_v3_rotation_event",
            "Delete rotation event",
            DESTROY,
            "Delete one event of a rotation.",
        )),
        delete::<CustomShift, CustomShiftArgs>(meta(
            "delete_schedule_v3_custom_shift",
            "Delete custom shift",
            DESTROY,
            "Delete a custom shift and the overrides of it.",
        )),
        delete::<OverrideShift, OverrideArgs>(meta(
            "delete_schedule_v3_override",
            "Delete v3 override",
            DESTROY,
            "Delete an override; the original member is on call again.",
        )),
        tool(
            meta(
                "create_schedule_v3_rotation",
                "Create rotation",
                CREATE,
                "Add an empty rotation to a shift-based schedule; then give it events with \
                 create_schedule_v3_rotation_event.",
            ),
            |ctx: Ctx, a: ScheduleArg| async move {
                let body = serde_json::Map::new();
                Ok::<Rotation, ToolError>(
                    ctx.pd
                        .v3_create::<Rotation>(V3Parent::Schedule(&a.schedule_id), &body)
                        .await?,
                )
            },
        ),
        tool(
            meta(
                "create_schedule_v3_rotation_event",
                "Create rotation event",
                CREATE,
                "Add a recurring on-call window to a rotation: first occurrence start/end, RRULE \
                 recurrence, effective dates and the members who rotate or share it.",
            ),
            |ctx: Ctx, mut a: EventDataArgs| async move {
                check_event(&mut a.event_data, "event_data")?;
                let parent = V3Parent::Rotation(&a.schedule_id, &a.rotation_id);
                Ok::<RotationEvent, ToolError>(ctx.pd.v3_create(parent, &a.event_data).await?)
            },
        ),
        tool(
            meta(
                "update_schedule_v3_rotation_event",
                "Update rotation event",
                UPDATE,
                "Replace a rotation event's fields. Once the event is active only effective_until \
                 may change (to end it); past events cannot change.",
            ),
            |ctx: Ctx, mut a: UpdateEventArgs| async move {
                check_event(&mut a.event_data, "event_data")?;
                let parent = V3Parent::Rotation(&a.schedule_id, &a.rotation_id);
                Ok::<RotationEvent, ToolError>(
                    ctx.pd.v3_update(parent, &a.event_id, &a.event_data).await?,
                )
            },
        ),
        tool(
            meta(
                "create_schedule_v3_custom_shifts",
                "Create custom shifts",
                CREATE,
                "Add one-off shifts to a shift-based schedule, each with exactly one member.",
            ),
            |ctx: Ctx, a: CreateShiftsArgs| async move {
                if a.custom_shifts.is_empty() {
                    return Err(ToolError::invalid(
                        "custom_shifts",
                        "give at least one shift",
                    ));
                }
                for (i, s) in a.custom_shifts.iter().enumerate() {
                    check_shift(s, &format!("custom_shifts[{i}]"))?;
                }
                let parent = V3Parent::Schedule(&a.schedule_id);
                Ok(Listing::<CustomShift>::all(
                    ctx.pd.v3_create_many(parent, &a.custom_shifts).await?,
                ))
            },
        ),
        tool(
            meta(
                "update_schedule_v3_custom_shift",
                "Update custom shift",
                UPDATE,
                "Change a custom shift's times or member; once it has started only end_time may change.",
            ),
            |ctx: Ctx, a: UpdateShiftArgs| async move {
                check_shift(&a.shift_data, "shift_data")?;
                let parent = V3Parent::Schedule(&a.schedule_id);
                Ok::<CustomShift, ToolError>(
                    ctx.pd
                        .v3_update(parent, &a.custom_shift_id, &a.shift_data)
                        .await?,
                )
            },
        ),
        tool(
            meta(
                "create_schedule_v3_overrides",
                "Create v3 overrides",
                CREATE,
                "Have someone cover part of a rotation's or custom shift's time on a shift-based \
                 schedule (give rotation_id or custom_shift_id).",
            ),
            |ctx: Ctx, a: CreateOverridesArgs| async move {
                if a.overrides.is_empty() {
                    return Err(ToolError::invalid(
                        "overrides",
                        "give at least one override",
                    ));
                }
                for (i, o) in a.overrides.iter().enumerate() {
                    check_override(o, &format!("overrides[{i}]"))?;
                }
                let parent = V3Parent::Schedule(&a.schedule_id);
                Ok(Listing::<OverrideShift>::all(
                    ctx.pd.v3_create_many(parent, &a.overrides).await?,
                ))
            },
        ),
        tool(
            meta(
                "update_schedule_v3_override",
                "Update v3 override",
                UPDATE,
                "Change an override's time range or members on a shift-based schedule.",
            ),
            update_override,
        ),
    ]
}

// ---------- creates and updates ----------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EventDataArgs {
    schedule_id: ScheduleId,
    rotation_id: RotationId,
    event_data: EventData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateEventArgs {
    schedule_id: ScheduleId,
    rotation_id: RotationId,
    event_id: RotationEventId,
    event_data: EventData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateShiftsArgs {
    schedule_id: ScheduleId,
    custom_shifts: Vec<CustomShiftData>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateShiftArgs {
    schedule_id: ScheduleId,
    custom_shift_id: CustomShiftId,
    shift_data: CustomShiftData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateOverridesArgs {
    schedule_id: ScheduleId,
    overrides: Vec<NewOverrideShift>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateOverrideArgs {
    schedule_id: ScheduleId,
    override_id: OverrideId,
    start_time: Time,
    end_time: Time,
    overridden_member_type: MemberKind,
    overriding_member_type: MemberKind,
    /// Required for user_member.
    overridden_member_user_id: Option<pagerduty::ids::UserId>,
    /// Required for user_member.
    overriding_member_user_id: Option<pagerduty::ids::UserId>,
}

async fn update_override(ctx: Ctx, a: UpdateOverrideArgs) -> Result<OverrideShift, ToolError> {
    ordered(a.start_time, a.end_time, "end_time", "start_time")?;
    let overridden = ShiftMember {
        kind: a.overridden_member_type,
        user_id: a.overridden_member_user_id,
    };
    let overriding = ShiftMember {
        kind: a.overriding_member_type,
        user_id: a.overriding_member_user_id,
    };
    check_member(&overridden, "overridden_member_user_id")?;
    check_member(&overriding, "overriding_member_user_id")?;
    let body = OverrideShiftUpdate {
        start_time: a.start_time,
        end_time: a.end_time,
        overridden_member: overridden,
        overriding_member: overriding,
    };
    Ok(ctx
        .pd
        .v3_update(V3Parent::Schedule(&a.schedule_id), &a.override_id, &body)
        .await?)
}

// ---------- validation (before anything is sent) ----------

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

fn check_member(m: &ShiftMember, field: &str) -> Result<(), ToolError> {
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
            "needs exactly one RRULE with FREQ (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO), plus only EXDATE/RDATE lines",
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

fn check_shift(s: &CustomShiftData, field: &str) -> Result<(), ToolError> {
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
            "give exactly one assignment: [{\"member\": {\"type\": \"user_member\", \"user_id\": …}}]",
        )),
    }
}

fn check_override(o: &NewOverrideShift, field: &str) -> Result<(), ToolError> {
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
