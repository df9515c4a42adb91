//! `/maintenance_windows`: list (by state, service, team, text), get, create, delete.
//! Deleting an ongoing window ends it now; an ended one cannot be deleted (405).

use axum::http::StatusCode;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Call, Created, Deleted, Listed, Ref, by_id, check_type};
use crate::error::{ApiError, ApiResult};
use crate::maintenance_windows::{MaintenanceWindow, Phase};
use crate::paging::{matches_query, parse_time};
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

impl Listed for MaintenanceWindow {
    const COLLECTION: &'static str = "maintenance_windows";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let p = call.params;
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
        Ok(a.maintenance_windows
            .iter()
            .filter(|w| {
                let phase = w.phase(call.now);
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
            .collect())
    }
}

by_id!(
    MaintenanceWindow,
    "maintenance_window",
    maintenance_windows,
    Some(INCLUDES),
    |r, x| render(r, x)
);

/// `{maintenance_window: {…}}` of `POST /maintenance_windows`.
#[derive(Deserialize)]
pub struct WindowBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    #[serde(default)]
    services: Vec<Ref>,
    description: Option<String>,
}

fn time_field(v: Option<String>, field: &str) -> ApiResult<Timestamp> {
    let v =
        v.ok_or_else(|| ApiError::invalid(format!("maintenance_window.{field} is required")))?;
    parse_time(&format!("maintenance_window.{field}"), &v)
}

impl Created for MaintenanceWindow {
    type Body = WindowBody;
    fn create(a: &mut Account, w: WindowBody, call: &Call) -> ApiResult<Self> {
        check_type(w.kind.as_deref(), "maintenance_window", true)?;
        let now = call.now;
        // A start in the past becomes now, as PagerDuty does.
        let start = time_field(w.start_time, "start_time")?.max(now);
        let end = time_field(w.end_time, "end_time")?;
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
        if w.services.is_empty() {
            return Err(ApiError::invalid(
                "maintenance_window.services must name at least one service",
            ));
        }
        let mut service_ids: Vec<String> = Vec::new();
        for Ref { id } in w.services {
            if a.service(&id).is_none() {
                return Err(ApiError::invalid(format!("Service {id} not found")));
            }
            if !service_ids.contains(&id) {
                service_ids.push(id);
            }
        }
        Ok(MaintenanceWindow {
            id: a.new_id(),
            sequence_number: a.next_maintenance_sequence(),
            start,
            end,
            description: w.description.unwrap_or_default(),
            service_ids,
            created_by: call.caller.acting_user.clone(),
        })
    }
}

/// Deleting an ongoing window ends it now; an ended one cannot be deleted (405).
impl Deleted for MaintenanceWindow {
    fn delete(a: &mut Account, i: usize, call: &Call) -> ApiResult<()> {
        match a.maintenance_windows[i].phase(call.now) {
            Phase::Past => {
                return Err(ApiError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    2001,
                    "The maintenance window can't be deleted because it has already ended.",
                ));
            }
            Phase::Ongoing => a.maintenance_windows[i].end = call.now,
            Phase::Future => drop(a.maintenance_windows.remove(i)),
        }
        Ok(())
    }
}
