//! Schedules: list, get (with rendered entries), overrides and users.

use axum::{Json, extract::Path};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, PdJson, find, named_in_teams, paginated, renderer, req_list};
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::schedule;
use crate::store::{Account, Override, Schedule};

const TWO_WEEKS: SignedDuration = SignedDuration::from_hours(14 * 24);

/// `since`/`until`: if only one is given the other is two weeks away.
fn window(p: &Params) -> ApiResult<Option<(Timestamp, Timestamp)>> {
    let (since, until) = (p.timestamp("since")?, p.timestamp("until")?);
    let w = match (since, until) {
        (None, None) => return Ok(None),
        (Some(s), Some(u)) => (s, u),
        (Some(s), None) => (s, s.checked_add(TWO_WEEKS).unwrap_or(s)),
        (None, Some(u)) => (u.checked_sub(TWO_WEEKS).unwrap_or(u), u),
    };
    if w.0 > w.1 {
        return Err(ApiError::invalid("since must be before until"));
    }
    Ok(Some(w))
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(
            a,
            &p,
            &["schedule_layers", "overrides_subschedule", "final_schedule"],
        )?;
        let w = window(&p)?.map(|(s, u)| (s, u, false));
        let v = named_in_teams(&a.schedules, &p, |s| &s.name, |s| &s.team_ids);
        paginated(
            &p,
            "schedules",
            v.into_iter().map(|s| r.schedule(s, w)).collect(),
        )
    })
}

pub async fn get(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let s = layered(a, &id)?;
        // Times render in the schedule's own zone unless time_zone is given.
        let tz = match p.time_zone()? {
            Some(tz) => tz,
            None => TimeZone::get(&s.time_zone).unwrap_or(TimeZone::UTC),
        };
        let r = renderer(a, &p, &[])?.tz(Some(tz));
        let w =
            window(&p)?.map(|(since, until)| (since, until, p.bool("overflow").unwrap_or(false)));
        Ok(Json(json!({ "schedule": r.schedule(s, w) })))
    })
}

pub async fn overrides(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let s = find(&a.schedules, &id, |s| &s.id)?;
        let (Some(since), Some(until)) = (p.timestamp("since")?, p.timestamp("until")?) else {
            return Err(ApiError::invalid("since and until are required"));
        };
        let r = renderer(a, &p, &[])?;
        let overflow = p.bool("overflow")?;
        let editable = p.bool("editable")?;
        let now = ctx.st.current();
        let list: Vec<Value> = s
            .overrides
            .iter()
            .filter(|o| o.end > since && o.start < until)
            .filter(|o| !editable || o.end > now)
            .map(|o| {
                let mut o = o.clone();
                if !overflow {
                    o.start = o.start.max(since);
                    o.end = o.end.min(until);
                }
                r.override_(&o)
            })
            .collect();
        // The spec lists 201 for this GET; the real API answers 200.
        Ok(Json(json!({ "overrides": list })))
    })
}

pub async fn users(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let s = layered(a, &id)?;
        let r = renderer(a, &p, &[])?;
        let (since, until) = window(&p)?.unwrap_or_else(|| {
            let now = ctx.st.current();
            (now, now.checked_add(TWO_WEEKS).unwrap_or(now))
        });
        let mut ids: Vec<String> = schedule::render_final(s, since, until)
            .into_iter()
            .map(|e| e.user_id)
            .collect();
        ids.sort();
        ids.dedup();
        let users: Vec<Value> = ids
            .iter()
            .filter_map(|u| a.user(u))
            .map(|u| r.user(u))
            .collect();
        Ok(Json(json!({ "users": users })))
    })
}

/// A layer-based schedule by id. A shift-based (v3) one gets the 400 the real API gives,
/// which tells the caller to use the v3 API.
fn layered<'a>(a: &'a Account, id: &str) -> ApiResult<&'a Schedule> {
    if a.schedules_v3.iter().any(|s| s.id == id) {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            2001,
            "This is a shift-based schedule. Use the v3 Schedules API to access it.",
        ));
    }
    find(&a.schedules, id, |s| &s.id)
}

/// `POST /schedules/{id}/overrides`: each override is created or rejected on its own, and the
/// answer lists a status per override, in request order.
pub async fn create_overrides(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<(axum::http::StatusCode, Json<Value>)> {
    ctx.write(|a| {
        layered(a, &id)?;
        let items = req_list(&body, "overrides", "overrides must be a non-empty list")?;
        // Validate first, then mint ids in order.
        let checked: Vec<Result<Override, Vec<String>>> = items
            .iter()
            .map(|item| {
                let time = |k: &str| {
                    item.get(k)
                        .and_then(Value::as_str)
                        .and_then(|v| crate::paging::parse_time(k, v).ok())
                };
                let user = item
                    .pointer("/user/id")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let mut errors = Vec::new();
                match (time("start"), time("end")) {
                    (Some(s), Some(e)) if e <= s => {
                        errors.push("Override must end after its start".to_owned())
                    }
                    (Some(_), Some(_)) => {}
                    _ => {
                        errors.push("Override start and end must be ISO 8601 date-times".to_owned())
                    }
                }
                if a.user(user).is_none() {
                    errors.push(format!("User {user} not found"));
                }
                match (time("start"), time("end")) {
                    (Some(start), Some(end)) if errors.is_empty() => Ok(Override {
                        id: String::new(),
                        start,
                        end,
                        user_id: user.to_owned(),
                    }),
                    _ => Err(errors),
                }
            })
            .collect();
        let mut created = Vec::new();
        let mut outcome = Vec::new();
        for c in checked {
            outcome.push(match c {
                Ok(mut o) => {
                    o.id = a.new_id();
                    created.push(o.clone());
                    Ok(o)
                }
                Err(e) => Err(e),
            });
        }
        let r = renderer(a, &Params::default(), &[])?;
        let answer: Vec<Value> = outcome
            .iter()
            .zip(items)
            .map(|(o, item)| match o {
                Ok(o) => json!({"status": 201, "override": r.override_(o)}),
                Err(errors) => json!({
                    "status": 400,
                    "errors": errors,
                    "override": {
                        "start": item.get("start").cloned().unwrap_or(Value::Null),
                        "end": item.get("end").cloned().unwrap_or(Value::Null),
                        "user": r.user_ref(item.pointer("/user/id").and_then(Value::as_str).unwrap_or("")),
                    },
                }),
            })
            .collect();
        if let Some(s) = a.schedules.iter_mut().find(|s| s.id == id) {
            s.overrides.extend(created);
            s.overrides.sort_by_key(|o| o.start);
        }
        Ok((axum::http::StatusCode::CREATED, Json(Value::Array(answer))))
    })
}
