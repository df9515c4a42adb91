//! Services: `/services`, `/services/{id}`.

use axum::{
    Extension, Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::{Who, find, paginated, read, renderer};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};

const INCLUDES: &[&str] = &[
    "escalation_policies",
    "teams",
    "integrations",
    "auto_pause_notifications_parameters",
];

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let teams = p.set("team_ids[]");
        let desc = match p.get("sort_by").unwrap_or("name") {
            "name" | "name:asc" => false,
            "name:desc" => true,
            other => {
                return Err(ApiError::invalid(format!(
                    "sort_by '{other}' is invalid; use name, name:asc or name:desc"
                )));
            }
        };
        let mut svcs: Vec<_> = a
            .services
            .iter()
            .filter(|s| matches_query(p.get("query"), &[&s.name]))
            .filter(|s| p.get("name").is_none_or(|n| n == s.name))
            .filter(|s| teams.is_empty() || s.team_ids.iter().any(|t| teams.contains(t)))
            .collect();
        svcs.sort_by_key(|x| x.name.to_lowercase());
        if desc {
            svcs.reverse();
        }
        paginated(
            &p,
            "services",
            svcs.into_iter().map(|s| r.service(s)).collect(),
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
        let r = renderer(a, &p, INCLUDES)?;
        Ok(Json(
            json!({ "service": r.service(find(&a.services, &id, |s| &s.id)?) }),
        ))
    })
}
