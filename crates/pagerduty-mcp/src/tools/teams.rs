//! Teams: find them, see who is on them, and manage them and their members.

use futures::future::try_join_all;
use pagerduty::api::teams::TeamFields;
use pagerduty::ids::{TeamId, UserId};
use pagerduty::models::{Team, TeamDefaultRole, TeamMember, TeamRole};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::Done;
use crate::output::{Listing, MAX_LIMIT, window};
use crate::registry::{Domain, ToolDef, Tools};

const TEAMS: Tools = Tools(Domain::Teams);

pub fn tools() -> Vec<ToolDef> {
    vec![
        TEAMS.read(
            "list_teams",
            "Find teams by name, sorted by name; scope=my lists the current user's teams.",
            list_teams,
        ),
        TEAMS.get(
            "get_team",
            "One team by id: name, description, visibility (default_role).",
            |a: TeamArg| a.team_id,
        ),
        TEAMS.read(
            "list_team_members",
            "Who is on a team, with each member's team role (manager, responder, observer).",
            |ctx: Ctx, a: ListMembersArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                Ok(Listing::<TeamMember>::from(
                    ctx.pd.list_team_members(&a.team_id, w).await?,
                ))
            },
        ),
        TEAMS.create(
            "create_team",
            "Create a team. Team names are unique in an account.",
            |ctx: Ctx, a: CreateTeamArgs| async move {
                let t = a.create_model.team;
                let fields = team_fields(
                    "create_model.team",
                    Some(t.name),
                    t.description,
                    t.default_role,
                )?;
                Ok::<Team, _>(ctx.pd.create(&fields).await?)
            },
        ),
        TEAMS.update(
            "update_team",
            "Rename a team or change its description or visibility; unset fields are kept.",
            |ctx: Ctx, a: UpdateTeamArgs| async move {
                let t = a.update_model.team;
                let mut fields =
                    team_fields("update_model.team", t.name, t.description, t.default_role)?;
                if fields.name.is_none()
                    && fields.description.is_none()
                    && fields.default_role.is_none()
                {
                    return Err(ToolError::invalid(
                        "update_model.team",
                        "nothing to change: set name, description or default_role",
                    ));
                }
                if fields.name.is_none() {
                    // `PUT /teams/{id}` requires the name: send the current one.
                    fields.name = Some(ctx.pd.get(&a.team_id).await?.name);
                }
                Ok::<Team, _>(ctx.pd.update(&a.team_id, &fields).await?)
            },
        ),
        TEAMS.destroy(
            "delete_team",
            "Delete a team and its memberships. PagerDuty refuses while services, escalation \
             policies or schedules still belong to it.",
            |ctx: Ctx, a: TeamArg| async move {
                ctx.pd.delete_team(&a.team_id).await?;
                Ok(Done::new(format!("Team {} was deleted.", a.team_id)))
            },
        ),
        TEAMS.update(
            "add_team_member",
            "Add a user to a team, or change a member's team role. Returns the membership.",
            add_team_member,
        ),
        TEAMS.destroy(
            "remove_team_member",
            "Remove a user from a team; they lose the team role and its permissions.",
            |ctx: Ctx, a: RemoveMemberArgs| async move {
                ctx.pd.remove_team_member(&a.team_id, &a.user_id).await?;
                Ok(Done::new(format!(
                    "User {} was removed from team {}.",
                    a.user_id, a.team_id
                )))
            },
        ),
    ]
}

/// Whose teams.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Scope {
    All,
    My,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListTeamsArgs {
    /// all (default) or my (the current user's teams).
    scope: Option<Scope>,
    /// Name contains this text.
    query: Option<String>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

async fn list_teams(ctx: Ctx, a: ListTeamsArgs) -> Result<Listing<Team>, ToolError> {
    let w = window(a.limit, a.offset, 100)?;
    let query = a.query.filter(|q| !q.trim().is_empty());
    if a.scope != Some(Scope::My) {
        return Ok(ctx.pd.list_teams(query.as_deref(), w).await?.into());
    }
    // The current user's memberships, fresh (the cached user may predate a change).
    let me = ctx.current_user("scope=my").await?;
    let me = ctx.pd.get(&me.id).await?;
    let ids = me
        .teams
        .iter()
        .map(|t| TeamId::new(t.id.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut teams = try_join_all(ids.iter().map(|id| ctx.pd.get(id))).await?;
    if let Some(q) = &query {
        let q = q.to_lowercase();
        teams.retain(|t| t.name.to_lowercase().contains(&q));
    }
    teams.sort_by_key(|t| t.name.to_lowercase());
    let total = teams.len();
    let start = (w.offset as usize).min(total);
    let end = start.saturating_add(w.limit as usize).min(total);
    Ok(Listing {
        items: teams.drain(start..end).collect(),
        more: end < total,
        next_offset: (end < total).then_some(end as u32),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TeamArg {
    team_id: TeamId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListMembersArgs {
    team_id: TeamId,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewTeam {
    /// Unique, at most 100 characters.
    name: String,
    description: Option<String>,
    /// manager (default): public team; none: private team.
    default_role: Option<TeamDefaultRole>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewTeamModel {
    team: NewTeam,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateTeamArgs {
    create_model: NewTeamModel,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TeamChanges {
    name: Option<String>,
    description: Option<String>,
    /// manager: public team; none: private team.
    default_role: Option<TeamDefaultRole>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TeamChangesModel {
    team: TeamChanges,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateTeamArgs {
    team_id: TeamId,
    update_model: TeamChangesModel,
}

/// Checks the lengths PagerDuty enforces (name 1-100, description up to 1024 characters).
fn team_fields(
    at: &str,
    name: Option<String>,
    description: Option<String>,
    default_role: Option<TeamDefaultRole>,
) -> Result<TeamFields, ToolError> {
    if let Some(n) = &name {
        let len = n.trim().chars().count();
        if len == 0 || len > 100 {
            return Err(ToolError::invalid(
                &format!("{at}.name"),
                format!("must be 1 to 100 characters, got {len}"),
            ));
        }
    }
    if let Some(d) = &description
        && d.chars().count() > 1024
    {
        return Err(ToolError::invalid(
            &format!("{at}.description"),
            "must be at most 1024 characters",
        ));
    }
    Ok(TeamFields {
        name: name.map(|n| n.trim().to_owned()),
        description,
        default_role,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MemberData {
    user_id: UserId,
    /// Team role; default manager for a new member, unchanged for an existing one.
    role: Option<TeamRole>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddMemberArgs {
    team_id: TeamId,
    member_data: MemberData,
}

async fn add_team_member(ctx: Ctx, a: AddMemberArgs) -> Result<TeamMember, ToolError> {
    let user = &a.member_data.user_id;
    ctx.pd
        .add_team_member(&a.team_id, user, a.member_data.role)
        .await?;
    let members = ctx
        .pd
        .list_team_members(
            &a.team_id,
            pagerduty::Window {
                offset: 0,
                limit: MAX_LIMIT,
            },
        )
        .await?;
    members
        .items
        .into_iter()
        .find(|m| m.user.id == user.as_str())
        .ok_or_else(|| {
            ToolError::Internal(format!(
                "PagerDuty accepted adding {user} to team {}, but the team does not list them",
                a.team_id
            ))
        })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RemoveMemberArgs {
    team_id: TeamId,
    user_id: UserId,
}
