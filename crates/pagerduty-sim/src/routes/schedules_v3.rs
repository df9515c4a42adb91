//! Shift-based schedules (`/v3/schedules`): the schedule, its rotations and their events,
//! custom shifts and overrides. Invalid input answers 400 with the v3 error body, whose
//! `errors` maps field paths to messages.

use axum::{
    Extension, Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Map, Value, json};

use super::{PdJson, Who, position, read, write};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query, parse_time};
use crate::render::Render;
use crate::schedule_v3::{
    CustomShift, Event, Member, OverrideShift, Rotation, ScheduleV3, Strategy, Zoned,
    check_recurrence, new_sub_id, render_custom_shift, render_event, render_final_schedule,
    render_override, render_reference, render_rotation, render_schedule,
};
use crate::store::Account;

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

/// The v3 list envelope: `{key: [...], limit, offset, more}`.
fn page(
    p: &Params,
    key: &str,
    items: Vec<Value>,
    max: usize,
    default: usize,
) -> ApiResult<Json<Value>> {
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

// ---------- body parsing ----------

/// Collected field errors for one request.
#[derive(Default)]
struct Errs(Vec<(String, String)>);

impl Errs {
    fn add(&mut self, field: impl Into<String>, msg: impl Into<String>) {
        self.0.push((field.into(), msg.into()));
    }
    fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::v3_invalid(self.0))
        }
    }
}

fn object<'a>(body: &'a Value, key: &str, errs: &mut Errs) -> Option<&'a Map<String, Value>> {
    let o = body.get(key).and_then(Value::as_object);
    if o.is_none() {
        errs.add(key, "is required and must be an object");
    }
    o
}

fn opt<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !v.is_null())
}

fn time(v: &Value, path: &str, errs: &mut Errs) -> Option<Timestamp> {
    match v.as_str().map(str::parse::<Timestamp>) {
        Some(Ok(t)) => Some(t),
        _ => {
            errs.add(path, "must be an ISO 8601 date-time with an offset");
            None
        }
    }
}

fn zone(v: &Value, path: &str, errs: &mut Errs) -> Option<String> {
    match v.as_str() {
        Some(z) if TimeZone::get(z).is_ok() => Some(z.to_owned()),
        _ => {
            errs.add(path, "must be an IANA time zone");
            None
        }
    }
}

fn zoned(v: &Value, path: &str, errs: &mut Errs) -> Option<Zoned> {
    let at = v
        .get("date_time")
        .and_then(|d| time(d, &format!("{path}.date_time"), errs));
    let tz = zone(
        v.get("time_zone").unwrap_or(&Value::Null),
        &format!("{path}.time_zone"),
        errs,
    );
    if v.get("date_time").is_none() {
        errs.add(format!("{path}.date_time"), "is required");
    }
    Some(Zoned {
        at: at?,
        time_zone: tz?,
    })
}

