//! Incidents: list, inspect, create, act on, annotate, and call for help.

use pagerduty::api::incidents::{IncidentQuery, IncidentUpdate, NewIncident};
use pagerduty::ids::{IncidentId, PriorityId, ServiceId, TeamId, UserId};
use pagerduty::models::{
    Incident, IncidentStatus, Note, Reference, ResponderRequest, Time, Urgency,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, ToolDef, Tools};

const INCIDENTS: Tools = Tools(Domain::Incidents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENTS.read(
            "list_incidents",
            "Find incidents by status, urgency, priority, service, team and time range (default: \
             the last 30 days), newest first. Use request_scope=assigned for 'my incidents'. \
             Returns `more`/`next_offset` for paging.",
            list_incidents,
        ),
        INCIDENTS.read(
            "get_incident",
            "One incident by id (e.g. Q1ABC…) or incident number: status, urgency, priority, \
             service, assignees, acknowledgements, responders, alert counts.",
            get_incident,
        ),
        INCIDENTS.read(
            "list_incident_notes",
            "The notes responders added to an incident, oldest first, with author and time.",
            |ctx: Ctx, a: IncidentArg| async move {
                Ok(Listing::<Note>::all(
                    ctx.pd.list_incident_notes(&a.incident_id).await?,
                ))
            },
        ),
        INCIDENTS.write(
            Access::Write {
                destructive: true, // it pages the service's on-call responders
                idempotent: false,
            },
            "create_incident",
            "Open a new incident on a service; this notifies (pages) its on-call responders.",
            create_incident,
        ),
        INCIDENTS
            .update(
                "manage_incidents",
                "Acknowledge or resolve incidents, change their urgency, reassign them to a user, \
                 or escalate them to a level, in one request for up to 250 incidents.",
                manage_incidents,
            )
            .titled("Acknowledge, resolve or change incidents")
            .confirm_if(resolves),
        INCIDENTS
            .create(
                "add_note_to_incident",
                "Add a note to an incident's timeline (findings, actions taken, hand-over).",
                |ctx: Ctx, a: AddNoteArgs| async move {
                    if a.note.trim().is_empty() {
                        return Err(ToolError::invalid("note", "must not be empty"));
                    }
                    Ok::<Note, _>(ctx.pd.add_incident_note(&a.incident_id, &a.note).await?)
                },
            )
            .titled("Add incident note"),
        INCIDENTS
            .create(
                "add_responders",
                "Ask users or escalation policies to join an incident response, with a message; \
                 they are notified. The request is made in the current user's name.",
                add_responders,
            )
            .titled("Request responders"),
    ]
}

/// Whose incidents to list.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RequestScope {
    All,
    Assigned,
    Teams,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListIncidentsArgs {
    /// all (default), assigned (to me) or teams (my teams).
    request_scope: Option<RequestScope>,
    /// Only these statuses; default all.
    #[serde(alias = "status")]
    statuses: Option<Vec<IncidentStatus>>,
    /// Start of the range, RFC 3339 (e.g. 2026-11-01T00:00:00Z).
    since: Option<Time>,
    /// End of the range, RFC 3339.
    until: Option<Time>,
    urgencies: Option<Vec<Urgency>>,
    /// Priority ids (not names).
    #[serde(alias = "priority_ids")]
    priorities: Option<Vec<PriorityId>>,
    service_ids: Option<Vec<ServiceId>>,
    team_ids: Option<Vec<TeamId>>,
    /// Default 25.
    limit: Option<u32>,
    offset: Option<u32>,
}

async fn list_incidents(ctx: Ctx, a: ListIncidentsArgs) -> Result<IncidentList, ToolError> {
    let window = window(a.limit, a.offset, 25)?;
    let mut q = IncidentQuery {
        statuses: a.statuses.unwrap_or_default(),
        urgencies: a.urgencies.unwrap_or_default(),
        service_ids: a.service_ids.unwrap_or_default(),
        team_ids: a.team_ids.unwrap_or_default(),
        since: a.since,
        until: a.until,
        sort_by: Some("created_at:desc".into()),
        ..Default::default()
    };
    match a.request_scope.unwrap_or(RequestScope::All) {
        RequestScope::All => {}
        scope => {
            let me = ctx.current_user("request_scope").await?;
            if scope == RequestScope::Assigned {
                q.user_ids.push(me.id.clone());
            } else {
                if me.teams.is_empty() {
                    return Err(ToolError::Refused(format!(
                        "{} belongs to no team, so request_scope=teams matches nothing; use \
                         request_scope=all",
                        me.name
                    )));
                }
                for t in &me.teams {
                    q.team_ids.push(TeamId::new(t.id.clone())?);
                }
            }
        }
    }
    let priorities = a.priorities.unwrap_or_default();
    if priorities.is_empty() {
        return Ok(IncidentList {
            listing: ctx.pd.list(&q, window).await?.into(),
            priority_filter: None,
        });
    }
    by_priority(&ctx, &q, window, &priorities).await
}

