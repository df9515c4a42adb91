//! Schedules: one front for layer-based (v2) and shift-based (v3) schedules, plus their users,
//! creation and overrides. The v3 sub-resources are in `schedules_v3`.

use futures::StreamExt;
use pagerduty::api::schedules::{
    NewRotation, NewScheduleOverride, ScheduleQuery, ScheduleV3Body, TeamRef, V3Parent, V3Query,
};
use pagerduty::ids::{ScheduleId, TeamId, UserId};
use pagerduty::models::{
    Rotation, RotationEvent, Schedule, ScheduleLayer, ScheduleOverrideResult, ScheduleV3,
    ScheduleV3Ref, Time, User,
};
use pagerduty::{Page, Window};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::final_schedule::{self, other_kind};
use super::shift_checks::{check_event, check_zone, ordered};
use super::when;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::ScheduleKind;
use crate::output::{Listing, bounded};
use crate::registry::{Domain, ToolDef, Tools};

const SCHEDULES: Tools = Tools(Domain::Schedules);

pub fn tools() -> Vec<ToolDef> {
    vec![
        SCHEDULES.read(
            "list_schedules",
            "Find on-call schedules of both kinds (layer_based v2 and shift_based v3) by name, \
             team or user. `sources` says if either API failed (then `degraded`).",
            list_schedules,
        ),
        SCHEDULES.read(
            "get_schedule",
            "One schedule of either kind: layers (layer_based) or rotations with their events \
             (shift_based); with since/until also who is on call when (the final schedule).",
            get_schedule,
        ),
        SCHEDULES.read(
            "list_schedule_users",
            "The users on call on a schedule of either kind in a range (default: the next two \
             weeks).",
            list_schedule_users,
        ),
        SCHEDULES.create(
            "create_schedule",
            "Create a shift-based (v3) schedule, optionally with teams and rotations with their \
             events.",
            create_schedule,
        ),
        SCHEDULES.update(
            "update_schedule",
            "Rename a shift-based schedule or change its description, time zone or teams; fields \
             not given stay as they are.",
            update_schedule,
        ),
        SCHEDULES.create(
            "create_schedule_override",
            "Put users on call on a layer-based schedule for given spans (covering a shift). Each \
             override is reported created or rejected with why.",
            create_schedule_override,
        ),
    ]
}

// ---------- list_schedules ----------

/// What `include` may expand on layer-based schedules.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ScheduleInclude {
    ScheduleLayers,
}

#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScheduleQueryModel {
    /// Name contains this text.
    query: Option<String>,
    team_ids: Option<Vec<TeamId>>,
    /// Only schedules these users are on.
    user_ids: Option<Vec<UserId>>,
    /// schedule_layers: add layer details to layer-based schedules.
    include: Option<Vec<ScheduleInclude>>,
    /// Max results, 1-100; default 20.
    limit: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListSchedulesArgs {
    #[serde(default)]
    query_model: ScheduleQueryModel,
    /// Fetch each shift-based schedule for its time zone and description (default true).
    enrich: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
struct ScheduleSummary {
    id: ScheduleId,
    name: String,
    kind: ScheduleKind,
    /// The schedule's page in PagerDuty (layer-based schedules; v3 answers give none).
    #[serde(skip_serializing_if = "Option::is_none")]
    html_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    teams: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    schedule_layers: Vec<ScheduleLayer>,
}

#[derive(Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Api {
    V2,
    V3,
}

#[derive(Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum SourceState {
    Ok,
    Error,
}

/// How one API answered.
#[derive(Serialize, JsonSchema)]
struct Source {
    api: Api,
    status: SourceState,
    count: usize,
    more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct ScheduleList {
    items: Vec<ScheduleSummary>,
    /// More schedules match than returned: narrow the query or raise limit.
    more: bool,
    sources: Vec<Source>,
    /// True when a source failed and the list may be incomplete.
    degraded: bool,
}

/// Whether any of `users` is one of `wanted` (no filter when `wanted` is empty).
fn on<'a>(wanted: &[UserId], mut users: impl Iterator<Item = &'a str>) -> bool {
    wanted.is_empty() || users.any(|u| wanted.iter().any(|w| w.as_str() == u))
}

/// At most this many shift-based schedules are fetched one by one (enrich, user filter).
const ENRICH_CAP: usize = 50;

