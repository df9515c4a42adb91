//! Teams and their members.

use reqwest::Method;
use serde::Serialize;
use serde_json::json;

use super::set;
use crate::ids::{TeamId, UserId};
use crate::models::{Team, TeamDefaultRole, TeamMember, TeamRole};
use crate::{Client, Page, Result, Window};

/// The writable fields of a team; unset fields are left out (kept on update).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TeamFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The team's name.
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// What it is for.
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The role new members get.
    pub default_role: Option<TeamDefaultRole>,
}

impl super::Fields for TeamFields {
    type Object = Team;

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn body(&self) -> serde_json::Value {
        let mut team = json!(self);
        set(&mut team, "type", json!("team"));
        team
    }
}

impl Client {
    /// Teams sorted by name; `query` matches part of the name.
    pub async fn list_teams(&self, query: Option<&str>, window: Window) -> Result<Page<Team>> {
        self.list_by::<Team>(&json!({"query": query}), window).await
    }

    /// The team's members with their team roles.
    pub async fn list_team_members(&self, id: &TeamId, window: Window) -> Result<Page<TeamMember>> {
        self.nested::<Team>(Method::GET, id, &["members"])
            .list("members", window)
            .await
    }

    /// Deletes a team; PagerDuty refuses while services, policies or schedules belong to it.
    pub async fn delete_team(&self, id: &TeamId) -> Result<()> {
        self.delete::<Team>(id).await
    }

    /// Adds a user to a team, or changes their role if they are a member already.
    pub async fn add_team_member(
        &self,
        team: &TeamId,
        user: &UserId,
        role: Option<TeamRole>,
    ) -> Result<()> {
        let call = self
            .nested::<Team>(Method::PUT, team, &["users", user.as_str()])
            .subject(format!("user {user} on team {team}"));
        let call = match role {
            Some(r) => call.json(&json!({ "role": r }))?,
            None => call,
        };
        call.send_empty().await
    }

    /// `DELETE /teams/{id}/users/{user_id}`.
    pub async fn remove_team_member(&self, team: &TeamId, user: &UserId) -> Result<()> {
        self.nested::<Team>(Method::DELETE, team, &["users", user.as_str()])
            .subject(format!("user {user} on team {team}"))
            .send_empty()
            .await
    }
}
