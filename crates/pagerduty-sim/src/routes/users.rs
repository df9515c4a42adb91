//! Users: `/users`, `/users/me`, `/users/{id}`.

use axum::{
    Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::{Who, find, paginated, read, renderer};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::store::Credential;

const INCLUDES: &[&str] = &[
    "contact_methods",
    "notification_rules",
    "teams",
    "subdomains",
];

pub async fn me(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    let user_id = match &c.credential {
        Credential::UserToken { user_id } | Credential::OAuth { user_id } => user_id.clone(),
        // Mirrors the real API: no user identity behind an account key.
        Credential::AccountKey { .. } => {
            return Err(ApiError::new(
                http::StatusCode::BAD_REQUEST,
                2001,
                "Because this request was made using an account-level access token, we were unable to determine the user's identity. Please use a user-level token.",
            ));
        }
    };
    read(&st, &c, |a| {
        let r = renderer(
            a,
            &p,
            &[
                "contact_methods",
                "notification_rules",
                "teams",
                "subdomains",
                "calendar_urls",
            ],
        )?;
        let u = find(&a.users, &user_id, |u| &u.id)?;
        Ok(Json(json!({ "user": r.user(u) })))
    })
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let teams = p.set("team_ids[]");
        let q = p.get("query");
        let mut users: Vec<_> = a
            .users
            .iter()
            .filter(|u| matches_query(q, &[&u.name, &u.email]))
            .filter(|u| {
                teams.is_empty() || a.team_ids_of_user(&u.id).iter().any(|t| teams.contains(t))
            })
            .collect();
        users.sort_by(|x, y| x.name.cmp(&y.name));
        paginated(&p, "users", users.into_iter().map(|u| r.user(u)).collect())
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
            json!({ "user": r.user(find(&a.users, &id, |u| &u.id)?) }),
        ))
    })
}

use axum::Extension;