fn source<T>(api: Api, r: &Result<(Vec<T>, bool), pagerduty::Error>) -> Source {
    match r {
        Ok((items, more)) => Source {
            api,
            status: SourceState::Ok,
            count: items.len(),
            more: *more,
            message: None,
        },
        Err(e) => Source {
            api,
            status: SourceState::Error,
            count: 0,
            more: false,
            message: Some(crate::error::explain(e)),
        },
    }
}

async fn list_schedules(ctx: Ctx, a: ListSchedulesArgs) -> Result<ScheduleList, ToolError> {
    let q = a.query_model;
    let limit = bounded("query_model.limit", q.limit, 20, 100)?;
    let user_ids = q.user_ids.unwrap_or_default();
    let team_ids = q.team_ids.unwrap_or_default();
    // With a user filter (applied here: neither API filters schedules by user) fetch wider.
    let fetch = if user_ids.is_empty() { limit } else { 1000 };
    let layers = q.include.is_some_and(|i| !i.is_empty());
    let v2_query = ScheduleQuery {
        query: q.query.clone(),
        team_ids: team_ids.clone(),
        include: if layers {
            vec!["schedule_layers".to_owned()]
        } else {
            Vec::new()
        },
    };
    let v3_query = V3Query {
        query: q.query,
        team_ids,
        range: None,
    };
    let window = Window {
        offset: 0,
        limit: fetch,
    };
    let (v2, v3) = futures::join!(
        ctx.pd.list(&v2_query, window),
        ctx.pd
            .v3_list::<ScheduleV3Ref>(V3Parent::Schedules, &v3_query, window)
    );
    let v2 = v2.map(|p: Page<Schedule>| {
        let items: Vec<ScheduleSummary> = p
            .items
            .into_iter()
            .filter(|s| on(&user_ids, s.users.iter().map(|u| u.id.as_str())))
            .map(|s| ScheduleSummary {
                id: s.id,
                name: s.name,
                kind: ScheduleKind::LayerBased,
                html_url: s.html_url,
                time_zone: s.time_zone,
                description: s.description,
                teams: s.teams.into_iter().filter_map(|t| t.summary).collect(),
                schedule_layers: if layers {
                    s.schedule_layers
                } else {
                    Vec::new()
                },
            })
            .collect();
        (items, p.more)
    });
    let enrich = a.enrich.unwrap_or(true) || !user_ids.is_empty();
    let v3 = match v3 {
        Ok(p) => {
            let more = p.more;
            let mut details: Vec<(ScheduleV3Ref, Option<ScheduleV3>)> = Vec::new();
            let mut stream =
                futures::stream::iter(p.items.into_iter().enumerate().map(|(i, r)| {
                    let pd = ctx.pd.clone();
                    async move {
                        let full = if enrich && i < ENRICH_CAP {
                            pd.v3_get::<ScheduleV3>(V3Parent::Schedules, &r.id)
                                .await
                                .ok()
                        } else {
                            None
                        };
                        (r, full)
                    }
                }))
                .buffered(5);
            while let Some(d) = stream.next().await {
                details.push(d);
            }
            let items: Vec<ScheduleSummary> = details
                .into_iter()
                .filter(|(_, full)| {
                    user_ids.is_empty()
                        || full.as_ref().is_some_and(|s| {
                            on(
                                &user_ids,
                                s.rotations
                                    .iter()
                                    .flat_map(|r| &r.events)
                                    .flat_map(|e| &e.assignment_strategy.members)
                                    .filter_map(|m| m.user_id.as_ref().map(UserId::as_str)),
                            )
                        })
                })
                .map(|(r, full)| match full {
                    Some(s) => ScheduleSummary {
                        id: s.id,
                        name: s.name,
                        kind: ScheduleKind::ShiftBased,
                        html_url: None,
                        time_zone: Some(s.time_zone),
                        description: s.description,
                        teams: s.teams.into_iter().filter_map(|t| t.summary).collect(),
                        schedule_layers: Vec::new(),
                    },
                    None => ScheduleSummary {
                        name: r.summary.unwrap_or_else(|| r.id.to_string()),
                        id: r.id,
                        kind: ScheduleKind::ShiftBased,
                        html_url: None,
                        time_zone: None,
                        description: None,
                        teams: Vec::new(),
                        schedule_layers: Vec::new(),
                    },
                })
                .collect();
            Ok((items, more))
        }
        Err(e) => Err(e),
    };
    let sources = vec![source(Api::V2, &v2), source(Api::V3, &v3)];
    let (mut items, mut more) = match (v2, v3) {
        (Err(e), Err(_)) => return Err(e.into()),
        (v2, v3) => {
            let (a, am) = v2.unwrap_or_default();
            let (b, bm) = v3.unwrap_or_default();
            (a.into_iter().chain(b).collect::<Vec<_>>(), am || bm)
        }
    };
    items.sort_by_key(|x| x.name.to_lowercase());
    if items.len() > limit as usize {
        items.truncate(limit as usize);
        more = true;
    }
    let degraded = sources.iter().any(|s| s.status == SourceState::Error);
    Ok(ScheduleList {
        items,
        more,
        sources,
        degraded,
    })
}

