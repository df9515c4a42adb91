//! Shift-based schedules (`/v3/schedules`): the schedule, its rotations and their events,
//! custom shifts and overrides. Invalid input answers 400 with the v3 error body, whose
//! `errors` maps field paths to messages.

use axum::{
    Json,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Map, Value, json};

use super::{Ctx, JsonReply, PdJson, named_in_teams, position};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, parse_time};
use crate::render::Render;
use crate::schedule_v3::{
    Event, Rotation, ScheduleV3, new_sub_id, render_event, render_final_schedule, render_reference,
    render_rotation, render_schedule,
};
use crate::store::Account;

mod body;
mod shifts;

use body::*;
pub use shifts::*;

// ---------- lookups ----------

fn schedule<'a>(a: &'a Account, id: &str) -> ApiResult<&'a ScheduleV3> {
    match a.schedules_v3.iter().find(|s| s.id == id) {
        Some(s) => Ok(s),
        None => Err(not_v3(a, id)),
    }
}

fn schedule_mut<'a>(a: &'a mut Account, id: &str) -> ApiResult<&'a mut ScheduleV3> {
    let err = not_v3(a, id);
    a.schedules_v3.iter_mut().find(|s| s.id == id).ok_or(err)
}

/// A layer-based schedule asked for through the v3 API gets the 400 the real API gives.
fn not_v3(a: &Account, id: &str) -> ApiError {
    if a.schedule(id).is_some() {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            2001,
            "This is a layer-based schedule. Use the v2 Schedules API to access it.",
        )
    } else {
        ApiError::not_found()
    }
}

fn rotation<'a>(s: &'a ScheduleV3, id: &str) -> ApiResult<&'a Rotation> {
    Ok(&s.rotations[position(&s.rotations, id, |r| &r.id)?])
}

// ---------- envelopes ----------

/// How many items a v3 list gives at most, and without a `limit`.
struct Limits {
    max: usize,
    default: usize,
}

/// Schedules.
const SCHEDULES: Limits = Limits {
    max: 1000,
    default: 100,
};
/// A schedule's rotations, events, custom shifts and overrides.
const PARTS: Limits = Limits {
    max: 100,
    default: 25,
};

/// The v3 list envelope: `{key: [...], limit, offset, more}`.
fn page(p: &Params, key: &str, items: Vec<Value>, limits: Limits) -> JsonReply {
    let Limits { max, default } = limits;
    let num = |name: &str, default: usize| -> ApiResult<usize> {
        match p.get(name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().map_err(|_| {
                ApiError::v3_invalid(vec![(name.into(), "must be a non-negative integer".into())])
            }),
        }
    };
    let limit = num("limit", default)?;
    if limit == 0 || limit > max {
        return Err(ApiError::v3_invalid(vec![(
            "limit".into(),
            format!("must be between 1 and {max}"),
        )]));
    }
    let offset = num("offset", 0)?;
    let more = offset + limit < items.len();
    let items: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    Ok(Json(
        json!({key: items, "limit": limit, "offset": offset, "more": more}),
    ))
}

fn created(key: &str, v: Value) -> Response {
    (StatusCode::CREATED, Json(json!({ key: v }))).into_response()
}

fn deleted() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// `since`/`until`, both required, in order.
fn range(p: &Params) -> ApiResult<(Timestamp, Timestamp)> {
    let mut errs = Errs::default();
    let mut get = |name: &str| match p.get(name).filter(|v| !v.is_empty()) {
        None => {
            errs.add(name, "is required");
            None
        }
        Some(v) => match parse_time(name, v) {
            Ok(t) => Some(t),
            Err(_) => {
                errs.add(name, "must be an ISO 8601 date-time");
                None
            }
        },
    };
    let (since, until) = (get("since"), get("until"));
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        errs.add("until", "must be after since");
    }
    errs.finish()?;
    match (since, until) {
        (Some(s), Some(u)) => Ok((s, u)),
        _ => Err(ApiError::v3_invalid(vec![(
            "since".into(),
            "is required".into(),
        )])),
    }
}

// ---------- schedules ----------

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = Render::new(a);
        let v = named_in_teams(&a.schedules_v3, &p, |s| &s.name, |s| &s.team_ids);
        let items = v.into_iter().map(|s| render_reference(&r, s)).collect();
        page(&p, "schedules", items, SCHEDULES)
    })
}

/// `GET /v3/schedules/{id}`: with `include[]=final_schedule` and `since`/`until`, also the
/// computed assignments (cut to the window unless `overflow=true`) and the coverage, with
/// times in `time_zone` (default the schedule's).
pub async fn get(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let zone = p.time_zone()?;
        let s = schedule(a, &id)?;
        let include = p.enum_list("include[]", &["final_schedule"])?;
        let tz = match zone {
            Some(z) => z,
            None => TimeZone::get(&s.time_zone).unwrap_or(TimeZone::UTC),
        };
        let r = Render::new(a).tz(Some(tz));
        let mut v = render_schedule(&r, s);
        // Without a range there is nothing to compute, and the real API leaves it out.
        let ranged = p.get("since").is_some() || p.get("until").is_some();
        if !include.is_empty() && ranged {
            let (since, until) = range(&p)?;
            let overflow = p.bool("overflow")?;
            v["final_schedule"] = render_final_schedule(&r, s, since, until, overflow);
        }
        Ok(Json(json!({ "schedule": v })))
    })
}

