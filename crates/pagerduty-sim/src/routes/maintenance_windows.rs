//! `/maintenance_windows`: list (by state, service, team, text), get, create, delete.
//! Deleting an ongoing window ends it now; an ended one cannot be deleted (405).

use axum::{
    Extension, Json,
    extract::{Path, State},
    http::StatusCode,
};
use jiff::Timestamp;
use serde_json::{Value, json};

use super::{PdJson, Who, find, paginated, position, read, renderer, write};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::maintenance_windows::{MaintenanceWindow, Phase};
use crate::paging::{Params, matches_query, parse_time};
use crate::render::{API_BASE, Render};
use crate::store::Account;

const INCLUDES: &[&str] = &["teams", "services", "users"];
const FILTERS: &[&str] = &["past", "future", "ongoing", "open", "all"];

/// Team ids of the window's services, first seen first.
fn team_ids(a: &Account, w: &MaintenanceWindow) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in w.service_ids.iter().filter_map(|id| a.service(id)) {
        for t in &s.team_ids {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
    }
    out
}

pub fn render(r: &Render, w: &MaintenanceWindow) -> Value {
    let a = r.acct;
    let services: Vec<Value> = w
        .service_ids
        .iter()
        .map(|id| match a.service(id) {
            Some(s) if r.include.contains("services") => r.service(s),
            _ => r.service_ref(id),
        })
        .collect();
    let teams: Vec<Value> = team_ids(a, w)
        .iter()
        .map(|id| match a.team(id) {
            Some(t) if r.include.contains("teams") => r.team(t),
            _ => r.team_ref(id),
        })
        .collect();
    let created_by = match &w.created_by {
        Some(id) => match a.user(id) {
            Some(u) if r.include.contains("users") => r.user(u),
            _ => r.user_ref(id),
        },
        None => Value::Null,
    };
    json!({
        "id": w.id,
        "type": "maintenance_window",
        "summary": w.description,
        "self": format!("{API_BASE}/maintenance_windows/{}", w.id),
        "html_url": format!("https://{}.pagerduty.com/service-directory/maintenance-windows/{}", a.subdomain, w.id),
        "sequence_number": w.sequence_number,
        "start_time": r.time(w.start),
        "end_time": r.time(w.end),
        "description": w.description,
        "services": services,
        "teams": teams,
        "created_by": created_by,
    })
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    let filter = match p.get("filter").filter(|f| !f.is_empty()) {
        None => "all",
        Some(f) if FILTERS.contains(&f) => f,
        Some(f) => {
            return Err(ApiError::invalid(format!(
                "filter '{f}' is invalid; must be one of: {}",
                FILTERS.join(", ")
            )));
        }
    };
    let services = p.set("service_ids[]");
    let teams = p.set("team_ids[]");
    let at = st.current();
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let items = a
            .maintenance_windows
            .iter()
            .filter(|w| {
                let phase = w.phase(at);
                match filter {
                    "past" => phase == Phase::Past,
                    "future" => phase == Phase::Future,
                    "ongoing" => phase == Phase::Ongoing,
                    "open" => phase != Phase::Past,
                    _ => true,
                }
            })
            .filter(|w| services.is_empty() || w.service_ids.iter().any(|s| services.contains(s)))
            .filter(|w| teams.is_empty() || team_ids(a, w).iter().any(|t| teams.contains(t)))
            .filter(|w| matches_query(p.get("query"), &[&w.description]))
            .map(|w| render(&r, w))
            .collect();
        paginated(&p, "maintenance_windows", items)
    })
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let w = find(&a.maintenance_windows, &id, |w| &w.id)?;
        Ok(Json(json!({ "maintenance_window": render(&r, w) })))
    })
}

fn time_field(w: &Value, field: &str) -> ApiResult<Timestamp> {
    let v = w
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid(format!("maintenance_window.{field} is required")))?;
    parse_time(&format!("maintenance_window.{field}"), v)
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Who,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let now = st.current();
    write(&st, &c, |a| {
        let w = body
            .get("maintenance_window")
            .filter(|w| w.is_object())
            .ok_or_else(|| ApiError::invalid("maintenance_window is required"))?;
        if w.get("type").and_then(Value::as_str) != Some("maintenance_window") {
            return Err(ApiError::invalid(
                "maintenance_window.type must be maintenance_window",
            ));
        }
        // A start in the past becomes now, as PagerDuty does.
        let start = time_field(w, "start_time")?.max(now);
        let end = time_field(w, "end_time")?;
        if end <= now {
            return Err(ApiError::invalid(
                "maintenance_window.end_time must be in the future",
            ));
        }
        if end <= start {
            return Err(ApiError::invalid(
                "maintenance_window.end_time must be after start_time",
            ));
        }
        let refs = w
            .get("services")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::invalid("maintenance_window.services must name at least one service")
            })?;
        let mut service_ids: Vec<String> = Vec::new();
        for s in refs {
            let id = s.get("id").and_then(Value::as_str).unwrap_or("");
            if a.service(id).is_none() {
                return Err(ApiError::invalid(format!("Service {id} not found")));
            }
            if !service_ids.iter().any(|x| x == id) {
                service_ids.push(id.to_string());
            }
        }
        let description = w
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mw = MaintenanceWindow {
            id: a.new_id(),
            sequence_number: a.next_maintenance_sequence(),
            start,
            end,
            description,
            service_ids,
            created_by: c.acting_user.clone(),
        };
        let out = render(&Render::new(a), &mw);
        a.maintenance_windows.push(mw);
        Ok((
            StatusCode::CREATED,
            Json(json!({ "maintenance_window": out })),
        ))
    })
}

pub async fn delete(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let now = st.current();
    write(&st, &c, |a| {
        let i = position(&a.maintenance_windows, &id, |w| &w.id)?;
        match a.maintenance_windows[i].phase(now) {
            Phase::Past => Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                2001,
                "The maintenance window can't be deleted because it has already ended.",
            )),
            Phase::Ongoing => {
                a.maintenance_windows[i].end = now;
                Ok(StatusCode::NO_CONTENT)
            }
            Phase::Future => {
                a.maintenance_windows.remove(i);
                Ok(StatusCode::NO_CONTENT)
            }
        }
    })
}
