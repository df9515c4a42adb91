//! Shift-based (v3) schedules: rotations and their events, custom shifts, overrides.
//!
//! The reads and deletes all have one shape (address an object, call the API), so each is
//! built by one generic constructor ([`get`], [`list`], [`delete`]) over the client's generic
//! v3 calls; only creates and updates, which validate their own bodies, are written out.

use pagerduty::api::Resource;
use pagerduty::api::schedules::{
    CustomShiftData, EventData, NewOverrideShift, OverrideShiftUpdate, V3Parent, V3Query,
};
use pagerduty::ids::{CustomShiftId, OverrideId, RotationEventId, RotationId, ScheduleId};
use pagerduty::models::{
    CustomShift, MemberKind, OverrideShift, Rotation, RotationEvent, ScheduleV3, ShiftMember, Time,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, Meta, ToolDef, Tools, tool};
use crate::tools::shift_checks::{check_event, check_member, check_override, check_shift, ordered};

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

const SCHEDULES: Tools = Tools(Domain::Schedules);

/// One object by its address.
fn get<R, A>(meta: Meta) -> ToolDef
where
    R: Resource + Serialize + JsonSchema + Send + 'static,
    A: Addr<R::Id>,
{
    tool(meta, |ctx: Ctx, a: A| async move {
        Ok::<R, ToolError>(ctx.pd.v3_get::<R>(a.parent(), a.id()).await?)
    })
}