/// The incidents of a listing, and how a priority filter was applied.
#[derive(Serialize, JsonSchema)]
struct IncidentList {
    #[serde(flatten)]
    listing: Listing<Incident>,
    /// Set when filtering by priority: PagerDuty's `GET /incidents` declares no priority
    /// filter, so this server applies it.
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_filter: Option<String>,
}

/// Pages read at most for one priority-filtered answer: 1000 incidents, newest first.
const PRIORITY_SCAN_PAGES: u32 = 10;

/// `GET /incidents` declares no priority filter (PagerDuty could ignore one silently), so the
/// pages are read in order and filtered here until `window` is filled, for at most
/// [`PRIORITY_SCAN_PAGES`] pages. `offset` and `next_offset` count filtered incidents, as they
/// would if PagerDuty filtered.
async fn by_priority(
    ctx: &Ctx,
    q: &IncidentQuery,
    window: pagerduty::Window,
    priorities: &[PriorityId],
) -> Result<IncidentList, ToolError> {
    let wanted = |i: &Incident| {
        i.priority
            .as_ref()
            .is_some_and(|p| priorities.iter().any(|id| id.as_str() == p.id))
    };
    let need = (window.offset + window.limit) as usize;
    let mut matched = Vec::new();
    let mut read = 0u32;
    let mut pages = 0;
    let mut upstream_more = true;
    while matched.len() <= need
        && upstream_more
        && pages < PRIORITY_SCAN_PAGES
        && read < pagerduty::MAX_OFFSET_WINDOW
    {
        let page = ctx
            .pd
            .list(
                q,
                pagerduty::Window {
                    offset: read,
                    limit: pagerduty::MAX_PAGE_SIZE,
                },
            )
            .await?;
        pages += 1;
        read += page.items.len() as u32;
        upstream_more = page.more && page.next_offset.is_some() && !page.items.is_empty();
        matched.extend(page.items.into_iter().filter(wanted));
    }
    // Stopped with PagerDuty still holding unread incidents: say so rather than page on.
    let cut_short = upstream_more && matched.len() <= need;
    let more = matched.len() > need || upstream_more;
    let items: Vec<Incident> = matched
        .into_iter()
        .skip(window.offset as usize)
        .take(window.limit as usize)
        .collect();
    let next_offset = (more && !cut_short).then(|| window.offset + items.len() as u32);
    let mut note = format!(
        "applied by this server: PagerDuty's GET /incidents declares no priority filter; \
         {read} incidents were read to find these"
    );
    if cut_short {
        note.push_str(
            ", and reading stopped there: narrow since/until, statuses or services to reach older \
             ones",
        );
    }
    Ok(IncidentList {
        listing: Listing {
            items,
            more,
            next_offset,
        },
        priority_filter: Some(note),
    })
}