fn member(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Member> {
    let uid = v.get("user_id").and_then(Value::as_str);
    match (v.get("type").and_then(Value::as_str), uid) {
        (Some("user_member"), Some(u)) if a.user(u).is_some() => Some(Member::User(u.into())),
        (Some("user_member"), Some(u)) => {
            errs.add(format!("{path}.user_id"), format!("User {u} not found"));
            None
        }
        (Some("user_member"), None) => {
            errs.add(format!("{path}.user_id"), "is required for a user_member");
            None
        }
        (Some("empty_member"), None) => Some(Member::Empty),
        (Some("empty_member"), Some(_)) => {
            errs.add(
                format!("{path}.user_id"),
                "must be absent for an empty_member",
            );
            None
        }
        _ => {
            errs.add(
                format!("{path}.type"),
                "must be user_member or empty_member",
            );
            None
        }
    }
}

fn strategy(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Strategy> {
    let kind = v.get("type").and_then(Value::as_str);
    let kind = match kind {
        Some(k @ ("rotating_member_assignment_strategy" | "every_member_assignment_strategy")) => k,
        _ => {
            errs.add(
                format!("{path}.type"),
                "must be rotating_member_assignment_strategy or every_member_assignment_strategy",
            );
            return None;
        }
    };
    let members = v.get("members").and_then(Value::as_array);
    let members = match members {
        Some(m) if (1..=20).contains(&m.len()) => m,
        _ => {
            errs.add(format!("{path}.members"), "must list 1 to 20 members");
            return None;
        }
    };
    let parsed: Vec<Option<Member>> = members
        .iter()
        .enumerate()
        .map(|(i, m)| member(a, m, &format!("{path}.members[{i}]"), errs))
        .collect();
    let shifts = v.get("shifts_per_member").and_then(Value::as_i64);
    if kind == "rotating_member_assignment_strategy" && shifts.is_none_or(|n| n < 1) {
        errs.add(
            format!("{path}.shifts_per_member"),
            "is required for a rotating strategy and must be at least 1",
        );
        return None;
    }
    Some(Strategy {
        kind: kind.into(),
        shifts_per_member: shifts,
        members: parsed.into_iter().collect::<Option<Vec<_>>>()?,
    })
}

fn recurrence(v: &Value, path: &str, errs: &mut Errs) -> Option<Vec<String>> {
    let lines: Option<Vec<String>> = v
        .as_array()
        .and_then(|a| a.iter().map(|l| l.as_str().map(String::from)).collect());
    let Some(lines) = lines else {
        errs.add(path, "must be an array of RFC 5545 lines");
        return None;
    };
    match check_recurrence(&lines) {
        Ok(()) => Some(lines),
        Err(e) => {
            errs.add(path, e);
            None
        }
    }
}

fn required<T>(errs: &mut Errs, path: String) -> Option<T> {
    errs.add(path, "is required");
    None
}

/// An event from `o`; fields absent from `o` come from `base` (update), else are required.
fn event(
    a: &Account,
    o: &Map<String, Value>,
    path: &str,
    base: Option<&Event>,
    id: String,
    errs: &mut Errs,
) -> Option<Event> {
    let f = |k: &str| format!("{path}.{k}");
    let name = match opt(o, "name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.len() <= 255 => Some(n.clone()),
        Some(_) => {
            errs.add(
                f("name"),
                "must be a non-empty string of at most 255 characters",
            );
            None
        }
        None => base
            .map(|b| b.name.clone())
            .or_else(|| required(errs, f("name"))),
    };
    let start = match opt(o, "start_time") {
        Some(v) => zoned(v, &f("start_time"), errs),
        None => base
            .map(|b| b.start_time.clone())
            .or_else(|| required(errs, f("start_time"))),
    };
    let end = match opt(o, "end_time") {
        Some(v) => zoned(v, &f("end_time"), errs),
        None => base
            .map(|b| b.end_time.clone())
            .or_else(|| required(errs, f("end_time"))),
    };
    let since = match opt(o, "effective_since") {
        Some(v) => time(v, &f("effective_since"), errs),
        None => base
            .map(|b| b.effective_since)
            .or_else(|| required(errs, f("effective_since"))),
    };
    let until = match o.get("effective_until") {
        Some(Value::Null) => None,
        Some(v) => time(v, &f("effective_until"), errs),
        None => base.and_then(|b| b.effective_until),
    };
    let rec = match opt(o, "recurrence") {
        Some(v) => recurrence(v, &f("recurrence"), errs),
        None => base
            .map(|b| b.recurrence.clone())
            .or_else(|| required(errs, f("recurrence"))),
    };
    let strat = match opt(o, "assignment_strategy") {
        Some(v) => strategy(a, v, &f("assignment_strategy"), errs),
        None => base
            .map(|b| b.strategy.clone())
            .or_else(|| required(errs, f("assignment_strategy"))),
    };
    if let (Some(s), Some(e)) = (&start, &end)
        && e.at <= s.at
    {
        errs.add(f("end_time"), "must be after start_time");
    }
    if let (Some(s), Some(u)) = (since, until)
        && u <= s
    {
        errs.add(f("effective_until"), "must be after effective_since");
    }
    Some(Event {
        id,
        name: name?,
        start_time: start?,
        end_time: end?,
        effective_since: since?,
        effective_until: until,
        recurrence: rec?,
        strategy: strat?,
    })
}

fn assignment(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Member> {
    match v.as_array().map(Vec::as_slice) {
        Some([one]) => match one.get("member") {
            Some(m) => member(a, m, &format!("{path}[0].member"), errs),
            None => {
                errs.add(format!("{path}[0].member"), "is required");
                None
            }
        },
        _ => {
            errs.add(path, "must hold exactly one assignment");
            None
        }
    }
}

fn span(
    o: &Map<String, Value>,
    path: &str,
    base: Option<(Timestamp, Timestamp)>,
    errs: &mut Errs,
) -> Option<(Timestamp, Timestamp)> {
    let one = |k: &str, b: Option<Timestamp>, errs: &mut Errs| match opt(o, k) {
        Some(v) => time(v, &format!("{path}.{k}"), errs),
        None if b.is_some() => b,
        None => {
            errs.add(format!("{path}.{k}"), "is required");
            None
        }
    };
    let start = one("start_time", base.map(|b| b.0), errs);
    let end = one("end_time", base.map(|b| b.1), errs);
    let (start, end) = (start?, end?);
    if end <= start {
        errs.add(format!("{path}.end_time"), "must be after start_time");
        return None;
    }
    Some((start, end))
}

// ---------- schedules ----------

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = Render::new(a);
        let teams = p.set("team_ids[]");
        let mut v: Vec<&ScheduleV3> = a
            .schedules_v3
            .iter()
            .filter(|s| matches_query(p.get("query"), &[&s.name]))
            .filter(|s| teams.is_empty() || s.team_ids.iter().any(|t| teams.contains(t)))
            .collect();
        v.sort_by(|x, y| x.name.cmp(&y.name));
        page(
            &p,
            "schedules",
            v.into_iter().map(|s| render_reference(&r, s)).collect(),
            1000,
            100,
        )
    })
}

