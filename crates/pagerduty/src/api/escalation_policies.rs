use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{references, set, set_some};

use crate::ids::{ScheduleId, TeamId, UserId};
use crate::models::{EscalationPolicy, RuleAssignment};

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /escalation_policies`.
pub struct EscalationPolicyQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// Policies that target these users.
    pub user_ids: Vec<UserId>,
    /// Only these teams' policies.
    pub team_ids: Vec<TeamId>,
    /// Expand references: `services`, `teams`, `targets`.
    pub include: Vec<String>,
}

/// A policy's fields as `POST /escalation_policies` and `PUT /escalation_policies/{id}` take
/// them: both want the whole policy (name and rules included).
#[derive(Clone, Debug, Serialize)]
pub struct EscalationPolicyBody {
    /// The policy's name.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// What it is for.
    pub description: Option<String>,
    /// Its levels, first first.
    pub escalation_rules: Vec<NewEscalationRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// How many times the levels repeat when nobody acknowledges.
    pub num_loops: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// When hand-off notifications go out.
    pub on_call_handoff_notifications: Option<HandoffNotifications>,
    /// At most one team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<TeamId>>,
}

/// One level: after `escalation_delay_in_minutes`, its targets are notified.
#[derive(Clone, Debug, Serialize)]
pub struct NewEscalationRule {
    /// Minutes before the next level is notified.
    pub escalation_delay_in_minutes: u32,
    /// 1-10 users or schedules.
    pub targets: Vec<EscalationTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Who in the level is assigned.
    pub escalation_rule_assignment_strategy: Option<RuleAssignment>,
}

/// A user or schedule a rule notifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscalationTarget {
    /// A user.
    User(UserId),
    /// A schedule: whoever is on call in it.
    Schedule(ScheduleId),
}

impl Serialize for EscalationTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (id, kind) = match self {
            Self::User(id) => (id.as_str(), "user_reference"),
            Self::Schedule(id) => (id.as_str(), "schedule_reference"),
        };
        json!({"id": id, "type": kind}).serialize(s)
    }
}

/// When on-call hand-off notifications go out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum HandoffNotifications {
    /// Only when the policy is used by a service (the default).
    IfHasServices,
    Always,
}

impl super::Fields for EscalationPolicyBody {
    type Object = EscalationPolicy;

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn body(&self) -> serde_json::Value {
        let mut policy = json!(self);
        set(&mut policy, "type", json!("escalation_policy"));
        let teams = self.teams.as_ref();
        set_some(
            &mut policy,
            "teams",
            teams.map(|t| references(t, "team_reference")),
        );
        policy
    }
}
