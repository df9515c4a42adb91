//! Teams: `/teams`, `/teams/{id}`, `/teams/{id}/members`.

use axum::{
    Extension, Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::{Who, find, paginated, read, renderer};
use crate::AppState;
use crate::error::ApiResult;
use crate::paging::{Params, matches_query};

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, &[])?;
        let mut teams: Vec<_> = a
            .teams
            .iter()
            .filter(|t| matches_query(p.get("query"), &[&t.name]))
            .collect();
        teams.sort_by(|x, y| x.name.cmp(&y.name));
        paginated(&p, "teams", teams.into_iter().map(|t| r.team(t)).collect())
    })
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, &["privileges"])?;
        Ok(Json(
            json!({ "team": r.team(find(&a.teams, &id, |t| &t.id)?) }),
        ))
    })
}

pub async fn members(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, &["users"])?;
        find(&a.teams, &id, |t| &t.id)?;
        let full = p.list("include[]").iter().any(|i| i == "users");
        let members = a
            .memberships
            .iter()
            .filter(|m| m.team_id == id)
            .filter_map(|m| a.user(&m.user_id).map(|u| (u, &m.role)))
            .map(|(u, role)| json!({"user": if full { r.user(u) } else { r.user_ref(&u.id) }, "role": role}))
            .collect();
        paginated(&p, "members", members)
    })
}