/// `GET /v3/schedules/{id}`: with `include[]=final_schedule` and `since`/`until`, also the
/// computed assignments (cut to the window unless `overflow=true`) and the coverage, with
/// times in `time_zone` (default the schedule's).
pub async fn get(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
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

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Who,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
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

pub async fn update(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    write(&st, &c, |a| {
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

pub async fn delete(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        schedule(a, &id)?;
        a.schedules_v3.retain(|s| s.id != id);
        Ok(deleted())
    })
}

// ---------- rotations ----------

pub async fn list_rotations(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let r = Render::new(a);
        page(
            &p,
            "rotations",
            s.rotations
                .iter()
                .map(|x| render_rotation(&r, &s.id, x))
                .collect(),
            100,
            25,
        )
    })
}

pub async fn create_rotation(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
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
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid)): Path<(String, String)>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        p.timestamp("since")?;
        p.timestamp("until")?;
        let s = schedule(a, &id)?;
        Ok(Json(
            json!({"rotation": render_rotation(&Render::new(a), &id, rotation(s, &rid)?)}),
        ))
    })
}

pub async fn delete_rotation(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid)): Path<(String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
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
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid)): Path<(String, String)>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let rot = rotation(s, &rid)?;
        let r = Render::new(a);
        page(
            &p,
            "events",
            rot.events
                .iter()
                .map(|e| render_event(&r, &id, &rid, e))
                .collect(),
            100,
            25,
        )
    })
}

pub async fn get_event(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid, eid)): Path<(String, String, String)>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
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
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    let now = st.current();
    write(&st, &c, |a| {
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
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid, eid)): Path<(String, String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    let now = st.current();
    write(&st, &c, |a| {
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
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, rid, eid)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule_mut(a, &id)?;
        let ri = position(&s.rotations, &rid, |r| &r.id)?;
        let ei = position(&s.rotations[ri].events, &eid, |e| &e.id)?;
        s.rotations[ri].events.remove(ei);
        Ok(deleted())
    })
}

// ---------- custom shifts ----------

pub async fn list_custom_shifts(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        list_timed(
            a,
            &id,
            &p,
            "custom_shifts",
            &s.custom_shifts,
            |x| (x.start, x.end),
            render_custom_shift,
        )
    })
}

pub async fn get_custom_shift(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, cid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let x = &s.custom_shifts[position(&s.custom_shifts, &cid, |x| &x.id)?];
        Ok(Json(
            json!({"custom_shift": render_custom_shift(&Render::new(a), &id, x, None)}),
        ))
    })
}

