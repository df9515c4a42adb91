//! Schedules: layer-based (REST v2 `/schedules`) and shift-based (`/v3/schedules`).

use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::{CustomShiftId, OverrideId, RotationEventId, RotationId, ScheduleId, UserId};

// ---------- layer-based (v2) ----------

/// A layer-based on-call schedule.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Schedule {
    pub id: ScheduleId,
    pub name: String,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Highest precedence first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule_layers: Vec<ScheduleLayer>,
    /// Who is on call, with layers and overrides applied (filled for a time range).
    #[serde(default, skip_serializing_if = "SubSchedule::is_empty")]
    pub final_schedule: Option<SubSchedule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation_policies: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<Reference>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleLayer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_virtual_start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_turn_length_seconds: Option<u64>,
    /// In rotation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<LayerUser>,
    /// When the layer is active (daily or weekly windows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rendered_schedule_entries: Vec<ScheduleEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct LayerUser {
    pub user: Reference,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct SubSchedule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rendered_schedule_entries: Vec<ScheduleEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered_coverage_percentage: Option<f64>,
}

impl SubSchedule {
    fn is_empty(s: &Option<Self>) -> bool {
        s.as_ref()
            .is_none_or(|s| s.rendered_schedule_entries.is_empty())
    }
}

/// One on-call span.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleEntry {
    pub user: Reference,
    pub start: Time,
    pub end: Time,
}

/// A v2 override: someone else is on call for a while.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    pub user: Reference,
}

/// The outcome of one requested override: created (201) or rejected with errors.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleOverrideResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    #[serde(rename = "override")]
    pub override_: ScheduleOverride,
}

// ---------- shift-based (v3) ----------

/// A shift-based schedule as listed: id and name.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleV3Ref {
    pub id: ScheduleId,
    /// The schedule's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A shift-based schedule: rotations whose events recur, plus custom shifts and overrides
/// (read those with their own tools).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ScheduleV3 {
    pub id: ScheduleId,
    pub name: String,
    pub time_zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation_policies: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotations: Vec<Rotation>,
    /// Computed assignments, when asked for with a time range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_schedule: Option<FinalScheduleV3>,
}

/// Who is on call when on a shift-based schedule over a range: rotations, custom shifts and
/// overrides applied. Assignments may overlap (several people on call at once).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct FinalScheduleV3 {
    /// Share of the range with someone on call, 0-100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered_coverage_percentage: Option<f64>,
    #[serde(default)]
    pub computed_shift_assignments: Vec<ComputedShift>,
}

/// One computed assignment: `member` is on call from `start_time` to `end_time`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ComputedShift {
    pub start_time: Time,
    pub end_time: Time,
    pub member: ShiftMember,
    /// Where it comes from: a rotation, a custom shift, or an override of either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<serde_json::Value>,
}

/// A rotation: all its scheduling lives in its events.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Rotation {
    pub id: RotationId,
    #[serde(default)]
    pub events: Vec<RotationEvent>,
}

/// A recurring on-call window within a rotation, with who covers it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct RotationEvent {
    pub id: RotationEventId,
    pub name: String,
    pub start_time: ZonedTime,
    pub end_time: ZonedTime,
    pub effective_since: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<Time>,
    pub recurrence: Vec<String>,
    pub assignment_strategy: AssignmentStrategy,
}

/// A date-time meant in a time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct ZonedTime {
    /// RFC 3339; without an offset it is read in `time_zone`.
    pub date_time: String,
    /// IANA zone, e.g. America/New_York.
    pub time_zone: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum AssignmentStrategyKind {
    /// Members take turns.
    RotatingMemberAssignmentStrategy,
    /// All members are on call together.
    EveryMemberAssignmentStrategy,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct AssignmentStrategy {
    #[serde(rename = "type")]
    pub kind: AssignmentStrategyKind,
    /// Consecutive shifts per member before the next takes over (rotating; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shifts_per_member: Option<u32>,
    /// 1-20.
    pub members: Vec<ShiftMember>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    UserMember,
    /// Deliberately unassigned.
    EmptyMember,
}

/// Who fills a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct ShiftMember {
    #[serde(rename = "type")]
    pub kind: MemberKind,
    /// Required for user_member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

/// A one-off shift outside the rotations.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct CustomShift {
    pub id: CustomShiftId,
    pub start_time: Time,
    pub end_time: Time,
    pub assignments: Vec<ShiftAssignment>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ShiftAssignment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub member: ShiftMember,
}

/// Someone covers part of a rotation's or custom shift's time instead of its member.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct OverrideShift {
    pub id: OverrideId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_id: Option<RotationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_shift_id: Option<CustomShiftId>,
    pub start_time: Time,
    pub end_time: Time,
    pub overridden_member: ShiftMember,
    pub overriding_member: ShiftMember,
}
