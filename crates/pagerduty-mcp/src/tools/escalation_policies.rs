//! Escalation policies: who is notified, in which order.

use pagerduty::api::escalation_policies::{
    EscalationPolicyBody, EscalationPolicyQuery, EscalationTarget, HandoffNotifications,
    NewEscalationRule,
};
use pagerduty::ids::{EscalationPolicyId, ScheduleId, TeamId, UserId};
use pagerduty::models::{EscalationPolicy, RuleAssignment};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, ToolDef, Tools};

/// References to expand into full objects.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum PolicyInclude {
    Services,
    Teams,
    Targets,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListPoliciesArgs {
    /// Name contains this text.
    query: Option<String>,
    /// Policies that notify these users.
    user_ids: Option<Vec<UserId>>,
    team_ids: Option<Vec<TeamId>>,
    include: Option<Vec<PolicyInclude>>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetPolicyArgs {
    policy_id: EscalationPolicyId,
}

const ESCALATION_POLICIES: Tools = Tools(Domain::EscalationPolicies);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ESCALATION_POLICIES.read(
            "list_escalation_policies",
            "Find escalation policies by name, team or the users they notify, with their levels \
             and targets.",
            |ctx: Ctx, a: ListPoliciesArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let q = EscalationPolicyQuery {
                    query: a.query,
                    user_ids: a.user_ids.unwrap_or_default(),
                    team_ids: a.team_ids.unwrap_or_default(),
                    include: a
                        .include
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|i| serde_json::to_value(i).ok()?.as_str().map(str::to_owned))
                        .collect(),
                };
                Ok(Listing::<EscalationPolicy>::from(ctx.pd.list(&q, w).await?))
            },
        ),
        ESCALATION_POLICIES.get(
            "get_escalation_policy",
            "One escalation policy by id: each level's delay and targets (users, schedules), \
             loops, services.",
            |a: GetPolicyArgs| a.policy_id,
        ),
        ESCALATION_POLICIES.create(
            "create_escalation_policy",
            "Create an escalation policy: its levels in order, each with a delay in minutes and \
             1-10 users or schedules to notify, how often it repeats, and its team.",
            create_policy,
        ),
        ESCALATION_POLICIES.write(
            Access::Write {
                // It changes who is paged for every service using the policy.
                destructive: true,
                idempotent: true,
            },
            "update_escalation_policy",
            "Change an escalation policy's name, description, levels (given levels replace all \
             current ones), loops, hand-off notifications or team; unset fields are kept.",
            update_policy,
        ),
    ]
}

/// Who a level notifies.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum TargetKind {
    UserReference,
    ScheduleReference,
}

