//! Escalation policies: `/escalation_policies`, `/escalation_policies/{id}`.

use axum::{
    Extension, Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::{Who, find, paginated, read, renderer};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::store::{Account, EscalationPolicy, Target};

const INCLUDES: &[&str] = &[
    "services",
    "teams",
    "targets",
    "escalation_rule_assignment_strategies",
];

/// Whether the user is a target, directly or through a schedule layer.
fn targets_user(a: &Account, ep: &EscalationPolicy, user: &str) -> bool {
    ep.rules.iter().flat_map(|r| &r.targets).any(|t| match t {
        Target::User(u) => u == user,
        Target::Schedule(s) => crate::schedule::names_user(a, s, user),
    })
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let users = p.set("user_ids[]");
        let teams = p.set("team_ids[]");
        match p.get("sort_by") {
            None | Some("name") | Some("name:asc") | Some("name:desc") => {}
            Some(other) => return Err(ApiError::invalid(format!("sort_by '{other}' is invalid"))),
        }
        let mut eps: Vec<_> = a
            .escalation_policies
            .iter()
            .filter(|e| matches_query(p.get("query"), &[&e.name]))
            .filter(|e| users.is_empty() || users.iter().any(|u| targets_user(a, e, u)))
            .filter(|e| teams.is_empty() || e.team_ids.iter().any(|t| teams.contains(t)))
            .collect();
        eps.sort_by(|x, y| x.name.cmp(&y.name));
        if p.get("sort_by") == Some("name:desc") {
            eps.reverse();
        }
        paginated(
            &p,
            "escalation_policies",
            eps.into_iter().map(|e| r.escalation_policy(e)).collect(),
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
            json!({ "escalation_policy": r.escalation_policy(find(&a.escalation_policies, &id, |e| &e.id)?) }),
        ))
    })
}
