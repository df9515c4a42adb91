//! Teams: `/teams`, `/teams/{id}`, `/teams/{id}/members`.

use axum::{body::Bytes, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use serde::Deserialize;

use super::{
    Call, Created, Ctx, Deleted, JsonReply, Listed, Updated, by_id, check_type, find, paginated,
    renderer, required,
};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::store::{Account, Membership, Team};

impl Listed for Team {
    const COLLECTION: &'static str = "teams";
    const LIST_INCLUDES: Option<&'static [&'static str]> = Some(&[]);
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let mut teams: Vec<_> = a
            .teams
            .iter()
            .filter(|t| matches_query(call.params.get("query"), &[&t.name]))
            .collect();
        teams.sort_by(|x, y| x.name.cmp(&y.name));
        Ok(teams)
    }
}

by_id!(Team, "team", teams, Some(&["privileges"]), |r, x| r.team(x));

pub async fn members(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
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

// ---------- writes ----------

const TEAM_ROLES: &[&str] = &["observer", "responder", "manager"];
const DEFAULT_ROLES: &[&str] = &["manager", "none"];

/// `{team: {…}}` of a create or an update (the spec's TeamUpdate requires the name too).
#[derive(Deserialize)]
pub struct TeamBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    default_role: Option<String>,
}

impl TeamBody {
    /// Checks what PagerDuty checks; the name comes back trimmed.
    fn check(self) -> ApiResult<Self> {
        check_type(self.kind.as_deref(), "team", false)?;
        let name = required(self.name, "team", "name")?;
        if name.chars().count() > 100 {
            return Err(ApiError::invalid(
                "Name is too long (maximum is 100 characters)",
            ));
        }
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 1024)
        {
            return Err(ApiError::invalid(
                "Description is too long (maximum is 1024 characters)",
            ));
        }
        if let Some(r) = &self.default_role
            && !DEFAULT_ROLES.contains(&r.as_str())
        {
            return Err(ApiError::invalid(
                "team.default_role must be manager or none",
            ));
        }
        Ok(Self {
            name: Some(name),
            ..self
        })
    }
}

fn name_taken(a: &Account, name: &str, except: Option<&str>) -> bool {
    a.teams
        .iter()
        .any(|t| Some(t.id.as_str()) != except && t.name.eq_ignore_ascii_case(name))
}

impl Created for Team {
    type Body = TeamBody;
    fn create(a: &mut Account, body: TeamBody, _: &Call) -> ApiResult<Self> {
        let body = body.check()?;
        let name = body.name.unwrap_or_default();
        if name_taken(a, &name, None) {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        Ok(Team {
            id: a.new_id(),
            name,
            description: body.description.unwrap_or_default(),
            default_role: body.default_role.unwrap_or_else(|| "manager".into()),
        })
    }
}

impl Updated for Team {
    type Patch = TeamBody;
    fn update(a: &mut Account, t: &mut Self, body: TeamBody, _: &Call) -> ApiResult<()> {
        let body = body.check()?;
        let name = body.name.unwrap_or_default();
        if name_taken(a, &name, Some(&t.id)) {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        t.name = name;
        if let Some(d) = body.description {
            t.description = d;
        }
        if let Some(r) = body.default_role {
            t.default_role = r;
        }
        Ok(())
    }
}

/// Fails while services, escalation policies or schedules belong to the team,
/// as PagerDuty does; open incidents move to `reassignment_team` or lose the team.
impl Deleted for Team {
    fn delete(a: &mut Account, idx: usize, call: &Call) -> ApiResult<()> {
        let id = a.teams[idx].id.clone();
        let to = call
            .params
            .get("reassignment_team")
            .filter(|t| !t.is_empty());
        if let Some(to) = to
            && (to == id || a.team(to).is_none())
        {
            return Err(ApiError::invalid(format!(
                "reassignment_team {to} is not another team of this account"
            )));
        }
        let used: Vec<String> = [
            (
                a.services
                    .iter()
                    .filter(|s| s.team_ids.contains(&id))
                    .count(),
                "service(s)",
            ),
            (
                a.escalation_policies
                    .iter()
                    .filter(|e| e.team_ids.contains(&id))
                    .count(),
                "escalation policy(ies)",
            ),
            (
                a.schedules
                    .iter()
                    .filter(|s| s.team_ids.contains(&id))
                    .count(),
                "schedule(s)",
            ),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !used.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                2001,
                format!(
                    "The team cannot be deleted while it has associated {}; move them to another team first",
                    used.join(", ")
                ),
            ));
        }
        a.teams.remove(idx);
        a.memberships.retain(|m| m.team_id != id);
        for inc in a.incidents.iter_mut().filter(|i| i.is_open()) {
            if inc.team_ids.contains(&id) {
                inc.team_ids.retain(|t| *t != id);
                if let Some(to) = to
                    && !inc.team_ids.iter().any(|t| t == to)
                {
                    inc.team_ids.push(to.to_string());
                }
            }
        }
        Ok(())
    }
}

/// Adds a user to a team, or changes their team role.
pub async fn put_user(
    ctx: Ctx,
    Path((id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    // The body is optional: `{"role": …}` or nothing.
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::invalid(format!("Malformed JSON: {e}")))?
    };
    let role = match body.get("role") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .filter(|r| TEAM_ROLES.contains(r))
                .ok_or_else(|| ApiError::invalid("role must be observer, responder or manager"))?
                .to_string(),
        ),
    };
    ctx.write(|a| {
        find(&a.teams, &id, |t| &t.id)?;
        find(&a.users, &user_id, |u| &u.id)?;
        match a
            .memberships
            .iter_mut()
            .find(|m| m.team_id == id && m.user_id == user_id)
        {
            Some(m) => {
                if let Some(r) = role {
                    m.role = r;
                }
            }
            None => a.memberships.push(Membership {
                team_id: id.clone(),
                user_id: user_id.clone(),
                role: role.unwrap_or_else(|| "manager".into()),
            }),
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

pub async fn delete_user(
    ctx: Ctx,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    ctx.write(|a| {
        find(&a.teams, &id, |t| &t.id)?;
        let before = a.memberships.len();
        a.memberships
            .retain(|m| !(m.team_id == id && m.user_id == user_id));
        if a.memberships.len() == before {
            return Err(ApiError::not_found()
                .with_errors(vec![format!("User {user_id} is not a member of team {id}")]));
        }
        Ok(StatusCode::NO_CONTENT)
    })
}
