//! Users: `/users`, `/users/me`, `/users/{id}`.

use axum::Json;
use serde_json::{Value, json};

use super::{Ctx, by_id, find, paginated, read, renderer};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::store::Credential;

const INCLUDES: &[&str] = &[
    "contact_methods",
    "notification_rules",
    "teams",
    "subdomains",
];

pub async fn me(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
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

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
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

by_id!(crate::store::User, "user", users, Some(INCLUDES), |r, x| r
    .user(x));

const ROLES: &[&str] = &[
    "admin",
    "limited_user",
    "observer",
    "owner",
    "read_only_user",
    "restricted_access",
    "read_only_limited_user",
    "user",
];

/// A plausible address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(char::is_whitespace)
}

/// `POST /users`: only admins and the account owner may add users.
pub async fn create(
    Ctx { st, caller: c }: Ctx,
    crate::routes::PdJson(body): crate::routes::PdJson,
) -> ApiResult<(http::StatusCode, Json<Value>)> {
    let user = body
        .get("user")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("user is required"))?;
    if user.get("type").and_then(Value::as_str) != Some("user") {
        return Err(ApiError::invalid("user.type must be 'user'"));
    }
    let name = crate::routes::req_str(user, "name", "user.")?
        .trim()
        .to_string();
    let email = crate::routes::req_str(user, "email", "user.")?
        .trim()
        .to_string();
    if !valid_email(&email) {
        return Err(ApiError::invalid("Email is invalid"));
    }
    let opt = |field: &str| -> ApiResult<Option<String>> {
        match user.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid(format!("user.{field} must be a string"))),
        }
    };
    let role = opt("role")?.unwrap_or_else(|| "user".into());
    if !ROLES.contains(&role.as_str()) {
        return Err(ApiError::invalid(format!(
            "Role '{role}' is invalid; must be one of: {}",
            ROLES.join(", ")
        )));
    }
    if role == "owner" {
        return Err(ApiError::invalid(
            "An account has one owner; transfer ownership in the web app instead",
        ));
    }
    let time_zone = opt("time_zone")?.unwrap_or_else(|| "UTC".into());
    if jiff::tz::TimeZone::get(&time_zone).is_err() {
        return Err(ApiError::invalid(format!(
            "Time zone '{time_zone}' is invalid"
        )));
    }
    let job_title = opt("job_title")?.unwrap_or_default();
    let description = opt("description")?;
    let color = opt("color")?.unwrap_or_else(|| "green".into());
    crate::routes::write(&st, &c, |a| {
        if let Some(me) = c.acting_user.as_deref().and_then(|u| a.user(u))
            && !["admin", "owner"].contains(&me.role.as_str())
        {
            return Err(ApiError::forbidden(
                "Only admins and the account owner can add users",
            ));
        }
        if a.user_by_email(&email).is_some() {
            return Err(ApiError::invalid("Email has already been taken"));
        }
        let id = a.new_id();
        let cm = a.new_id();
        let u = crate::store::User {
            id,
            name,
            email: email.clone(),
            time_zone,
            role,
            job_title,
            color,
            description,
            created_at: crate::routes::write_time(),
            contact_methods: vec![crate::store::ContactMethod {
                id: cm,
                kind: "email_contact_method".into(),
                label: "Default".into(),
                address: email,
            }],
        };
        a.users.push(u.clone());
        Ok((
            http::StatusCode::CREATED,
            Json(json!({ "user": crate::render::Render::new(a).user(&u) })),
        ))
    })
}
