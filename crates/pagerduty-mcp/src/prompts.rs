//! MCP prompts: the on-call routines clients show as commands (triage, shift handoff,
//! post-incident review, coverage review). Each takes arguments, completes the ones that are
//! PagerDuty names from the account (`completion/complete`), and names the tools it expects the
//! model to call, so the rendered prompt is a plan the model can follow.

use std::collections::HashMap;

use pagerduty::Window;
use pagerduty::api::incidents::IncidentQuery;
use pagerduty::api::schedules::ScheduleQuery;
use pagerduty::api::services::ServiceQuery;
use rmcp::model::{CompletionInfo, GetPromptResult, Prompt, PromptArgument, PromptMessage, Role};

use crate::context::Ctx;

/// How long a client may keep `prompts/list` (the prompts change only with a new version).
pub const LIST_TTL_MS: u64 = 60 * 60 * 1000;

/// Names offered per completion request at most.
const MAX_COMPLETIONS: u32 = 20;

/// What kind of PagerDuty name an argument takes, for completion.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Names {
    Team,
    Service,
    Schedule,
    /// Recent incidents, by number.
    Incident,
    /// A fixed set of values.
    Fixed(&'static [&'static str]),
}

struct Arg {
    name: &'static str,
    description: &'static str,
    required: bool,
    /// The value when the argument is left out.
    default: Option<&'static str>,
    names: Names,
}

struct Def {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    args: &'static [Arg],
    /// The tools the rendered prompt asks the model to use, in order.
    tools: &'static [&'static str],
    /// The task, with `{argument}` placeholders; lines whose placeholders are all missing
    /// are dropped.
    body: &'static str,
}

const TEAM: Arg = Arg {
    name: "team",
    description: "A team name (optional): only its services and incidents.",
    required: false,
    default: None,
    names: Names::Team,
};

const DEFS: &[Def] = &[
    Def {
        name: "triage_open_incidents",
        title: "Triage open incidents",
        description: "Triage what is open now, worst first: per incident what it is, who has it, \
                      what changed, and the next action; optionally for one team or service.",
        args: &[
            TEAM,
            Arg {
                name: "service",
                description: "A service name (optional).",
                required: false,
                default: None,
                names: Names::Service,
            },
        ],
        tools: &[
            "get_service_health",
            "list_incidents",
            "get_incident_brief",
            "list_incident_change_events",
            "who_is_on_call",
        ],
        body: "Triage the open PagerDuty incidents.\n\
               Scope: the services of team {team}.\n\
               Scope: service {service}.\n\
               1. Call get_service_health for the scope to see which services hurt most.\n\
               2. Call list_incidents for triggered and acknowledged incidents in the scope, \
                  high urgency first.\n\
               3. For each of the worst (at most 5), call get_incident_brief and \
                  list_incident_change_events: what broke, since when, what changed just before.\n\
               4. Call who_is_on_call for incidents nobody acknowledged.\n\
               Answer with a table: incident, service, urgency, age, owner, likely cause, next \
               action. Do not change any incident unless asked.",
    },
    Def {
        name: "shift_handoff_report",
        title: "Shift handoff report",
        description: "A handoff report for an on-call schedule's shift: what happened, what is \
                      still open and its latest note, who takes over when, and gaps ahead.",
        args: &[Arg {
            name: "schedule",
            description: "The schedule whose shift ends (a name).",
            required: true,
            default: None,
            names: Names::Schedule,
        }],
        tools: &[
            "get_oncall_handoff",
            "get_incident_brief",
            "find_coverage_gaps",
        ],
        body: "Write the shift handoff report for schedule {schedule}.\n\
               1. Call get_oncall_handoff for {schedule}: the shift, who hands over to whom \
                  and when, incidents created and resolved during it, those still open with \
                  their latest note, and gaps in the next shift.\n\
               2. For each incident still open, call get_incident_brief for what the next \
                  person must watch.\n\
               3. If the next shift has gaps, call find_coverage_gaps for {schedule} over the \
                  next two weeks to see whether they recur.\n\
               Answer as: Summary; Still open (with latest note and owner); Resolved; Handover \
               (who to whom, when); Gaps ahead.",
    },
    Def {
        name: "post_incident_review",
        title: "Post-incident review draft",
        description: "A post-incident review draft for one incident: timeline, notes, changes \
                      before it, responders, and questions for the review.",
        args: &[Arg {
            name: "incident",
            description: "The incident: its number or id.",
            required: true,
            default: None,
            names: Names::Incident,
        }],
        tools: &[
            "get_incident_brief",
            "list_log_entries",
            "list_incident_notes",
            "list_incident_change_events",
            "get_past_incidents",
        ],
        body: "Draft a post-incident review of incident {incident}.\n\
               1. Call get_incident_brief for {incident}: title, service, urgency, status, \
                  responders.\n\
               2. Call list_log_entries for the incident for the timeline (trigger, \
                  notifications, acknowledgements, escalations, resolution).\n\
               3. Call list_incident_notes for what responders found and did.\n\
               4. Call list_incident_change_events for changes shortly before it.\n\
               5. Call get_past_incidents for similar earlier incidents.\n\
               Write: Summary; Impact; Timeline (UTC); Responders; Contributing changes; What \
               went well; What did not; Follow-up questions. Mark anything inferred as such.",
    },
    Def {
        name: "coverage_review",
        title: "On-call coverage review",
        description: "Review a team's on-call schedules over the next weeks: gaps, who carries \
                      the load, and whether people can be reached.",
        args: &[
            Arg {
                name: "team",
                description: "The team whose schedules to review.",
                required: true,
                default: None,
                names: Names::Team,
            },
            Arg {
                name: "weeks",
                description: "How many weeks ahead (default 2).",
                required: false,
                default: Some("2"),
                names: Names::Fixed(&["1", "2", "4"]),
            },
        ],
        tools: &[
            "list_schedules",
            "find_coverage_gaps",
            "list_oncalls",
            "list_notification_rules",
        ],
        body: "Review on-call coverage for team {team} over the next {weeks} weeks.\n\
               1. Call list_schedules for team {team}.\n\
               2. For each schedule call find_coverage_gaps over the period.\n\
               3. Call list_oncalls for those schedules over the period: count each person's \
                  on-call hours.\n\
               4. For each person on call, call list_notification_rules: do they have a phone \
                  or SMS rule for high urgency, and how soon?\n\
               Answer with: Gaps (schedule, from, to); Load per person; People who may not be \
               reached quickly; Suggested fixes.",
    },
];