/// name, time_zone, description and teams of a create or update body.
fn schedule_fields(a: &Account, o: &Map<String, Value>, s: &mut ScheduleV3, errs: &mut Errs) {
    match opt(o, "name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.len() <= 255 => s.name = n.clone(),
        Some(_) => errs.add(
            "schedule.name",
            "must be a non-empty string of at most 255 characters",
        ),
        None if s.name.is_empty() => errs.add("schedule.name", "is required"),
        None => {}
    }
    match opt(o, "time_zone") {
        Some(v) => {
            if let Some(z) = zone(v, "schedule.time_zone", errs) {
                s.time_zone = z;
            }
        }
        None if s.time_zone.is_empty() => errs.add("schedule.time_zone", "is required"),
        None => {}
    }
    match opt(o, "description") {
        Some(Value::String(d)) if d.len() <= 1024 => s.description = Some(d.clone()),
        Some(_) => errs.add(
            "schedule.description",
            "must be a string of at most 1024 characters",
        ),
        None => {}
    }
    if let Some(teams) = opt(o, "teams") {
        let ids: Option<Vec<&str>> = teams.as_array().and_then(|t| {
            t.iter()
                .map(|t| t.get("id").and_then(Value::as_str))
                .collect()
        });
        match ids {
            None => errs.add("schedule.teams", "must be a list of team references"),
            Some(ids) => {
                for (i, t) in ids.iter().enumerate() {
                    if a.team(t).is_none() {
                        errs.add(
                            format!("schedule.teams[{i}].id"),
                            format!("Team {t} not found"),
                        );
                    }
                }
                s.team_ids = ids.into_iter().map(String::from).collect();
            }
        }
    }
}

pub async fn create(ctx: Ctx, PdJson(body): PdJson) -> ApiResult<Response> {
    ctx.write(|a| {
        let mut errs = Errs::default();
        let Some(o) = object(&body, "schedule", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let mut s = ScheduleV3 {
            id: a.new_id(),
            name: String::new(),
            description: None,
            time_zone: String::new(),
            team_ids: Vec::new(),
            rotations: Vec::new(),
            custom_shifts: Vec::new(),
            overrides: Vec::new(),
        };
        schedule_fields(a, o, &mut s, &mut errs);
        // `rotations` is not part of the create body: PagerDuty ignores it, and so does this.
        errs.finish()?;
        let v = render_schedule(&Render::new(a), &s);
        a.schedules_v3.push(s);
        Ok(created("schedule", v))
    })
}

pub async fn update(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    ctx.write(|a| {
        let mut errs = Errs::default();
        let mut s = schedule(a, &id)?.clone();
        let Some(o) = object(&body, "schedule", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        // The update body declares no teams: PagerDuty ignores them, and so does this.
        let mut o = o.clone();
        o.remove("teams");
        schedule_fields(a, &o, &mut s, &mut errs);
        errs.finish()?;
        let v = render_schedule(&Render::new(a), &s);
        *schedule_mut(a, &id)? = s;
        Ok(Json(json!({ "schedule": v })))
    })
}

pub async fn delete(ctx: Ctx, Path(id): Path<String>) -> ApiResult<Response> {
    ctx.write(|a| {
        schedule(a, &id)?;
        a.schedules_v3.retain(|s| s.id != id);
        Ok(deleted())
    })
}

// ---------- rotations ----------

pub async fn list_rotations(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let s = schedule(a, &id)?;
        let r = Render::new(a);
        let items = s.rotations.iter().map(|x| render_rotation(&r, &s.id, x));
        page(&p, "rotations", items.collect(), PARTS)
    })
}

pub async fn create_rotation(ctx: Ctx, Path(id): Path<String>) -> ApiResult<Response> {
    ctx.write(|a| {
        schedule(a, &id)?;
        let rot = Rotation {
            id: new_sub_id(a),
            events: Vec::new(),
        };
        let v = render_rotation(&Render::new(a), &id, &rot);
        schedule_mut(a, &id)?.rotations.push(rot);
        Ok(created("rotation", v))
    })
}

pub async fn get_rotation(
    ctx: Ctx,
    Path((id, rid)): Path<(String, String)>,
    p: Params,
) -> JsonReply {
    ctx.read(|a| {
        p.timestamp("since")?;
        p.timestamp("until")?;
        let s = schedule(a, &id)?;
        Ok(Json(
            json!({"rotation": render_rotation(&Render::new(a), &id, rotation(s, &rid)?)}),
        ))
    })
}

