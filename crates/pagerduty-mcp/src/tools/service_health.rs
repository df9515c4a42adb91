//! Which services are hurting, in one call: per service its status, its open incidents by
//! urgency and status counted over *all* open incidents (PagerDuty's incident list defaults to
//! the last month, so the query asks for `date_range=all`), the oldest open one, the last 7
//! days' incidents with mean time to acknowledge and resolve, the last incident, and whether it
//! is in a maintenance window. Sorted by open high-urgency incidents.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use pagerduty::Window;
use pagerduty::api::incidents::IncidentQuery;
use pagerduty::api::maintenance_windows::MaintenanceQuery;
use pagerduty::api::services::ServiceQuery;
use pagerduty::ids::ServiceId;
use pagerduty::models::{Incident, IncidentStatus, MaintenanceState, Service, Time, Urgency};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lookup::Lookup;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Domain, ToolDef, Tools};

/// The most services one call reports on.
const MAX_SERVICES: u32 = 100;
/// The most incidents one list reads (5 pages): the open ones of a real account, while a
/// call stays within its time budget.
pub(super) const MAX_INCIDENTS: u32 = 500;
const WEEK: SignedDuration = SignedDuration::from_hours(7 * 24);

const SERVICES: Tools = Tools(Domain::Services);

pub fn tools() -> Vec<ToolDef> {
    vec![
        SERVICES
            .read(
                "get_service_health",
                "Which services are hurting: for all services, a team's, or named ones (ids or \
                 names), each one's status, open incidents by urgency and status (all of them, \
                 however old), the oldest open one, the last 7 days' incident count with mean \
                 minutes to acknowledge and resolve, the last incident time, and whether it is in \
                 maintenance. Worst first (open high-urgency count).",
                health,
            )
            .titled("Service health"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Service ids or names; default all (or the team's).
    services: Option<Vec<String>>,
    /// A team (id or name): its services.
    team: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Health {
    services: Vec<ServiceHealth>,
    /// What the figures cover, when not everything (more services or incidents than one call
    /// reads).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
struct ServiceHealth {
    id: ServiceId,
    name: String,
    /// PagerDuty's status: active, warning, critical, maintenance, disabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    in_maintenance: bool,
    open: OpenCounts,
    #[serde(skip_serializing_if = "Option::is_none")]
    oldest_open: Option<OldIncident>,
    last_7_days: Week,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_incident_at: Option<Time>,
}

#[derive(Default, Serialize, JsonSchema)]
struct OpenCounts {
    total: u32,
    high: u32,
    low: u32,
    triggered: u32,
    acknowledged: u32,
}

#[derive(Serialize, JsonSchema)]
struct OldIncident {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<u64>,
    title: String,
    created_at: Time,
    status: IncidentStatus,
}

#[derive(Default, Serialize, JsonSchema)]
struct Week {
    incidents: u32,
    /// Over those acknowledged (first acknowledgement).
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_minutes_to_ack: Option<u64>,
    /// Over those resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_minutes_to_resolve: Option<u64>,
}

fn mean_minutes(spans: &[SignedDuration]) -> Option<u64> {
    if spans.is_empty() {
        return None;
    }
    let total: i64 = spans.iter().map(|d| d.as_secs()).sum();
    Some((total / spans.len() as i64 / 60).max(0) as u64)
}

fn service_of(i: &Incident) -> Option<&str> {
    i.service.as_ref().map(|s| s.id.as_str())
}

async fn services(ctx: &Ctx, a: &Args, notes: &mut Vec<String>) -> Result<Vec<Service>, ToolError> {
    let lookup = Lookup::new(ctx);
    if let Some(keys) = a.services.as_ref().filter(|k| !k.is_empty()) {
        if a.team.is_some() {
            return Err(ToolError::invalid(
                "team",
                "give services or a team, not both",
            ));
        }
        if keys.len() > MAX_SERVICES as usize {
            return Err(ToolError::invalid(
                "services",
                format!("at most {MAX_SERVICES} at a time"),
            ));
        }
        let mut out: Vec<Service> = Vec::new();
        for key in keys {
            let s = lookup.service(key).await?;
            if !out.iter().any(|o| o.id == s.id) {
                out.push(s);
            }
        }
        return Ok(out);
    }
    let team_ids = match a.team.as_deref() {
        Some(t) => vec![lookup.team(t).await?.id],
        None => Vec::new(),
    };
    let q = ServiceQuery {
        team_ids,
        ..Default::default()
    };
    let page = ctx
        .pd
        .list(
            &q,
            Window {
                offset: 0,
                limit: MAX_SERVICES,
            },
        )
        .await?;
    if page.more {
        notes.push(format!(
            "Only the first {MAX_SERVICES} services (by name) are shown; name services or a team \
             to see others."
        ));
    }
    Ok(page.items)
}

async fn health(ctx: Ctx, a: Args) -> Result<Health, ToolError> {
    let mut notes = Vec::new();
    let services = services(&ctx, &a, &mut notes).await?;
    let now = super::when::now(&ctx);
    let ids: Vec<ServiceId> = services.iter().map(|s| s.id.clone()).collect();
    let all = Window {
        offset: 0,
        limit: MAX_INCIDENTS,
    };
    let open_q = IncidentQuery {
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        service_ids: ids.clone(),
        // Open incidents of any age: the list's default window is the last month.
        all_time: true,
        ..Default::default()
    };
    let since = now
        .checked_sub(WEEK)
        .map_err(|e| ToolError::Internal(e.to_string()))?;
    let week_q = IncidentQuery {
        service_ids: ids.clone(),
        since: Some(Time(since)),
        until: Some(Time(now)),
        ..Default::default()
    };
    let windows_q = MaintenanceQuery {
        state: Some(MaintenanceState::Ongoing),
        service_ids: ids,
        ..Default::default()
    };
    let (open, week, windows) = futures::try_join!(
        ctx.pd.list(&open_q, all),
        ctx.pd.list(&week_q, all),
        // Windows ongoing now are few.
        ctx.pd.list(
            &windows_q,
            Window {
                offset: 0,
                limit: 100,
            }
        ),
    )?;
    if open.more || week.more {
        notes.push(format!(
            "More than {MAX_INCIDENTS} incidents matched; counts cover the first {MAX_INCIDENTS} \
             (name services or a team to narrow)."
        ));
    }
    let in_maintenance: BTreeSet<&str> = windows
        .items
        .iter()
        .flat_map(|w| w.services.iter().map(|s| s.id.as_str()))
        .collect();
    let mut by_service: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for i in &open.items {
        if let Some(s) = service_of(i) {
            by_service.entry(s).or_default().push(i);
        }
    }
    let mut out: Vec<ServiceHealth> = services
        .iter()
        .map(|s| {
            let mine = by_service.get(s.id.as_str()).cloned().unwrap_or_default();
            let mut counts = OpenCounts::default();
            for i in &mine {
                counts.total += 1;
                match i.urgency {
                    Some(Urgency::High) => counts.high += 1,
                    Some(Urgency::Low) => counts.low += 1,
                    None => {}
                }
                match i.status {
                    IncidentStatus::Triggered => counts.triggered += 1,
                    IncidentStatus::Acknowledged => counts.acknowledged += 1,
                    IncidentStatus::Resolved => {}
                }
            }
            let oldest = mine
                .iter()
                .filter_map(|i| i.created_at.map(|t| (t, *i)))
                .min_by_key(|(t, _)| *t)
                .map(|(t, i)| OldIncident {
                    id: i.id.to_string(),
                    number: i.incident_number,
                    title: i.title.clone(),
                    created_at: t,
                    status: i.status,
                });
            let recent: Vec<&Incident> = week
                .items
                .iter()
                .filter(|i| service_of(i) == Some(s.id.as_str()))
                .collect();
            let span =
                |i: &Incident, end: Option<Timestamp>| Some(end?.duration_since(i.created_at?.0));
            let acks: Vec<SignedDuration> = recent
                .iter()
                .filter_map(|i| {
                    span(
                        i,
                        i.acknowledgements
                            .iter()
                            .filter_map(|a| a.at)
                            .map(|t| t.0)
                            .min(),
                    )
                })
                .collect();
            let resolves: Vec<SignedDuration> = recent
                .iter()
                .filter_map(|i| span(i, i.resolved_at.map(|t| t.0)))
                .collect();
            let newest = recent
                .iter()
                .chain(mine.iter())
                .filter_map(|i| i.created_at)
                .max();
            ServiceHealth {
                id: s.id.clone(),
                name: s.name.clone(),
                status: s.status.clone(),
                in_maintenance: in_maintenance.contains(s.id.as_str()),
                open: counts,
                oldest_open: oldest,
                last_7_days: Week {
                    incidents: recent.len() as u32,
                    mean_minutes_to_ack: mean_minutes(&acks),
                    mean_minutes_to_resolve: mean_minutes(&resolves),
                },
                last_incident_at: newest.max(s.last_incident_timestamp),
            }
        })
        .collect();
    out.sort_by(|x, y| {
        (y.open.high, y.open.total)
            .cmp(&(x.open.high, x.open.total))
            .then_with(|| x.name.cmp(&y.name))
    });
    Ok(Health {
        services: out,
        notes,
    })
}