// A user or schedule reference; a `summary`, `self` or `html_url` beside it is ignored.
#[derive(Deserialize, JsonSchema)]
struct TargetArg {
    id: String,
    #[serde(rename = "type")]
    kind: TargetKind,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RuleArg {
    /// Read-only: PagerDuty gives each level a new id (accepted and ignored).
    #[allow(dead_code)]
    id: Option<String>,
    /// Minutes before an unacknowledged incident moves to the next level (at least 1).
    escalation_delay_in_minutes: u32,
    /// 1-10 users or schedules.
    targets: Vec<TargetArg>,
    /// assign_to_everyone (default) or round_robin.
    escalation_rule_assignment_strategy: Option<RuleAssignment>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewPolicy {
    name: String,
    description: Option<String>,
    /// The levels, in order (at least one).
    escalation_rules: Vec<RuleArg>,
    /// Times the levels repeat after the last one, 0-9; default 0.
    num_loops: Option<u32>,
    on_call_handoff_notifications: Option<HandoffNotifications>,
    /// At most one team.
    teams: Option<Vec<IdRef<TeamId>>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewPolicyData {
    escalation_policy: NewPolicy,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreatePolicyArgs {
    escalation_policy_data: NewPolicyData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PolicyChanges {
    name: Option<String>,
    description: Option<String>,
    /// Replaces all current levels.
    escalation_rules: Option<Vec<RuleArg>>,
    num_loops: Option<u32>,
    on_call_handoff_notifications: Option<HandoffNotifications>,
    /// At most one team; [] removes it.
    teams: Option<Vec<IdRef<TeamId>>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PolicyChangesData {
    escalation_policy: PolicyChanges,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdatePolicyArgs {
    policy_id: EscalationPolicyId,
    escalation_policy_data: PolicyChangesData,
}

const AT: &str = "escalation_policy_data.escalation_policy";

fn check_name(name: &str) -> Result<String, ToolError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 255 {
        return Err(ToolError::invalid(
            &format!("{AT}.name"),
            "must be 1 to 255 characters",
        ));
    }
    Ok(n.to_owned())
}

fn rules(given: Vec<RuleArg>) -> Result<Vec<NewEscalationRule>, ToolError> {
    if given.is_empty() {
        return Err(ToolError::invalid(
            &format!("{AT}.escalation_rules"),
            "give at least one level",
        ));
    }
    given
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let at = format!("{AT}.escalation_rules[{i}]");
            if r.escalation_delay_in_minutes == 0 {
                return Err(ToolError::invalid(
                    &format!("{at}.escalation_delay_in_minutes"),
                    "must be at least 1 minute",
                ));
            }
            if r.targets.is_empty() || r.targets.len() > 10 {
                return Err(ToolError::invalid(
                    &format!("{at}.targets"),
                    format!("give 1 to 10 users or schedules, got {}", r.targets.len()),
                ));
            }
            level(
                r.escalation_delay_in_minutes,
                r.escalation_rule_assignment_strategy,
                r.targets,
                |t| {
                    Ok(match t.kind {
                        TargetKind::UserReference => EscalationTarget::User(UserId::new(t.id)?),
                        TargetKind::ScheduleReference => {
                            EscalationTarget::Schedule(ScheduleId::new(t.id)?)
                        }
                    })
                },
            )
        })
        .collect()
}

/// One level to send, each of its targets converted by `target`.
fn level<T>(
    escalation_delay_in_minutes: u32,
    escalation_rule_assignment_strategy: Option<RuleAssignment>,
    targets: impl IntoIterator<Item = T>,
    target: impl FnMut(T) -> Result<EscalationTarget, ToolError>,
) -> Result<NewEscalationRule, ToolError> {
    Ok(NewEscalationRule {
        escalation_delay_in_minutes,
        targets: targets.into_iter().map(target).collect::<Result<_, _>>()?,
        escalation_rule_assignment_strategy,
    })
}

fn teams(given: Vec<IdRef<TeamId>>) -> Result<Vec<TeamId>, ToolError> {
    if given.len() > 1 {
        return Err(ToolError::invalid(
            &format!("{AT}.teams"),
            "PagerDuty allows at most one team per escalation policy",
        ));
    }
    Ok(given.into_iter().map(|t| t.id).collect())
}

fn loops(n: Option<u32>) -> Result<Option<u32>, ToolError> {
    match n {
        Some(n) if n > 9 => Err(ToolError::invalid(
            &format!("{AT}.num_loops"),
            "must be 0 to 9",
        )),
        n => Ok(n),
    }
}

async fn create_policy(ctx: Ctx, a: CreatePolicyArgs) -> Result<EscalationPolicy, ToolError> {
    let p = a.escalation_policy_data.escalation_policy;
    let body = EscalationPolicyBody {
        name: check_name(&p.name)?,
        description: p.description,
        escalation_rules: rules(p.escalation_rules)?,
        num_loops: loops(p.num_loops)?,
        on_call_handoff_notifications: p.on_call_handoff_notifications,
        teams: p.teams.map(teams).transpose()?,
    };
    Ok(ctx.pd.create(&body).await?)
}

/// The current levels in the shape a `PUT` sends back.
fn current_rules(p: &EscalationPolicy) -> Result<Vec<NewEscalationRule>, ToolError> {
    p.escalation_rules
        .iter()
        .map(|r| {
            level(
                r.escalation_delay_in_minutes,
                r.escalation_rule_assignment_strategy,
                &r.targets,
                |t| match t.kind.as_deref() {
                    Some("user_reference" | "user") => {
                        Ok(EscalationTarget::User(UserId::new(t.id.clone())?))
                    }
                    Some("schedule_reference" | "schedule") => {
                        Ok(EscalationTarget::Schedule(ScheduleId::new(t.id.clone())?))
                    }
                    other => Err(ToolError::Refused(format!(
                        "escalation policy {} has a target of type {} this server cannot send \
                         back unchanged; give escalation_rules in full",
                        p.id,
                        other.unwrap_or("(none)")
                    ))),
                },
            )
        })
        .collect()
}

/// `PUT /escalation_policies/{id}` takes the whole policy, so the current one is read and the
/// changes laid over it.
async fn update_policy(ctx: Ctx, a: UpdatePolicyArgs) -> Result<EscalationPolicy, ToolError> {
    let c = a.escalation_policy_data.escalation_policy;
    if c.name.is_none()
        && c.description.is_none()
        && c.escalation_rules.is_none()
        && c.num_loops.is_none()
        && c.on_call_handoff_notifications.is_none()
        && c.teams.is_none()
    {
        return Err(ToolError::invalid(
            AT,
            "nothing to change: set name, description, escalation_rules, num_loops, \
             on_call_handoff_notifications or teams",
        ));
    }
    let name = c.name.as_deref().map(check_name).transpose()?;
    let new_rules = c.escalation_rules.map(rules).transpose()?;
    let new_teams = c.teams.map(teams).transpose()?;
    let num_loops = loops(c.num_loops)?;
    let cur = ctx.pd.get(&a.policy_id).await?;
    let body = EscalationPolicyBody {
        name: name.unwrap_or_else(|| cur.name.clone()),
        description: c.description.or_else(|| cur.description.clone()),
        escalation_rules: match new_rules {
            Some(r) => r,
            None => current_rules(&cur)?,
        },
        num_loops: num_loops.or(Some(cur.num_loops)),
        on_call_handoff_notifications: c.on_call_handoff_notifications.or_else(|| {
            cur.on_call_handoff_notifications
                .as_deref()
                .and_then(|h| serde_json::from_value(serde_json::Value::from(h)).ok())
        }),
        teams: Some(match new_teams {
            Some(t) => t,
            None => cur
                .teams
                .iter()
                .map(|t| TeamId::new(t.id.clone()))
                .collect::<Result<_, _>>()?,
        }),
    };
    Ok(ctx.pd.update(&a.policy_id, &body).await?)
}