// ---------- get_schedule ----------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetScheduleArgs {
    schedule_id: ScheduleId,
    /// Which API to ask first (default layer_based; the other is tried if it says so).
    kind: Option<ScheduleKind>,
    /// With `since`/`until`: also who is on call when (the final schedule). RFC 3339; default now.
    since: Option<Time>,
    /// End of that range, RFC 3339; default 14 days after since.
    until: Option<Time>,
    /// IANA zone for the on-call times; default the current user's zone.
    time_zone: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
enum AnySchedule {
    LayerBased(Box<Schedule>),
    ShiftBased(Box<ScheduleV3>),
}

#[derive(Serialize, JsonSchema)]
struct ScheduleDetail {
    kind: ScheduleKind,
    #[serde(flatten)]
    schedule: AnySchedule,
    /// With a range: who is on call when, in `on_call_time_zone`, earliest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_call: Option<Vec<OnCallSpan>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_call_time_zone: Option<String>,
}

/// One person on call over a span of the final schedule.
#[derive(Serialize, JsonSchema)]
struct OnCallSpan {
    user: pagerduty::models::Reference,
    start: String,
    end: String,
}

/// `since`/`until` as a checked whole-second range; either may be left out (now, 14 days on).
fn range(
    ctx: &Ctx,
    since: Option<Time>,
    until: Option<Time>,
) -> Result<(jiff::Timestamp, jiff::Timestamp), ToolError> {
    let since = since.map_or_else(|| when::now(ctx), |t| when::whole_seconds(t.0));
    let until = until.map_or(since + jiff::SignedDuration::from_hours(24 * 14), |t| {
        when::whole_seconds(t.0)
    });
    ordered(Time(since), Time(until), "until", "since")?;
    Ok((since, until))
}

async fn get_schedule(ctx: Ctx, a: GetScheduleArgs) -> Result<ScheduleDetail, ToolError> {
    if a.since.is_some() || a.until.is_some() {
        let (since, until) = range(&ctx, a.since, a.until)?;
        let zone = when::zone(&ctx, a.time_zone.as_deref()).await?;
        let r = final_schedule::render(&ctx, &a.schedule_id, since, until).await?;
        let on_call = r
            .spans
            .iter()
            .map(|s| OnCallSpan {
                user: s.user.clone(),
                start: zone.show(s.start),
                end: zone.show(s.end),
            })
            .collect();
        return Ok(ScheduleDetail {
            kind: r.kind,
            schedule: match r.detail {
                final_schedule::Detail::LayerBased(s) => AnySchedule::LayerBased(s),
                final_schedule::Detail::ShiftBased(s) => AnySchedule::ShiftBased(s),
            },
            on_call: Some(on_call),
            on_call_time_zone: Some(zone.name),
        });
    }
    let detail = |kind, schedule| ScheduleDetail {
        kind,
        schedule,
        on_call: None,
        on_call_time_zone: None,
    };
    let v2 = || async {
        ctx.pd.get_schedule(&a.schedule_id, None).await.map(|s| {
            detail(
                ScheduleKind::LayerBased,
                AnySchedule::LayerBased(Box::new(s)),
            )
        })
    };
    let v3 = || async {
        ctx.pd
            .v3_get::<ScheduleV3>(V3Parent::Schedules, &a.schedule_id)
            .await
            .map(|s| {
                detail(
                    ScheduleKind::ShiftBased,
                    AnySchedule::ShiftBased(Box::new(s)),
                )
            })
    };
    let found = match a.kind.unwrap_or(ScheduleKind::LayerBased) {
        ScheduleKind::LayerBased => match v2().await {
            Err(e) if other_kind(&e, "v3") => v3().await,
            r => r,
        },
        ScheduleKind::ShiftBased => match v3().await {
            Err(e) if other_kind(&e, "v2") => v2().await,
            r => r,
        },
    };
    Ok(found?)
}