/// A collection, paged.
fn list<R, A>(meta: Meta) -> ToolDef
where
    R: Resource + Serialize + JsonSchema + Send + 'static,
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
    R: Resource + Send + 'static,
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
        list::<Rotation, ListRotationsArgs>(SCHEDULES.meta(
            Read,
            "list_schedule_v3_rotations",
            "The rotations of a shift-based schedule, each with its recurring events and members.",
        )),
        get::<Rotation, RotationArgs>(SCHEDULES.meta(
            Read,
            "get_schedule_v3_rotation",
            "One rotation of a shift-based schedule, with its events.",
        )),
        list::<RotationEvent, ListEventsArgs>(SCHEDULES.meta(
            Read,
            "list_schedule_v3_rotation_events",
            "A rotation's events: recurring windows (RRULE), effective dates and member \
             assignment.",
        )),
        get::<RotationEvent, EventArgs>(SCHEDULES.meta(
            Read,
            "get_schedule_v3_rotation_event",
            "One rotation event: its window, recurrence, effective dates and members.",
        )),
        list::<CustomShift, RangeArgs>(SCHEDULES.meta(
            Read,
            "list_schedule_v3_custom_shifts",
            "One-off shifts of a shift-based schedule overlapping since..until, with who covers \
             them.",
        )),
        get::<CustomShift, CustomShiftArgs>(SCHEDULES.meta(
            Read,
            "get_schedule_v3_custom_shift",
            "One custom shift of a shift-based schedule.",
        )),
        list::<OverrideShift, RangeArgs>(SCHEDULES.meta(
            Read,
            "list_schedule_v3_overrides",
            "Overrides on a shift-based schedule overlapping since..until: who replaces whom, \
             when.",
        )),
        get::<OverrideShift, OverrideArgs>(SCHEDULES.meta(
            Read,
            "get_schedule_v3_override",
            "One override on a shift-based schedule.",
        )),
        delete::<ScheduleV3, ScheduleArg>(SCHEDULES.meta(
            Access::DESTROY,
            "delete_schedule_v3",
            "Delete a shift-based schedule with its rotations, custom shifts and overrides.",
        )),
        delete::<Rotation, RotationArgs>(SCHEDULES.meta(
            Access::DESTROY,
            "delete_schedule_v3_rotation",
            "Delete a rotation, its events and the overrides of its shifts.",
        )),
        delete::<RotationEvent, EventArgs>(SCHEDULES.meta(
            Access::DESTROY,
            "delete_schedule_v3_rotation_event",
            "Delete one event of a rotation.",
        )),
        delete::<CustomShift, CustomShiftArgs>(SCHEDULES.meta(
            Access::DESTROY,
            "delete_schedule_v3_custom_shift",
            "Delete a custom shift and the overrides of it.",
        )),
        delete::<OverrideShift, OverrideArgs>(SCHEDULES.meta(
            Access::DESTROY,
            "delete_schedule_v3_override",
            "Delete an override; the original member is on call again.",
        )),
        SCHEDULES.create(
            "create_schedule_v3_rotation",
            "Add an empty rotation to a shift-based schedule; then give it events with \
             create_schedule_v3_rotation_event.",
            |ctx: Ctx, a: ScheduleArg| async move {
                let body = serde_json::Map::new();
                Ok::<Rotation, ToolError>(
                    ctx.pd
                        .v3_create::<Rotation>(V3Parent::Schedule(&a.schedule_id), &body)
                        .await?,
                )
            },
        ),
        SCHEDULES.create(
            "create_schedule_v3_rotation_event",
            "Add a recurring on-call window to a rotation: first occurrence start/end, RRULE \
             recurrence, effective dates and the members who rotate or share it.",
            |ctx: Ctx, mut a: EventDataArgs| async move {
                check_event(&mut a.event_data, "event_data")?;
                let parent = V3Parent::Rotation(&a.schedule_id, &a.rotation_id);
                Ok::<RotationEvent, ToolError>(ctx.pd.v3_create(parent, &a.event_data).await?)
            },
        ),
        SCHEDULES.update(
            "update_schedule_v3_rotation_event",
            "Replace a rotation event's fields. Once the event is active only effective_until \
             may change (to end it); past events cannot change.",
            |ctx: Ctx, mut a: UpdateEventArgs| async move {
                check_event(&mut a.event_data, "event_data")?;
                let parent = V3Parent::Rotation(&a.schedule_id, &a.rotation_id);
                Ok::<RotationEvent, ToolError>(
                    ctx.pd.v3_update(parent, &a.event_id, &a.event_data).await?,
                )
            },
        ),
        SCHEDULES.create(
            "create_schedule_v3_custom_shifts",
            "Add one-off shifts to a shift-based schedule, each with exactly one member.",
            |ctx: Ctx, a: CreateShiftsArgs| async move {
                check_each(&a.custom_shifts, "custom_shifts", "shift", check_shift)?;
                let parent = V3Parent::Schedule(&a.schedule_id);
                Ok(Listing::<CustomShift>::all(
                    ctx.pd.v3_create_many(parent, &a.custom_shifts).await?,
                ))
            },
        ),
        SCHEDULES.update(
            "update_schedule_v3_custom_shift",
            "Change a custom shift's times or member; once it has started only end_time may \
             change.",
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
        SCHEDULES.create(
            "create_schedule_v3_overrides",
            "Have someone cover part of a rotation's or custom shift's time on a shift-based \
             schedule (give rotation_id or custom_shift_id).",
            |ctx: Ctx, a: CreateOverridesArgs| async move {
                check_each(&a.overrides, "overrides", "override", check_override)?;
                let parent = V3Parent::Schedule(&a.schedule_id);
                Ok(Listing::<OverrideShift>::all(
                    ctx.pd.v3_create_many(parent, &a.overrides).await?,
                ))
            },
        ),
        SCHEDULES.update(
            "update_schedule_v3_override",
            "Change an override's time range or members on a shift-based schedule.",
            update_override,
        ),
    ]
}

// ---------- creates and updates ----------

/// At least one item, and each one valid (`check` gets the item's path, e.g. `overrides[2]`).
fn check_each<T>(
    items: &[T],
    field: &str,
    what: &str,
    check: impl Fn(&T, &str) -> Result<(), ToolError>,
) -> Result<(), ToolError> {
    if items.is_empty() {
        return Err(ToolError::invalid(
            field,
            format!("give at least one {what}"),
        ));
    }
    items
        .iter()
        .enumerate()
        .try_for_each(|(i, item)| check(item, &format!("{field}[{i}]")))
}

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