fn def(name: &str) -> Option<&'static Def> {
    DEFS.iter().find(|d| d.name == name)
}

/// The tools each prompt names (for the check that they exist).
pub fn tools_named() -> impl Iterator<Item = (&'static str, &'static str)> {
    DEFS.iter()
        .flat_map(|d| d.tools.iter().map(move |t| (d.name, *t)))
}

pub fn list() -> Vec<Prompt> {
    DEFS.iter()
        .map(|d| {
            let args = d
                .args
                .iter()
                .map(|a| {
                    PromptArgument::new(a.name)
                        .with_description(a.description)
                        .with_required(a.required)
                })
                .collect();
            Prompt::new(d.name, Some(d.description), Some(args)).with_title(d.title)
        })
        .collect()
}

/// The rendered prompt, or why not (an unknown prompt, a missing or unknown argument).
pub fn get(name: &str, args: &HashMap<String, String>) -> Result<GetPromptResult, String> {
    let d =
        def(name).ok_or_else(|| format!("Unknown prompt `{name}`; prompts/list shows them."))?;
    for k in args.keys() {
        if !d.args.iter().any(|a| a.name == k) {
            return Err(format!("Prompt `{name}` takes no argument `{k}`."));
        }
    }
    let mut values: HashMap<&str, String> = HashMap::new();
    for a in d.args {
        match args
            .get(a.name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .or(a.default)
        {
            Some(v) => {
                values.insert(a.name, v.to_owned());
            }
            None if a.required => {
                return Err(format!("Prompt `{name}` needs the argument `{}`.", a.name));
            }
            None => {}
        }
    }
    let text = d
        .body
        .lines()
        .filter_map(|line| {
            let mut out = line.to_owned();
            let mut missing = false;
            for a in d.args {
                let slot = format!("{{{}}}", a.name);
                if out.contains(&slot) {
                    match values.get(a.name) {
                        Some(v) => out = out.replace(&slot, v),
                        None => missing = true,
                    }
                }
            }
            (!missing).then_some(out)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let text = format!("{text}\nTools to use: {}.", d.tools.join(", "));
    Ok(
        GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
            .with_description(d.description),
    )
}

/// Values for `argument` of `prompt` containing `value`, prefix matches first: names from
/// the account for name arguments. An unknown prompt or argument has none; a failed lookup
/// says why.
pub async fn complete(
    ctx: &Ctx,
    prompt: &str,
    argument: &str,
    value: &str,
) -> Result<CompletionInfo, pagerduty::Error> {
    let Some(arg) = def(prompt).and_then(|d| d.args.iter().find(|a| a.name == argument)) else {
        return Ok(CompletionInfo::default());
    };
    let window = Window {
        offset: 0,
        limit: MAX_COMPLETIONS,
    };
    let query = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let pd = &ctx.pd;
    let names: Vec<String> = match arg.names {
        Names::Fixed(values) => values.iter().map(|v| (*v).to_owned()).collect(),
        Names::Team => pd
            .list_teams(query.as_deref(), window)
            .await?
            .items
            .into_iter()
            .map(|t| t.name)
            .collect(),
        Names::Service => {
            let q = ServiceQuery {
                query,
                ..Default::default()
            };
            let page = pd.list(&q, window).await?;
            page.items.into_iter().map(|s| s.name).collect()
        }
        Names::Schedule => {
            let q = ScheduleQuery {
                query,
                ..Default::default()
            };
            let page = pd.list(&q, window).await?;
            page.items.into_iter().map(|s| s.name).collect()
        }
        Names::Incident => {
            let q = IncidentQuery {
                sort_by: Some("created_at:desc".into()),
                ..Default::default()
            };
            let page = pd.list(&q, window).await?;
            page.items
                .into_iter()
                .filter_map(|i| i.incident_number.map(|n| n.to_string()))
                .collect()
        }
    };
    let lower = value.trim().to_lowercase();
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|n| n.to_lowercase().contains(&lower))
        .collect();
    if arg.names != Names::Incident {
        names.sort_by_key(|n| (!n.to_lowercase().starts_with(&lower), n.to_lowercase()));
    }
    names.truncate(MAX_COMPLETIONS as usize);
    Ok(CompletionInfo::with_all_values(names).unwrap_or_default())
}
