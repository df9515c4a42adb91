use serde::{Deserialize, Serialize};

use super::Reference;
use crate::ids::TeamId;

/// Whether non-members can see and act on a team's objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum TeamDefaultRole {
    /// Public team.
    Manager,
    /// Private team.
    None,
}

/// A member's role on a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    Observer,
    Responder,
    Manager,
}

impl TeamRole {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Observer => "observer",
            Self::Responder => "responder",
            Self::Manager => "manager",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Team {
    pub id: TeamId,
    pub name: String,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// manager: public; none: private.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_role: Option<TeamDefaultRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Reference>,
}

/// A user on a team, with their team role.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct TeamMember {
    pub user: Reference,
    pub role: TeamRole,
}
