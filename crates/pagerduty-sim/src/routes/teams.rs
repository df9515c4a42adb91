//! Teams: `/teams`, `/teams/{id}`, `/teams/{id}/members`.

use axum::{Json, body::Bytes, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use super::{Ctx, PdJson, by_id, find, paginated, position, read, renderer, req_str, write};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::render::Render;
use crate::store::{Account, Membership, Team};

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
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

by_id!(
    crate::store::Team,
    "team",
    teams,
    Some(&["privileges"]),
    |r, x| r.team(x)
);

pub async fn members(
    Ctx { st, caller: c }: Ctx,
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

// ---------- writes ----------

const TEAM_ROLES: &[&str] = &["observer", "responder", "manager"];
const DEFAULT_ROLES: &[&str] = &["manager", "none"];

/// Validated `{team: {name, description, default_role}}`; `create` requires a name.
fn team_fields(
    body: &Value,
    create: bool,
) -> ApiResult<(Option<String>, Option<String>, Option<String>)> {
    let team = body
        .get("team")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("team is required"))?;
    if let Some(t) = team.get("type").and_then(Value::as_str)
        && t != "team"
    {
        return Err(ApiError::invalid("team.type must be 'team'"));
    }
    let name = match team.get("name") {
        None if !create => None,
        _ => {
            let n = req_str(team, "name", "team.")?.trim().to_string();
            if n.chars().count() > 100 {
                return Err(ApiError::invalid(
                    "Name is too long (maximum is 100 characters)",
                ));
            }
            Some(n)
        }
    };
    let description = match team.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if d.chars().count() <= 1024 => Some(d.clone()),
        Some(Value::String(_)) => {
            return Err(ApiError::invalid(
                "Description is too long (maximum is 1024 characters)",
            ));
        }
        Some(_) => return Err(ApiError::invalid("team.description must be a string")),
    };
    let default_role = match team.get("default_role") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .filter(|r| DEFAULT_ROLES.contains(r))
                .ok_or_else(|| ApiError::invalid("team.default_role must be manager or none"))?
                .to_string(),
        ),
    };
    Ok((name, description, default_role))
}

fn name_taken(a: &Account, name: &str, except: Option<&str>) -> bool {
    a.teams
        .iter()
        .any(|t| Some(t.id.as_str()) != except && t.name.eq_ignore_ascii_case(name))
}

pub async fn create(
    Ctx { st, caller: c }: Ctx,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (name, description, default_role) = team_fields(&body, true)?;
    let name = name.unwrap_or_default();
    write(&st, &c, |a| {
        if name_taken(a, &name, None) {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        let team = Team {
            id: a.new_id(),
            name,
            description: description.unwrap_or_default(),
            default_role: default_role.unwrap_or_else(|| "manager".into()),
        };
        a.teams.push(team.clone());
        Ok((
            StatusCode::CREATED,
            Json(json!({ "team": Render::new(a).team(&team) })),
        ))
    })
}

pub async fn update(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    let (name, description, default_role) = team_fields(&body, false)?;
    // The spec's TeamUpdate requires the name on every update.
    if name.is_none() {
        return Err(ApiError::invalid("team.name is required"));
    }
    write(&st, &c, |a| {
        let idx = position(&a.teams, &id, |t| &t.id)?;
        if let Some(n) = &name
            && name_taken(a, n, Some(&id))
        {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        let t = &mut a.teams[idx];
        if let Some(n) = name {
            t.name = n;
        }
        if let Some(d) = description {
            t.description = d;
        }
        if let Some(r) = default_role {
            t.default_role = r;
        }
        let t = t.clone();
        Ok(Json(json!({ "team": Render::new(a).team(&t) })))
    })
}

/// Fails while services, escalation policies or schedules belong to the team,
/// as PagerDuty does; open incidents move to `reassignment_team` or lose the team.
pub async fn delete(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<StatusCode> {
    let to = p.get("reassignment_team").filter(|t| !t.is_empty());
    write(&st, &c, |a| {
        find(&a.teams, &id, |t| &t.id)?;
        if let Some(to) = to
            && (to == id || a.team(to).is_none())
        {
            return Err(ApiError::invalid(format!(
                "reassignment_team {to} is not another team of this account"
            )));
        }
        let mut used = Vec::new();
        let n = a
            .services
            .iter()
            .filter(|s| s.team_ids.contains(&id))
            .count();
        if n > 0 {
            used.push(format!("{n} service(s)"));
        }
        let n = a
            .escalation_policies
            .iter()
            .filter(|e| e.team_ids.contains(&id))
            .count();
        if n > 0 {
            used.push(format!("{n} escalation policy(ies)"));
        }
        let n = a
            .schedules
            .iter()
            .filter(|s| s.team_ids.contains(&id))
            .count();
        if n > 0 {
            used.push(format!("{n} schedule(s)"));
        }
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
        a.teams.retain(|t| t.id != id);
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
        Ok(StatusCode::NO_CONTENT)
    })
}

/// Adds a user to a team, or changes their team role.
pub async fn put_user(
    Ctx { st, caller: c }: Ctx,
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
    write(&st, &c, |a| {
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
    Ctx { st, caller: c }: Ctx,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    write(&st, &c, |a| {
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
