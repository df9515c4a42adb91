use serde::{Deserialize, Serialize};

use super::Reference;
use crate::ids::EscalationPolicyId;

/// Who is notified, in which order, when an incident on its services is not acknowledged.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct EscalationPolicy {
    pub id: EscalationPolicyId,
    pub name: String,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many times the rules repeat before the incident stops escalating.
    #[serde(default)]
    pub num_loops: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call_handoff_notifications: Option<String>,
    pub escalation_rules: Vec<EscalationRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
}

/// One level of a policy.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct EscalationRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub escalation_delay_in_minutes: u32,
    /// Users and schedules notified at this level.
    pub targets: Vec<Reference>,
    /// Whether everyone at this level is assigned, or one target in turn.
    #[serde(
        default,
        deserialize_with = "super::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub escalation_rule_assignment_strategy: Option<RuleAssignment>,
}

/// How a rule assigns an incident to its targets. PagerDuty's schema says a string, its
/// examples an object `{"type": …}`; both are read, a string is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum RuleAssignment {
    AssignToEveryone,
    RoundRobin,
}

impl<'de> Deserialize<'de> for RuleAssignment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            AssignToEveryone,
            RoundRobin,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Name(Kind),
            Object {
                #[serde(rename = "type")]
                kind: Kind,
            },
        }
        let kind = match Shape::deserialize(d)? {
            Shape::Name(k) | Shape::Object { kind: k } => k,
        };
        Ok(match kind {
            Kind::AssignToEveryone => Self::AssignToEveryone,
            Kind::RoundRobin => Self::RoundRobin,
        })
    }
}