/// Extra objects to embed in the incident.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum IncidentInclude {
    Acknowledgers,
    Agents,
    Assignees,
    ConferenceBridge,
    EscalationPolicies,
    FirstTriggerLogEntries,
    Priorities,
    Services,
    Teams,
    Users,
    CustomFields,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct IncidentQueryModel {
    include: Option<Vec<IncidentInclude>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetIncidentArgs {
    /// Incident id or number.
    incident_id: IncidentId,
    query_model: Option<IncidentQueryModel>,
}

async fn get_incident(ctx: Ctx, a: GetIncidentArgs) -> Result<Incident, ToolError> {
    let include: Vec<String> = a
        .query_model
        .and_then(|m| m.include)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| serde_json::to_value(i).ok()?.as_str().map(str::to_owned))
        .collect();
    Ok(ctx.pd.get_incident(&a.incident_id, &include).await?)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IncidentArg {
    pub incident_id: IncidentId,
}

type ServiceRef = IdRef<ServiceId>;
type UserRef = IdRef<UserId>;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AssigneeWrapper {
    assignee: UserRef,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct IncidentBody {
    /// Longer description: what is broken, links, context.
    details: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewIncidentArgs {
    title: String,
    service: ServiceRef,
    /// Default: the service's urgency rule (usually high).
    urgency: Option<Urgency>,
    body: Option<IncidentBody>,
    /// Assign to these users instead of the escalation policy.
    assignments: Option<Vec<AssigneeWrapper>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateIncidentArgs {
    incident: NewIncidentArgs,
}

async fn create_incident(ctx: Ctx, a: CreateIncidentArgs) -> Result<Incident, ToolError> {
    let i = a.incident;
    if i.title.trim().is_empty() {
        return Err(ToolError::invalid("incident.title", "must not be empty"));
    }
    let new = NewIncident {
        title: i.title,
        service_id: i.service.id,
        urgency: i.urgency,
        details: i.body.map(|b| b.details),
        assignee_ids: i
            .assignments
            .unwrap_or_default()
            .into_iter()
            .map(|w| w.assignee.id)
            .collect(),
        escalation_policy_id: None,
        priority_id: None,
        incident_key: None,
    };
    Ok(ctx.pd.create_incident(&new).await?)
}

/// What manage_incidents may set the status to.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum NewStatus {
    Acknowledged,
    Resolved,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ManageRequest {
    /// 1-250 incident ids.
    incident_ids: Vec<IncidentId>,
    status: Option<NewStatus>,
    urgency: Option<Urgency>,
    /// Reassign to this user (`assignement` is accepted too).
    #[serde(alias = "assignement")]
    assignment: Option<UserRef>,
    /// Escalate to this level of the escalation policy (1 = first).
    escalation_level: Option<u32>,
    /// With status=resolved: the resolution note.
    resolution: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ManageIncidentsArgs {
    manage_request: ManageRequest,
}

#[derive(Serialize, JsonSchema)]
struct Incidents {
    incidents: Vec<Incident>,
}

/// Resolving is what a person is asked about (`--confirm-writes`): it ends the paging.
fn resolves(args: &rmcp::model::JsonObject) -> bool {
    args.get("manage_request")
        .and_then(|r| r.get("status"))
        .and_then(serde_json::Value::as_str)
        == Some("resolved")
}

async fn manage_incidents(ctx: Ctx, a: ManageIncidentsArgs) -> Result<Incidents, ToolError> {
    let r = a.manage_request;
    if r.incident_ids.is_empty() || r.incident_ids.len() > 250 {
        return Err(ToolError::invalid(
            "manage_request.incident_ids",
            format!("give 1 to 250 incident ids, got {}", r.incident_ids.len()),
        ));
    }
    if r.assignment.is_some() && r.escalation_level.is_some() {
        return Err(ToolError::invalid(
            "manage_request",
            "set either `assignment` or `escalation_level`, not both: each decides who is assigned",
        ));
    }
    if r.escalation_level == Some(0) {
        return Err(ToolError::invalid(
            "manage_request.escalation_level",
            "levels start at 1",
        ));
    }
    let update = IncidentUpdate {
        status: r.status.map(|s| match s {
            NewStatus::Acknowledged => IncidentStatus::Acknowledged,
            NewStatus::Resolved => IncidentStatus::Resolved,
        }),
        urgency: r.urgency,
        escalation_level: r.escalation_level,
        assignee_ids: r.assignment.map(|u| vec![u.id]).unwrap_or_default(),
        resolution: r.resolution,
        title: None,
    };
    if update.is_empty() {
        return Err(ToolError::invalid(
            "manage_request",
            "nothing to change: set status, urgency, assignment or escalation_level",
        ));
    }
    let incidents = ctx.pd.update_incidents(&r.incident_ids, &update).await?;
    Ok(Incidents { incidents })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddNoteArgs {
    incident_id: IncidentId,
    /// The note text.
    note: String,
}

/// Who to ask.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum TargetKind {
    UserReference,
    EscalationPolicyReference,
}

// A reference: `summary`, `self` or `html_url` beside `id` and `type` are ignored (see `refs`).
#[derive(Deserialize, JsonSchema)]
struct Target {
    id: String,
    #[serde(rename = "type")]
    kind: TargetKind,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TargetWrapper {
    responder_request_target: Target,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ResponderRequestArgs {
    /// Why they are needed.
    message: String,
    responder_request_targets: Vec<TargetWrapper>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddRespondersArgs {
    incident_id: IncidentId,
    request: ResponderRequestArgs,
}

async fn add_responders(ctx: Ctx, a: AddRespondersArgs) -> Result<ResponderRequest, ToolError> {
    if a.request.responder_request_targets.is_empty() {
        return Err(ToolError::invalid(
            "request.responder_request_targets",
            "name at least one user or escalation policy",
        ));
    }
    let mut targets = Vec::with_capacity(a.request.responder_request_targets.len());
    for (i, t) in a.request.responder_request_targets.into_iter().enumerate() {
        let t = t.responder_request_target;
        pagerduty::ids::validate("responder target", &t.id).map_err(|e| {
            ToolError::invalid(
                &format!("request.responder_request_targets[{i}].id"),
                e.to_string(),
            )
        })?;
        let kind = match t.kind {
            TargetKind::UserReference => "user_reference",
            TargetKind::EscalationPolicyReference => "escalation_policy_reference",
        };
        targets.push(Reference::new(t.id, kind));
    }
    let me = ctx.current_user("add_responders").await?;
    Ok(ctx
        .pd
        .add_responders(&a.incident_id, &me.id, &a.request.message, &targets)
        .await?)
}
