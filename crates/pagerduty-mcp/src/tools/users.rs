use pagerduty::api::users::{NewUser, UserQuery};
use pagerduty::ids::TeamId;
use pagerduty::models::{User, UserRole};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Domain, ToolDef, Tools};

/// No arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

const USERS: Tools = Tools(Domain::Users);

pub fn tools() -> Vec<ToolDef> {
    vec![
        USERS
            .read(
                "get_user_data",
                "Who the PagerDuty credential acts as: id, name, email, role, time zone and \
                 teams. Call first when a request says 'me', 'my incidents' or 'my teams'.",
                |ctx, NoArgs {}| async move { Ok::<User, _>(ctx.pd.current_user().await?.clone()) },
            )
            .titled("Current user"),
        USERS.read(
            "list_users",
            "Find users by name or email, or by team, sorted by name: id, email, role, time zone, \
             teams.",
            |ctx: Ctx, a: ListUsersArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let q = UserQuery {
                    query: a.query.filter(|q| !q.trim().is_empty()),
                    team_ids: a.team_ids.unwrap_or_default(),
                };
                Ok(Listing::<User>::from(ctx.pd.list(&q, w).await?))
            },
        ),
        USERS.create(
            "create_user",
            "Add a user to the PagerDuty account (needs an admin or the account owner).",
            create_user,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListUsersArgs {
    /// Name or email contains this text.
    query: Option<String>,
    /// Only members of these teams (`teams_ids` is accepted too).
    #[serde(alias = "teams_ids")]
    team_ids: Option<Vec<TeamId>>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewUserArgs {
    name: String,
    email: String,
    /// Default user. The account's single owner cannot be created.
    role: Option<UserRole>,
    /// IANA time zone, e.g. Europe/Paris; default UTC.
    time_zone: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateUserArgs {
    request: NewUserArgs,
}

/// A plausible email address: `local@domain.tld`, no spaces.
pub(crate) fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && e.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `tz` names an IANA time zone. Without a local time zone database nothing can be
/// checked, so the name is left to PagerDuty.
pub(crate) fn known_time_zone(tz: &str) -> bool {
    jiff::tz::TimeZone::get(tz).is_ok() || jiff::tz::db().is_definitively_empty()
}

async fn create_user(ctx: Ctx, a: CreateUserArgs) -> Result<User, ToolError> {
    let r = a.request;
    let name = r.name.trim();
    if name.is_empty() {
        return Err(ToolError::invalid("request.name", "must not be empty"));
    }
    let email = r.email.trim();
    if !valid_email(email) {
        return Err(ToolError::invalid(
            "request.email",
            format!("`{email}` is not an email address (name@example.com)"),
        ));
    }
    if r.role == Some(UserRole::Owner) {
        return Err(ToolError::invalid(
            "request.role",
            "an account has exactly one owner, who cannot be created; choose admin, user, \
             limited_user, observer, restricted_access, read_only_user or read_only_limited_user",
        ));
    }
    let time_zone = r.time_zone.map(|t| t.trim().to_owned());
    if let Some(tz) = &time_zone
        && !known_time_zone(tz)
    {
        return Err(ToolError::invalid(
            "request.time_zone",
            format!(
                "`{tz}` is not an IANA time zone name (e.g. UTC, Europe/Paris, America/New_York)"
            ),
        ));
    }
    let new = NewUser {
        name: name.to_owned(),
        email: email.to_owned(),
        role: r.role,
        time_zone,
    };
    Ok(ctx.pd.create_user(&new).await?)
}
