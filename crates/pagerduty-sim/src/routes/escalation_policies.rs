//! Escalation policies: `/escalation_policies`, `/escalation_policies/{id}`.

use serde::Deserialize;

use super::{Call, Created, Listed, Ref, Updated, by_id, check_type, named_in_teams, required};
use crate::error::{ApiError, ApiResult};
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

impl Listed for EscalationPolicy {
    const COLLECTION: &'static str = "escalation_policies";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let p = call.params;
        let users = p.set("user_ids[]");
        match p.get("sort_by") {
            None | Some("name") | Some("name:asc") | Some("name:desc") => {}
            Some(other) => return Err(ApiError::invalid(format!("sort_by '{other}' is invalid"))),
        }
        let mut eps = named_in_teams(&a.escalation_policies, p, |e| &e.name, |e| &e.team_ids);
        eps.retain(|e| users.is_empty() || users.iter().any(|u| targets_user(a, e, u)));
        if p.get("sort_by") == Some("name:desc") {
            eps.reverse();
        }
        Ok(eps)
    }
}

by_id!(
    EscalationPolicy,
    "escalation_policy",
    escalation_policies,
    Some(INCLUDES),
    |r, x| r.escalation_policy(x)
);

/// The whole policy a create or update sends (PagerDuty's `EscalationPolicy` requires
/// `type`, `name` and `escalation_rules` on both).
#[derive(Deserialize)]
pub struct PolicyBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    escalation_rules: Vec<RuleBody>,
    num_loops: Option<i64>,
    teams: Option<Vec<Ref>>,
}

#[derive(Deserialize)]
struct RuleBody {
    escalation_delay_in_minutes: Option<i64>,
    #[serde(default)]
    targets: Vec<TargetBody>,
    escalation_rule_assignment_strategy: Option<Strategy>,
}

#[derive(Deserialize)]
struct TargetBody {
    #[serde(default)]
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Given as `"round_robin"` or as `{"type": "round_robin"}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Strategy {
    Name(String),
    Typed {
        #[serde(rename = "type")]
        kind: String,
    },
}

/// Checks the policy the way PagerDuty does and applies it to `ep`.
fn apply(a: &mut Account, ep: &mut EscalationPolicy, p: PolicyBody) -> ApiResult<()> {
    check_type(p.kind.as_deref(), "escalation_policy", true)?;
    let name = required(p.name, "escalation_policy", "name")?;
    if name.chars().count() > 255 {
        return Err(ApiError::invalid("Name must be 1 to 255 characters"));
    }
    if a.escalation_policies
        .iter()
        .any(|e| e.id != ep.id && e.name.eq_ignore_ascii_case(&name))
    {
        return Err(ApiError::invalid("Name has already been taken"));
    }
    if p.escalation_rules.is_empty() {
        return Err(ApiError::invalid(
            "Escalation rules must have at least one rule",
        ));
    }
    let mut parsed = Vec::with_capacity(p.escalation_rules.len());
    for (i, rule) in p.escalation_rules.into_iter().enumerate() {
        let delay = rule
            .escalation_delay_in_minutes
            .filter(|d| *d >= 1)
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "escalation_rules[{i}].escalation_delay_in_minutes must be a whole number of minutes, at least 1"
                ))
            })?;
        if !(1..=10).contains(&rule.targets.len()) {
            return Err(ApiError::invalid(format!(
                "escalation_rules[{i}].targets must hold 1 to 10 targets"
            )));
        }
        let mut ts = Vec::with_capacity(rule.targets.len());
        for TargetBody { id, kind } in rule.targets {
            let target = match kind.as_deref() {
                Some("user_reference" | "user") if a.user(&id).is_some() => Target::User(id),
                Some("schedule_reference" | "schedule") if a.schedule(&id).is_some() => {
                    Target::Schedule(id)
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
        let round_robin = match rule.escalation_rule_assignment_strategy {
            None => false,
            Some(Strategy::Name(k) | Strategy::Typed { kind: k }) => match k.as_str() {
                "round_robin" => true,
                "assign_to_everyone" => false,
                _ => {
                    return Err(ApiError::invalid(format!(
                        "escalation_rules[{i}].escalation_rule_assignment_strategy must be round_robin or assign_to_everyone"
                    )));
                }
            },
        };
        parsed.push((delay, ts, round_robin));
    }
    if let Some(n) = p.num_loops {
        if !(0..=9).contains(&n) {
            return Err(ApiError::invalid("num_loops must be 0 to 9"));
        }
        ep.num_loops = n;
    }
    if let Some(teams) = p.teams {
        let ids: Vec<String> = teams.into_iter().map(|t| t.id).collect();
        if ids.len() > 1 {
            return Err(ApiError::invalid(
                "Only one team may be associated with the policy",
            ));
        }
        if let Some(t) = ids.iter().find(|t| a.team(t).is_none()) {
            return Err(ApiError::invalid(format!("Team {t} not found")));
        }
        ep.team_ids = ids;
    }
    if let Some(d) = p.description {
        ep.description = d;
    }
    ep.name = name;
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

impl Created for EscalationPolicy {
    type Body = PolicyBody;
    fn create(a: &mut Account, body: PolicyBody, _: &Call) -> ApiResult<Self> {
        let mut ep = EscalationPolicy {
            id: a.new_id(),
            ..EscalationPolicy::default()
        };
        apply(a, &mut ep, body)?;
        Ok(ep)
    }
}

impl Updated for EscalationPolicy {
    type Patch = PolicyBody;
    fn update(a: &mut Account, ep: &mut Self, body: PolicyBody, _: &Call) -> ApiResult<()> {
        apply(a, ep, body)
    }
}
