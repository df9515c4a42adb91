//! Schedules. Layer-based ones live under `/schedules` (REST v2); shift-based ones under
//! `/v3/schedules`, whose sub-resources (rotations, their events, custom shifts, overrides)
//! all share one shape, served here by one generic set of calls over [`Resource`] under a
//! [`V3Parent`].

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use crate::client::Call;
use crate::ids::{CustomShiftId, RotationId, ScheduleId, TeamId, UserId};
use crate::models::{
    AssignmentStrategy, Reference, Schedule, ScheduleOverrideResult, ScheduleV3, ShiftMember, Time,
    User, ZonedTime,
};
use crate::{Client, Error, Page, Result, Window};

// ---------- layer-based (v2) ----------

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /schedules`.
pub struct ScheduleQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// Only these teams' schedules.
    pub team_ids: Vec<TeamId>,
    /// `schedule_layers`, `overrides_subschedule`, `final_schedule`.
    pub include: Vec<String>,
}

/// One override to create on a layer-based schedule.
#[derive(Clone, Debug)]
pub struct NewScheduleOverride {
    /// The override's start.
    pub start: Time,
    /// The override's end.
    pub end: Time,
    /// Who is on call instead.
    pub user_id: UserId,
}

impl Client {
    /// With `since`/`until`, the layers and the final schedule carry who is on call when.
    pub async fn get_schedule(
        &self,
        id: &ScheduleId,
        range: Option<(Time, Time)>,
    ) -> Result<Schedule> {
        self.member::<Schedule>(Method::GET, id)
            .within(range)
            .send_one("schedule")
            .await
    }

    /// The users on call on the schedule in the range (default: the next two weeks).
    pub async fn list_schedule_users(
        &self,
        id: &ScheduleId,
        since: Option<Time>,
        until: Option<Time>,
    ) -> Result<Vec<User>> {
        self.nested::<Schedule>(Method::GET, id, &["users"])
            .subject(format!("the users of schedule {id}"))
            .query_opt("since", since)
            .query_opt("until", until)
            .send_one("users")
            .await
    }

    /// Creates overrides; PagerDuty answers per override (created, or rejected with why).
    pub async fn create_schedule_overrides(
        &self,
        id: &ScheduleId,
        overrides: &[NewScheduleOverride],
    ) -> Result<Vec<ScheduleOverrideResult>> {
        let body = serde_json::json!({
            "overrides": overrides.iter().map(|o| serde_json::json!({
                "start": o.start,
                "end": o.end,
                "user": Reference::new(o.user_id.as_str(), "user_reference"),
            })).collect::<Vec<_>>(),
        });
        self.nested::<Schedule>(Method::POST, id, &["overrides"])
            .subject(format!("overrides on schedule {id}"))
            .json(&body)?
            .send()
            .await
    }
}

// ---------- shift-based (v3): one generic set of calls ----------

/// Where v3 objects live: the schedule collection, one schedule, or one of its rotations.
#[derive(Clone, Copy, Debug)]
pub enum V3Parent<'a> {
    /// `/v3/schedules`.
    Schedules,
    /// `/v3/schedules/{id}`.
    Schedule(&'a ScheduleId),
    /// `/v3/schedules/{id}/rotations/{rotation_id}`.
    Rotation(&'a ScheduleId, &'a RotationId),
}

impl<'a> V3Parent<'a> {
    fn segments(self) -> Vec<&'a str> {
        match self {
            Self::Schedules => vec!["v3"],
            Self::Schedule(s) => vec!["v3", "schedules", s.as_str()],
            Self::Rotation(s, r) => vec!["v3", "schedules", s.as_str(), "rotations", r.as_str()],
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Schedules => String::new(),
            Self::Schedule(s) => format!(" of schedule {s}"),
            Self::Rotation(s, r) => format!(" of rotation {r} in schedule {s}"),
        }
    }
}

/// Filters a v3 listing takes; each collection uses the ones it knows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct V3Query {
    /// Name contains this text.
    pub query: Option<String>,
    /// Only these teams'.
    pub team_ids: Vec<TeamId>,
    /// Required by custom shifts and overrides. Shifts crossing the bounds come whole.
    #[serde(skip)] // sent as since/until, with overflow (see `v3_list`)
    pub range: Option<(Time, Time)>,
}

impl Call<'_> {
    /// `since`/`until` of `range`, when there is one.
    fn within(self, range: Option<(Time, Time)>) -> Self {
        self.query_opt("since", range.map(|r| r.0))
            .query_opt("until", range.map(|r| r.1))
    }
}

impl Client {
    fn v3_call<R: Resource>(
        &self,
        method: Method,
        parent: V3Parent<'_>,
        id: Option<&R::Id>,
    ) -> Call<'_> {
        let mut segments = parent.segments();
        segments.push(R::COLLECTION);
        if let Some(id) = id {
            segments.push(id.as_ref());
        }
        let subject = match id {
            Some(id) => format!("{} {id}{}", R::WHAT, parent.describe()),
            None => format!("the {}s{}", R::WHAT, parent.describe()),
        };
        self.request(method, &segments).subject(subject)
    }

    /// `GET` a v3 collection under `parent`.
    pub async fn v3_list<R: Resource>(
        &self,
        parent: V3Parent<'_>,
        q: &V3Query,
        window: Window,
    ) -> Result<Page<R>> {
        self.v3_call::<R>(Method::GET, parent, None)
            .filters(q)?
            .within(q.range)
            .query_opt("overflow", q.range.map(|_| "true"))
            .list(R::MANY, window)
            .await
    }

    /// `GET` one v3 object under `parent`.
    pub async fn v3_get<R: Resource>(&self, parent: V3Parent<'_>, id: &R::Id) -> Result<R> {
        self.v3_call::<R>(Method::GET, parent, Some(id))
            .send_one(R::ONE)
            .await
    }

    /// A shift-based schedule; with a range, its computed final schedule over it (cut to the
    /// range).
    pub async fn get_schedule_v3(
        &self,
        id: &ScheduleId,
        range: Option<(Time, Time)>,
    ) -> Result<ScheduleV3> {
        self.v3_call::<ScheduleV3>(Method::GET, V3Parent::Schedules, Some(id))
            .query_list("include", range.map(|_| "final_schedule"))
            .within(range)
            .send_one(ScheduleV3::ONE)
            .await
    }

    /// Creates one object: sends `{ONE: body}`.
    pub async fn v3_create<R: Resource>(
        &self,
        parent: V3Parent<'_>,
        body: &impl Serialize,
    ) -> Result<R> {
        self.v3_call::<R>(Method::POST, parent, None)
            .send_object(to_value(body)?)
            .await
    }

    /// Creates several objects at once: sends `{COLLECTION: items}`.
    pub async fn v3_create_many<R: Resource>(
        &self,
        parent: V3Parent<'_>,
        items: &[impl Serialize],
    ) -> Result<Vec<R>> {
        let body = Map::from_iter([(R::COLLECTION.to_owned(), to_value(items)?)]);
        self.v3_call::<R>(Method::POST, parent, None)
            .json(&body)?
            .send_one(R::COLLECTION)
            .await
    }

    /// `PUT` one v3 object under `parent`.
    pub async fn v3_update<R: Resource>(
        &self,
        parent: V3Parent<'_>,
        id: &R::Id,
        body: &impl Serialize,
    ) -> Result<R> {
        self.v3_call::<R>(Method::PUT, parent, Some(id))
            .send_object(to_value(body)?)
            .await
    }

    /// `DELETE` one v3 object under `parent`.
    pub async fn v3_delete<R: Resource>(&self, parent: V3Parent<'_>, id: &R::Id) -> Result<()> {
        self.v3_call::<R>(Method::DELETE, parent, Some(id))
            .send_empty()
            .await
    }
}

fn to_value<T: Serialize + ?Sized>(body: &T) -> Result<Value> {
    serde_json::to_value(body).map_err(|source| Error::Encode {
        what: "a schedule".into(),
        source,
    })
}

// ---------- v3 request bodies ----------

/// Declares a one-value `type` tag: optional on input, always sent.
macro_rules! type_tag {
    ($($name:ident => $value:literal),* $(,)?) => {$(
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[allow(missing_docs)] // Its docs are schema text: see the crate docs.
        pub enum $name {
            #[default]
            #[serde(rename = $value)]
            Tag,
        }
    )*};
}

type_tag! {
    CustomShiftTag => "custom_shift",
    ShiftAssignmentTag => "shift_assignment",
    OverrideShiftTag => "override_shift",
    TeamReferenceTag => "team_reference",
}

/// A schedule's fields for create (name and time_zone required) or update (all optional; the
/// update takes no teams). Rotations are not among them: each has its own endpoint.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScheduleV3Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The schedule's name.
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Its IANA time zone.
    pub time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// What it is for.
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The teams it belongs to.
    pub teams: Option<Vec<TeamRef>>,
}

/// A team reference; a `summary`, `self` or `html_url` given beside `id` is ignored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct TeamRef {
    pub id: TeamId,
    #[serde(rename = "type", default)]
    pub kind: TeamReferenceTag,
}

/// A rotation with its events, as create_schedule takes it (each is created with its own call).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct NewRotation {
    pub events: Vec<EventData>,
}

/// A rotation event's fields.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct EventData {
    pub name: String,
    /// First occurrence's start.
    pub start_time: ZonedTime,
    /// First occurrence's end.
    pub end_time: ZonedTime,
    /// When occurrences begin (a past time means now).
    pub effective_since: Time,
    /// When they stop; absent: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<Time>,
    /// RFC 5545: one RRULE (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO), optional EXDATE/RDATE lines.
    pub recurrence: Vec<String>,
    pub assignment_strategy: AssignmentStrategy,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    #[serde(rename = "type", default)]
    pub kind: ShiftAssignmentTag,
    pub member: ShiftMember,
}

/// A custom shift's fields (create, or update: once started only end_time may change).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct CustomShiftData {
    #[serde(rename = "type", default)]
    pub kind: CustomShiftTag,
    pub start_time: Time,
    pub end_time: Time,
    /// Exactly one.
    pub assignments: Vec<NewAssignment>,
}

/// An override of a rotation's or a custom shift's time (give exactly one of the two ids).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(deny_unknown_fields)]
pub struct NewOverrideShift {
    #[serde(rename = "type", default)]
    pub kind: OverrideShiftTag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_id: Option<RotationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_shift_id: Option<CustomShiftId>,
    pub start_time: Time,
    pub end_time: Time,
    pub overridden_member: ShiftMember,
    pub overriding_member: ShiftMember,
}

/// The fields an override update sends.
#[derive(Clone, Debug, Serialize)]
pub struct OverrideShiftUpdate {
    /// The new start.
    pub start_time: Time,
    /// The new end.
    pub end_time: Time,
    /// Whose time is overridden.
    pub overridden_member: ShiftMember,
    /// Who is on call instead.
    pub overriding_member: ShiftMember,
}