pub async fn create_custom_shifts(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        schedule(a, &id)?;
        let mut errs = Errs::default();
        let items = match body.get("custom_shifts").and_then(Value::as_array) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => {
                return Err(ApiError::v3_invalid(vec![(
                    "custom_shifts".into(),
                    "must list at least one custom shift".into(),
                )]));
            }
        };
        let mut made = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("custom_shifts[{i}]");
            let Some(o) = item.as_object() else {
                errs.add(path, "must be an object");
                continue;
            };
            let sp = span(o, &path, None, &mut errs);
            let m = match o.get("assignments") {
                Some(v) => assignment(a, v, &format!("{path}.assignments"), &mut errs),
                None => {
                    errs.add(format!("{path}.assignments"), "is required");
                    None
                }
            };
            if let (Some((start, end)), Some(member)) = (sp, m) {
                made.push(CustomShift {
                    id: new_sub_id(a),
                    start,
                    end,
                    assignment_id: new_sub_id(a),
                    member,
                });
            }
        }
        errs.finish()?;
        let r = Render::new(a);
        let v: Vec<Value> = made
            .iter()
            .map(|x| render_custom_shift(&r, &id, x, None))
            .collect();
        schedule_mut(a, &id)?.custom_shifts.extend(made);
        Ok(created("custom_shifts", json!(v)))
    })
}

pub async fn update_custom_shift(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, cid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    let now = st.current();
    write(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let old = s.custom_shifts[position(&s.custom_shifts, &cid, |x| &x.id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, "custom_shift", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let sp = span(o, "custom_shift", Some((old.start, old.end)), &mut errs);
        let m = match opt(o, "assignments") {
            Some(v) => assignment(a, v, "custom_shift.assignments", &mut errs),
            None => Some(old.member.clone()),
        };
        errs.finish()?;
        let (Some((start, end)), Some(member)) = (sp, m) else {
            return Err(ApiError::v3_invalid(vec![(
                "custom_shift".into(),
                "is invalid".into(),
            )]));
        };
        if old.start <= now && (start != old.start || member != old.member) {
            return Err(ApiError::v3_invalid(vec![(
                "custom_shift".into(),
                "has started; only end_time can be changed".into(),
            )]));
        }
        let new = CustomShift {
            start,
            end,
            member,
            ..old
        };
        let v = render_custom_shift(&Render::new(a), &id, &new, None);
        let s = schedule_mut(a, &id)?;
        let i = position(&s.custom_shifts, &cid, |x| &x.id)?;
        s.custom_shifts[i] = new;
        Ok(Json(json!({ "custom_shift": v })))
    })
}

pub async fn delete_custom_shift(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, cid)): Path<(String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule_mut(a, &id)?;
        let i = position(&s.custom_shifts, &cid, |x| &x.id)?;
        s.custom_shifts.remove(i);
        s.overrides
            .retain(|o| o.custom_shift_id.as_deref() != Some(cid.as_str()));
        Ok(deleted())
    })
}

// ---------- overrides ----------

pub async fn list_overrides(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        list_timed(
            a,
            &id,
            &p,
            "overrides",
            &s.overrides,
            |x| (x.start, x.end),
            render_override,
        )
    })
}

pub async fn get_override(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, oid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let x = &s.overrides[position(&s.overrides, &oid, |x| &x.id)?];
        Ok(Json(
            json!({"override": render_override(&Render::new(a), &id, x, None)}),
        ))
    })
}

/// A page of a schedule's timed items (custom shifts, overrides) that overlap `since`/`until`,
/// earliest first, cut to the window unless `overflow=true`.
fn list_timed<T>(
    a: &Account,
    id: &str,
    p: &Params,
    key: &str,
    items: &[T],
    span: impl Fn(&T) -> (Timestamp, Timestamp),
    render: impl Fn(&Render, &str, &T, Option<(Timestamp, Timestamp)>) -> Value,
) -> ApiResult<Json<Value>> {
    let (since, until) = range(p)?;
    p.time_zone()?;
    let clip = (!p.bool("overflow")?).then_some((since, until));
    let r = Render::new(a);
    let mut v: Vec<&T> = items
        .iter()
        .filter(|x| {
            let (start, end) = span(x);
            end > since && start < until
        })
        .collect();
    v.sort_by_key(|x| span(x).0);
    page(
        p,
        key,
        v.into_iter().map(|x| render(&r, id, x, clip)).collect(),
        100,
        25,
    )
}

