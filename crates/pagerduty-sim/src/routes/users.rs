//! Users: `/users`, `/users/me`, `/users/{id}`.

use axum::Json;
use serde_json::json;

use serde::Deserialize;

use super::{
    Call, Created, Ctx, JsonReply, Listed, by_id, check_type, find, renderer, required, write_time,
};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::store::{Account, ContactMethod, Credential, User};

const INCLUDES: &[&str] = &[
    "contact_methods",
    "notification_rules",
    "teams",
    "subdomains",
];

pub async fn me(ctx: Ctx, p: Params) -> JsonReply {
    let user_id = match &ctx.caller.credential {
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
    ctx.read(|a| {
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

impl Listed for User {
    const COLLECTION: &'static str = "users";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let teams = call.params.set("team_ids[]");
        let q = call.params.get("query");
        let mut users: Vec<_> = a
            .users
            .iter()
            .filter(|u| matches_query(q, &[&u.name, &u.email]))
            .filter(|u| {
                teams.is_empty() || a.team_ids_of_user(&u.id).iter().any(|t| teams.contains(t))
            })
            .collect();
        users.sort_by(|x, y| x.name.cmp(&y.name));
        Ok(users)
    }
}

by_id!(User, "user", users, Some(INCLUDES), |r, x| r.user(x));

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

/// `{user: {…}}` of `POST /users`.
#[derive(Deserialize)]
pub struct UserBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    time_zone: Option<String>,
    job_title: Option<String>,
    description: Option<String>,
    color: Option<String>,
}

/// `POST /users`: only admins and the account owner may add users.
impl Created for User {
    type Body = UserBody;
    fn create(a: &mut Account, user: UserBody, call: &Call) -> ApiResult<Self> {
        check_type(user.kind.as_deref(), "user", true)?;
        let name = required(user.name, "user", "name")?;
        let email = required(user.email, "user", "email")?;
        if !valid_email(&email) {
            return Err(ApiError::invalid("Email is invalid"));
        }
        let role = user.role.unwrap_or_else(|| "user".into());
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
        let time_zone = user.time_zone.unwrap_or_else(|| "UTC".into());
        if jiff::tz::TimeZone::get(&time_zone).is_err() {
            return Err(ApiError::invalid(format!(
                "Time zone '{time_zone}' is invalid"
            )));
        }
        if let Some(me) = call.caller.acting_user.as_deref().and_then(|u| a.user(u))
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
        Ok(User {
            id,
            name,
            email: email.clone(),
            time_zone,
            role,
            job_title: user.job_title.unwrap_or_default(),
            color: user.color.unwrap_or_else(|| "green".into()),
            description: user.description,
            created_at: write_time(),
            contact_methods: vec![ContactMethod {
                id: cm,
                kind: "email_contact_method".into(),
                label: "Default".into(),
                address: email,
            }],
        })
    }
}