// ---------- list_schedule_users ----------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScheduleUsersArgs {
    schedule_id: ScheduleId,
    /// Start of the range, RFC 3339; default now.
    since: Option<Time>,
    /// End of the range, RFC 3339; default two weeks after since.
    until: Option<Time>,
}

async fn list_schedule_users(ctx: Ctx, a: ScheduleUsersArgs) -> Result<Listing<User>, ToolError> {
    if let (Some(s), Some(u)) = (a.since, a.until) {
        ordered(s, u, "until", "since")?;
    }
    match ctx
        .pd
        .list_schedule_users(&a.schedule_id, a.since, a.until)
        .await
    {
        Ok(users) => Ok(Listing::all(users)),
        // A shift-based schedule: the people on its final schedule over the range.
        Err(e) if other_kind(&e, "v3") => {
            let (since, until) = range(&ctx, a.since, a.until)?;
            let r = final_schedule::render(&ctx, &a.schedule_id, since, until).await?;
            let mut ids: Vec<String> = r.spans.into_iter().map(|s| s.user.id).collect();
            ids.sort();
            ids.dedup();
            let mut users = Vec::new();
            for id in ids {
                users.push(ctx.pd.get(&UserId::new(id)?).await?);
            }
            Ok(Listing::all(users))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- create_schedule / update_schedule ----------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewScheduleData {
    name: String,
    description: Option<String>,
    /// IANA zone, e.g. Europe/London.
    time_zone: String,
    teams: Option<Vec<TeamRef>>,
    /// Rotations, each with its events.
    rotations: Option<Vec<NewRotation>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateScheduleArgs {
    schedule_data: NewScheduleData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScheduleChanges {
    name: Option<String>,
    description: Option<String>,
    /// IANA zone, e.g. Europe/London.
    time_zone: Option<String>,
    /// Not changed here: PagerDuty sets a schedule's teams only when it is created.
    teams: Option<Vec<serde_json::Value>>,
    /// Not changed here: use the rotation tools.
    rotations: Option<Vec<serde_json::Value>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateScheduleArgs {
    schedule_id: ScheduleId,
    schedule_data: ScheduleChanges,
}

fn check_name(name: &str, field: &str) -> Result<(), ToolError> {
    if name.trim().is_empty() || name.len() > 255 {
        return Err(ToolError::invalid(field, "must be 1-255 characters"));
    }
    Ok(())
}

/// `POST /v3/schedules` takes the schedule's own fields only; each rotation and each of its
/// events has its own endpoint. They are created in order, and the answer is the schedule with
/// every rotation and event as created. If a step fails, the error says what already exists.
async fn create_schedule(ctx: Ctx, a: CreateScheduleArgs) -> Result<ScheduleV3, ToolError> {
    let mut d = a.schedule_data;
    check_name(&d.name, "schedule_data.name")?;
    check_zone(&d.time_zone, "schedule_data.time_zone")?;
    for (i, r) in d.rotations.iter_mut().flatten().enumerate() {
        for (j, e) in r.events.iter_mut().enumerate() {
            check_event(e, &format!("schedule_data.rotations[{i}].events[{j}]"))?;
        }
    }
    let body = ScheduleV3Body {
        name: Some(d.name),
        time_zone: Some(d.time_zone),
        description: d.description,
        teams: d.teams,
    };
    let mut schedule: ScheduleV3 = ctx.pd.v3_create(V3Parent::Schedules, &body).await?;
    for (i, r) in d.rotations.unwrap_or_default().into_iter().enumerate() {
        let step = |what: String, e: pagerduty::Error, s: &ScheduleV3| {
            let made: Vec<String> = s
                .rotations
                .iter()
                .map(|r| format!("rotation {} ({} events)", r.id, r.events.len()))
                .collect();
            ToolError::Refused(format!(
                "Schedule {} ({}) was created{}; then creating {what} failed: {}. Add the rest \
                 with create_schedule_v3_rotation and create_schedule_v3_rotation_event, or \
                 remove the schedule with delete_schedule_v3.",
                s.id,
                s.name,
                if made.is_empty() {
                    String::new()
                } else {
                    format!(" with {}", made.join(", "))
                },
                crate::error::explain(&e)
            ))
        };
        let parent = V3Parent::Schedule(&schedule.id);
        let mut rotation: Rotation = match ctx.pd.v3_create(parent, &serde_json::Map::new()).await {
            Ok(r) => r,
            Err(e) => return Err(step(format!("rotation {}", i + 1), e, &schedule)),
        };
        rotation.events.clear();
        schedule.rotations.push(rotation);
        for (j, event) in r.events.iter().enumerate() {
            let Some(rot) = schedule.rotations.last() else {
                break;
            };
            let parent = V3Parent::Rotation(&schedule.id, &rot.id);
            match ctx.pd.v3_create::<RotationEvent>(parent, event).await {
                Ok(created) => {
                    if let Some(rot) = schedule.rotations.last_mut() {
                        rot.events.push(created);
                    }
                }
                Err(e) => {
                    return Err(step(
                        format!("event {} of rotation {}", j + 1, i + 1),
                        e,
                        &schedule,
                    ));
                }
            }
        }
    }
    Ok(schedule)
}

async fn update_schedule(ctx: Ctx, a: UpdateScheduleArgs) -> Result<ScheduleV3, ToolError> {
    let d = a.schedule_data;
    if d.rotations.is_some() {
        return Err(ToolError::invalid(
            "schedule_data.rotations",
            "rotations are not changed here: use create_schedule_v3_rotation, \
             create_schedule_v3_rotation_event or delete_schedule_v3_rotation",
        ));
    }
    if d.teams.is_some() {
        // `PUT /v3/schedules/{id}` does not declare teams: PagerDuty would drop them silently.
        return Err(ToolError::invalid(
            "schedule_data.teams",
            "a schedule's teams are set when it is created (create_schedule); PagerDuty's update \
             does not take them",
        ));
    }
    if d.name.is_none() && d.description.is_none() && d.time_zone.is_none() {
        return Err(ToolError::invalid(
            "schedule_data",
            "give at least one of name, description, time_zone",
        ));
    }
    if let Some(n) = &d.name {
        check_name(n, "schedule_data.name")?;
    }
    if let Some(tz) = &d.time_zone {
        check_zone(tz, "schedule_data.time_zone")?;
    }
    // PagerDuty expects name and time_zone on every update: keep the current ones.
    let (name, time_zone) = match (d.name, d.time_zone) {
        (Some(n), Some(tz)) => (n, tz),
        (n, tz) => {
            let cur = ctx
                .pd
                .v3_get::<ScheduleV3>(V3Parent::Schedules, &a.schedule_id)
                .await?;
            (n.unwrap_or(cur.name), tz.unwrap_or(cur.time_zone))
        }
    };
    let body = ScheduleV3Body {
        name: Some(name),
        time_zone: Some(time_zone),
        description: d.description,
        teams: None,
    };
    Ok(ctx
        .pd
        .v3_update(V3Parent::Schedules, &a.schedule_id, &body)
        .await?)
}

// ---------- create_schedule_override ----------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OverrideSpan {
    /// RFC 3339.
    start: Time,
    /// RFC 3339.
    end: Time,
    /// Who is on call instead.
    user_id: UserId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OverrideRequest {
    overrides: Vec<OverrideSpan>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateOverrideArgs {
    schedule_id: ScheduleId,
    override_request: OverrideRequest,
}

#[derive(Serialize, JsonSchema)]
struct OverridesCreated {
    created: usize,
    rejected: usize,
    /// Per requested override, in order: status 201 with the override, or errors.
    overrides: Vec<ScheduleOverrideResult>,
}

async fn create_schedule_override(
    ctx: Ctx,
    a: CreateOverrideArgs,
) -> Result<OverridesCreated, ToolError> {
    let spans = a.override_request.overrides;
    if spans.is_empty() {
        return Err(ToolError::invalid(
            "override_request.overrides",
            "give at least one {start, end, user_id}",
        ));
    }
    for (i, o) in spans.iter().enumerate() {
        ordered(
            o.start,
            o.end,
            &format!("override_request.overrides[{i}].end"),
            "start",
        )?;
    }
    let new: Vec<NewScheduleOverride> = spans
        .into_iter()
        .map(|o| NewScheduleOverride {
            start: o.start,
            end: o.end,
            user_id: o.user_id,
        })
        .collect();
    let overrides = ctx
        .pd
        .create_schedule_overrides(&a.schedule_id, &new)
        .await?;
    let created = overrides
        .iter()
        .filter(|o| o.status.is_none_or(|s| (200..300).contains(&s)))
        .count();
    Ok(OverridesCreated {
        created,
        rejected: overrides.len() - created,
        overrides,
    })
}
