//! Schedules: list, get (with rendered entries), overrides and users.

use axum::{
    Extension, Json,
    extract::{Path, State},
};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use super::{Who, find, paginated, read, renderer};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::schedule;

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

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(
            a,
            &p,
            &["schedule_layers", "overrides_subschedule", "final_schedule"],
        )?;
        let teams = p.set("team_ids[]");
        let w = window(&p)?.map(|(s, u)| (s, u, false));
        let mut v: Vec<_> = a
            .schedules
            .iter()
            .filter(|s| matches_query(p.get("query"), &[&s.name]))
            .filter(|s| teams.is_empty() || s.team_ids.iter().any(|t| teams.contains(t)))
            .collect();
        v.sort_by(|x, y| x.name.cmp(&y.name));
        paginated(
            &p,
            "schedules",
            v.into_iter().map(|s| r.schedule(s, w)).collect(),
        )
    })
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = find(&a.schedules, &id, |s| &s.id)?;
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

pub async fn overrides(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = find(&a.schedules, &id, |s| &s.id)?;
        let (Some(since), Some(until)) = (p.timestamp("since")?, p.timestamp("until")?) else {
            return Err(ApiError::invalid("since and until are required"));
        };
        let r = renderer(a, &p, &[])?;
        let overflow = p.bool("overflow")?;
        let editable = p.bool("editable")?;
        let now = Timestamp::now();
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

pub async fn users(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = find(&a.schedules, &id, |s| &s.id)?;
        let r = renderer(a, &p, &[])?;
        let (since, until) = window(&p)?.unwrap_or_else(|| {
            let now = st.now;
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