pub async fn delete_rotation(
    ctx: Ctx,
    Path((id, rid)): Path<(String, String)>,
) -> ApiResult<Response> {
    ctx.write(|a| {
        let s = schedule_mut(a, &id)?;
        let i = position(&s.rotations, &rid, |r| &r.id)?;
        s.rotations.remove(i);
        // Overrides of its shifts go with it.
        s.overrides
            .retain(|o| o.rotation_id.as_deref() != Some(rid.as_str()));
        Ok(deleted())
    })
}

// ---------- events ----------

/// Effective dates in the past are clamped to now, as the API documents.
fn clamp(mut e: Event, now: Timestamp) -> Event {
    if e.effective_since < now {
        e.effective_since = now;
    }
    e
}

pub async fn list_events(
    ctx: Ctx,
    Path((id, rid)): Path<(String, String)>,
    p: Params,
) -> JsonReply {
    ctx.read(|a| {
        let s = schedule(a, &id)?;
        let rot = rotation(s, &rid)?;
        let r = Render::new(a);
        let items = rot.events.iter().map(|e| render_event(&r, &id, &rid, e));
        page(&p, "events", items.collect(), PARTS)
    })
}

pub async fn get_event(
    ctx: Ctx,
    Path((id, rid, eid)): Path<(String, String, String)>,
    p: Params,
) -> JsonReply {
    ctx.read(|a| {
        p.timestamp("since")?;
        p.timestamp("until")?;
        let rot = rotation(schedule(a, &id)?, &rid)?;
        let e = &rot.events[position(&rot.events, &eid, |e| &e.id)?];
        Ok(Json(
            json!({"event": render_event(&Render::new(a), &id, &rid, e)}),
        ))
    })
}

pub async fn create_event(
    ctx: Ctx,
    Path((id, rid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    let now = ctx.st.current();
    ctx.write(|a| {
        rotation(schedule(a, &id)?, &rid)?;
        let mut errs = Errs::default();
        let Some(o) = object(&body, "event", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let eid = new_sub_id(a);
        let e = event(a, o, "event", None, eid, &mut errs);
        errs.finish()?;
        let Some(e) = e else {
            return Err(ApiError::v3_invalid(vec![(
                "event".into(),
                "is invalid".into(),
            )]));
        };
        let e = clamp(e, now);
        let v = render_event(&Render::new(a), &id, &rid, &e);
        let s = schedule_mut(a, &id)?;
        let ri = position(&s.rotations, &rid, |r| &r.id)?;
        s.rotations[ri].events.push(e);
        Ok(created("event", v))
    })
}

pub async fn update_event(
    ctx: Ctx,
    Path((id, rid, eid)): Path<(String, String, String)>,
    PdJson(body): PdJson,
) -> JsonReply {
    let now = ctx.st.current();
    ctx.write(|a| {
        let rot = rotation(schedule(a, &id)?, &rid)?;
        let old = rot.events[position(&rot.events, &eid, |e| &e.id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, "event", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let new = event(a, o, "event", Some(&old), eid.clone(), &mut errs);
        errs.finish()?;
        let Some(new) = new else {
            return Err(ApiError::v3_invalid(vec![(
                "event".into(),
                "is invalid".into(),
            )]));
        };
        // Past events are frozen; started ones may only change when they stop.
        if old.effective_until.is_some_and(|u| u <= now) {
            return Err(ApiError::v3_invalid(vec![(
                "event".into(),
                "has ended and can no longer be changed".into(),
            )]));
        }
        if old.effective_since <= now {
            let mut errs = Errs::default();
            let changed = [
                ("name", new.name != old.name),
                ("start_time", new.start_time != old.start_time),
                ("end_time", new.end_time != old.end_time),
                (
                    "effective_since",
                    new.effective_since != old.effective_since,
                ),
                ("recurrence", new.recurrence != old.recurrence),
                ("assignment_strategy", new.strategy != old.strategy),
            ];
            for (field, _) in changed.iter().filter(|(_, c)| *c) {
                errs.add(
                    format!("event.{field}"),
                    "cannot be changed once the event is active; only effective_until can",
                );
            }
            errs.finish()?;
        }
        let v = render_event(&Render::new(a), &id, &rid, &new);
        let s = schedule_mut(a, &id)?;
        let ri = position(&s.rotations, &rid, |r| &r.id)?;
        let ei = position(&s.rotations[ri].events, &eid, |e| &e.id)?;
        s.rotations[ri].events[ei] = new;
        Ok(Json(json!({ "event": v })))
    })
}

pub async fn delete_event(
    ctx: Ctx,
    Path((id, rid, eid)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    ctx.write(|a| {
        let s = schedule_mut(a, &id)?;
        let ri = position(&s.rotations, &rid, |r| &r.id)?;
        let ei = position(&s.rotations[ri].events, &eid, |e| &e.id)?;
        s.rotations[ri].events.remove(ei);
        Ok(deleted())
    })
}
