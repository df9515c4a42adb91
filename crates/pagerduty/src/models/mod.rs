//! Typed PagerDuty objects, trimmed to what an on-call engineer reads: no `self`/`html_url`
//! links, and absent or empty fields are left out when serialized.

mod common;
mod escalation_policy;
mod incident;
mod oncall;
mod schedule;
mod service;
mod user;

pub use common::{Reference, Time};
pub use escalation_policy::{EscalationPolicy, EscalationRule};
pub use incident::{
    Acknowledgement, Alert, AlertCounts, AlertStatus, Assignment, Incident, IncidentStatus, Note,
    Responder, ResponderRequest, Urgency,
};
pub use oncall::Oncall;
pub use schedule::{
    AssignmentStrategy, AssignmentStrategyKind, CustomShift, LayerUser, MemberKind, OverrideShift,
    Rotation, RotationEvent, Schedule, ScheduleEntry, ScheduleLayer, ScheduleOverride,
    ScheduleOverrideResult, ScheduleV3, ScheduleV3Ref, ShiftAssignment, ShiftMember, SubSchedule,
    ZonedTime,
};
pub use service::Service;
pub use user::{User, UserRole};