fn member_field(
    a: &Account,
    o: &Map<String, Value>,
    key: &str,
    path: &str,
    errs: &mut Errs,
) -> Option<Member> {
    match opt(o, key) {
        Some(v) => member(a, v, &format!("{path}.{key}"), errs),
        None => {
            errs.add(format!("{path}.{key}"), "is required");
            None
        }
    }
}

pub async fn create_overrides(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule(a, &id)?.clone();
        let mut errs = Errs::default();
        let items = match body.get("overrides").and_then(Value::as_array) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => {
                return Err(ApiError::v3_invalid(vec![(
                    "overrides".into(),
                    "must list at least one override".into(),
                )]));
            }
        };
        let mut made = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("overrides[{i}]");
            let Some(o) = item.as_object() else {
                errs.add(path, "must be an object");
                continue;
            };
            let rid = opt(o, "rotation_id").and_then(Value::as_str);
            let cid = opt(o, "custom_shift_id").and_then(Value::as_str);
            match (rid, cid) {
                (Some(_), Some(_)) => errs.add(
                    format!("{path}.rotation_id"),
                    "give rotation_id or custom_shift_id, not both",
                ),
                (None, None) => errs.add(
                    format!("{path}.rotation_id"),
                    "one of rotation_id or custom_shift_id is required",
                ),
                (Some(r), None) if !s.rotations.iter().any(|x| x.id == r) => errs.add(
                    format!("{path}.rotation_id"),
                    format!("Rotation {r} not found in this schedule"),
                ),
                (None, Some(cs)) if !s.custom_shifts.iter().any(|x| x.id == cs) => errs.add(
                    format!("{path}.custom_shift_id"),
                    format!("Custom shift {cs} not found in this schedule"),
                ),
                _ => {}
            }
            let sp = span(o, &path, None, &mut errs);
            let overridden = member_field(a, o, "overridden_member", &path, &mut errs);
            let overriding = member_field(a, o, "overriding_member", &path, &mut errs);
            if let (Some((start, end)), Some(overridden), Some(overriding)) =
                (sp, overridden, overriding)
            {
                made.push(OverrideShift {
                    id: new_sub_id(a),
                    rotation_id: rid.map(String::from),
                    custom_shift_id: cid.map(String::from),
                    start,
                    end,
                    overridden,
                    overriding,
                });
            }
        }
        errs.finish()?;
        let r = Render::new(a);
        let v: Vec<Value> = made
            .iter()
            .map(|x| render_override(&r, &id, x, None))
            .collect();
        schedule_mut(a, &id)?.overrides.extend(made);
        Ok(created("overrides", json!(v)))
    })
}

pub async fn update_override(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, oid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    write(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let old = s.overrides[position(&s.overrides, &oid, |x| &x.id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, "override", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let sp = span(o, "override", Some((old.start, old.end)), &mut errs);
        let overriding = match opt(o, "overriding_member") {
            Some(v) => member(a, v, "override.overriding_member", &mut errs),
            None => Some(old.overriding.clone()),
        };
        let overridden = match opt(o, "overridden_member") {
            Some(v) => member(a, v, "override.overridden_member", &mut errs),
            None => Some(old.overridden.clone()),
        };
        errs.finish()?;
        let (Some((start, end)), Some(overriding), Some(overridden)) = (sp, overriding, overridden)
        else {
            return Err(ApiError::v3_invalid(vec![(
                "override".into(),
                "is invalid".into(),
            )]));
        };
        let new = OverrideShift {
            start,
            end,
            overriding,
            overridden,
            ..old
        };
        let v = render_override(&Render::new(a), &id, &new, None);
        let s = schedule_mut(a, &id)?;
        let i = position(&s.overrides, &oid, |x| &x.id)?;
        s.overrides[i] = new;
        Ok(Json(json!({ "override": v })))
    })
}

pub async fn delete_override(
    State(st): State<AppState>,
    Extension(c): Who,
    Path((id, oid)): Path<(String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule_mut(a, &id)?;
        let i = position(&s.overrides, &oid, |x| &x.id)?;
        s.overrides.remove(i);
        Ok(deleted())
    })
}
