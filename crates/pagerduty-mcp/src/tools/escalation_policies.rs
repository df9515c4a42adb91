//! Escalation policies: who is notified, in which order.

use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::ids::{EscalationPolicyId, TeamId, UserId};
use pagerduty::models::EscalationPolicy;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

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
    /// Max results, 1-1000; default 100.
    limit: Option<u32>,
    /// Skip this many results (from next_offset).
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetPolicyArgs {
    policy_id: EscalationPolicyId,
}

pub fn tools() -> Vec<ToolDef> {
    vec![
        tool(
            Meta {
                name: "list_escalation_policies",
                title: "List escalation policies",
                domain: Domain::EscalationPolicies,
                access: Access::Read,
                description: "Find escalation policies by name, team or the users they notify, with their levels and targets.",
            },
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
                Ok(Listing::<EscalationPolicy>::from(
                    ctx.pd.list_escalation_policies(&q, w).await?,
                ))
            },
        ),
        tool(
            Meta {
                name: "get_escalation_policy",
                title: "Get escalation policy",
                domain: Domain::EscalationPolicies,
                access: Access::Read,
                description: "One escalation policy by id: each level's delay and targets (users, schedules), loops, services.",
            },
            |ctx: Ctx, a: GetPolicyArgs| async move {
                Ok::<EscalationPolicy, _>(ctx.pd.get_escalation_policy(&a.policy_id).await?)
            },
        ),
    ]
}
