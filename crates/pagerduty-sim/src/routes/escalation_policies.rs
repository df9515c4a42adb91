//! Escalation policies: `/escalation_policies`, `/escalation_policies/{id}`.

use axum::{Json, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use super::{Ctx, PdJson, by_id, paginated, position, read, renderer, req_str, write};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::render::Render;
use crate::store::{Account, EscalationPolicy, EscalationRule, Target};

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

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
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

by_id!(
    crate::store::EscalationPolicy,
    "escalation_policy",
    escalation_policies,
    Some(INCLUDES),
    |r, x| r.escalation_policy(x)
);

/// Reads the whole policy a create or update sends (PagerDuty's `EscalationPolicy` requires
/// `type`, `name` and `escalation_rules` on both) into `ep`, checking what PagerDuty checks.
fn policy_fields(a: &mut Account, body: &Value, ep: &mut EscalationPolicy) -> ApiResult<()> {
    let p = body
        .get("escalation_policy")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("escalation_policy is required"))?;
    if p.get("type").and_then(Value::as_str) != Some("escalation_policy") {
        return Err(ApiError::invalid(
            "escalation_policy.type must be 'escalation_policy'",
        ));
    }
    let name = req_str(p, "name", "escalation_policy.")?.trim().to_string();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(ApiError::invalid("Name must be 1 to 255 characters"));
    }
    if a.escalation_policies
        .iter()
        .any(|e| e.id != ep.id && e.name.eq_ignore_ascii_case(&name))
    {
        return Err(ApiError::invalid("Name has already been taken"));
    }
    let rules = p
        .get("escalation_rules")
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::invalid("Escalation rules must have at least one rule"))?;
    let mut parsed = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let delay = rule
            .get("escalation_delay_in_minutes")
            .and_then(Value::as_i64)
            .filter(|d| *d >= 1)
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "escalation_rules[{i}].escalation_delay_in_minutes must be a whole number of minutes, at least 1"
                ))
            })?;
        let targets = rule
            .get("targets")
            .and_then(Value::as_array)
            .filter(|t| (1..=10).contains(&t.len()))
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "escalation_rules[{i}].targets must hold 1 to 10 targets"
                ))
            })?;
        let mut ts = Vec::with_capacity(targets.len());
        for t in targets {
            let id = t.get("id").and_then(Value::as_str).unwrap_or_default();
            let target = match t.get("type").and_then(Value::as_str) {
                Some("user_reference" | "user") if a.user(id).is_some() => Target::User(id.into()),
                Some("schedule_reference" | "schedule") if a.schedule(id).is_some() => {
                    Target::Schedule(id.into())
                }
                Some("user_reference" | "user" | "schedule_reference" | "schedule") => {
                    return Err(ApiError::invalid(format!(
                        "escalation_rules[{i}].targets: {id} not found"
                    )));
                }
                _ => {
                    return Err(ApiError::invalid(format!(
                        "escalation_rules[{i}].targets[].type must be user_reference or schedule_reference"
                    )));
                }
            };
            ts.push(target);
        }
        let round_robin = match rule.get("escalation_rule_assignment_strategy") {
            None | Some(Value::Null) => false,
            Some(v) => match v.as_str().or_else(|| v.get("type").and_then(Value::as_str)) {
                Some("round_robin") => true,
                Some("assign_to_everyone") => false,
                _ => {
                    return Err(ApiError::invalid(format!(
                        "escalation_rules[{i}].escalation_rule_assignment_strategy must be round_robin or assign_to_everyone"
                    )));
                }
            },
        };
        parsed.push((delay, ts, round_robin));
    }
    let num_loops = match p.get("num_loops") {
        None | Some(Value::Null) => ep.num_loops,
        Some(v) => v
            .as_i64()
            .filter(|n| (0..=9).contains(n))
            .ok_or_else(|| ApiError::invalid("num_loops must be 0 to 9"))?,
    };
    let team_ids = match p.get("teams") {
        None | Some(Value::Null) => ep.team_ids.clone(),
        Some(v) => {
            let ids: Vec<String> = v
                .as_array()
                .ok_or_else(|| ApiError::invalid("teams must be a list of team references"))?
                .iter()
                .map(|t| {
                    t.get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                })
                .collect();
            if ids.len() > 1 {
                return Err(ApiError::invalid(
                    "Only one team may be associated with the policy",
                ));
            }
            if let Some(t) = ids.iter().find(|t| a.team(t).is_none()) {
                return Err(ApiError::invalid(format!("Team {t} not found")));
            }
            ids
        }
    };
    if let Some(d) = p.get("description").and_then(Value::as_str) {
        ep.description = d.to_string();
    }
    ep.name = name;
    ep.num_loops = num_loops;
    ep.team_ids = team_ids;
    ep.rules = parsed
        .into_iter()
        .map(|(delay, targets, round_robin)| EscalationRule {
            id: a.new_id(),
            delay_minutes: delay,
            targets,
            round_robin,
        })
        .collect();
    Ok(())
}

pub async fn create(
    Ctx { st, caller: c }: Ctx,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    write(&st, &c, |a| {
        let mut ep = EscalationPolicy {
            id: a.new_id(),
            name: String::new(),
            description: String::new(),
            num_loops: 0,
            rules: Vec::new(),
            team_ids: Vec::new(),
        };
        policy_fields(a, &body, &mut ep)?;
        a.escalation_policies.push(ep.clone());
        Ok((
            StatusCode::CREATED,
            Json(json!({ "escalation_policy": Render::new(a).escalation_policy(&ep) })),
        ))
    })
}

pub async fn update(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    write(&st, &c, |a| {
        let idx = position(&a.escalation_policies, &id, |e| &e.id)?;
        let mut ep = a.escalation_policies[idx].clone();
        policy_fields(a, &body, &mut ep)?;
        a.escalation_policies[idx] = ep.clone();
        Ok(Json(
            json!({ "escalation_policy": Render::new(a).escalation_policy(&ep) }),
        ))
    })
}
