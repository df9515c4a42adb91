//! Analytics: incident and responder metrics over a time range, computed by PagerDuty.
//! One generic helper serves the five reports.

use pagerduty::Credential;
use pagerduty::api::analytics::{AggregateUnit, MetricsQuery, MetricsReport, SortOrder};
use pagerduty::ids::{ServiceId, TeamId, UserId};
use pagerduty::models::{IncidentMetrics, ResponderMetrics, Time, Urgency};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Domain, ToolDef, Tools};

const ANALYTICS: Tools = Tools(Domain::Analytics);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ANALYTICS
            .read(
                "get_incident_metrics_all",
                "Incident counts, mean and p50-p95 seconds to first ack and to resolve, \
                 escalations, interruptions, for incidents created in a range. With a user token \
                 and no team_ids/service_ids, scoped to your teams.",
                |ctx: Ctx, a: IncidentArgs| async move {
                    metrics::<IncidentMetrics>(ctx, MetricsReport::IncidentsAll, a.into()).await
                },
            )
            .titled("Incident metrics (all)"),
        ANALYTICS
            .read(
                "get_incident_metrics_by_service",
                "Incident metrics per service (counts, mean seconds to ack and resolve, \
                 up_time_pct) for incidents created in a range.",
                |ctx: Ctx, a: IncidentArgs| async move {
                    metrics::<IncidentMetrics>(ctx, MetricsReport::IncidentsByService, a.into())
                        .await
                },
            )
            .titled("Incident metrics by service"),
        ANALYTICS
            .read(
                "get_incident_metrics_by_team",
                "Incident metrics per team for incidents created in a range, optionally per day, \
                 week or month (aggregate_unit).",
                |ctx: Ctx, a: IncidentArgs| async move {
                    metrics::<IncidentMetrics>(ctx, MetricsReport::IncidentsByTeam, a.into()).await
                },
            )
            .titled("Incident metrics by team"),
        ANALYTICS
            .read(
                "get_responder_metrics",
                "Per responder and team: incidents handled, acknowledgements, mean time to \
                 acknowledge, engaged seconds, notifications, off-hour and sleep interruptions.",
                |ctx: Ctx, a: ResponderArgs| async move {
                    metrics::<ResponderMetrics>(ctx, MetricsReport::RespondersByTeam, a.into())
                        .await
                },
            )
            .titled("Responder metrics by team"),
        ANALYTICS
            .read(
                "get_responder_load_metrics",
                "Combined load of the selected responders (a team's members, or given users): \
                 incidents, notifications, interruptions by business, off and sleep hours.",
                |ctx: Ctx, a: ResponderArgs| async move {
                    metrics::<ResponderMetrics>(ctx, MetricsReport::RespondersAll, a.into()).await
                },
            )
            .titled("Responder load (all)"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct IncidentArgs {
    /// Incidents created from (e.g. 2026-11-01T00:00:00Z).
    created_at_start: Time,
    /// Up to (exclusive).
    created_at_end: Time,
    team_ids: Option<Vec<TeamId>>,
    service_ids: Option<Vec<ServiceId>>,
    urgency: Option<Urgency>,
    /// IANA zone for day/week/month buckets; default UTC.
    time_zone: Option<String>,
    order: Option<SortOrder>,
    /// A metric name, e.g. total_incident_count.
    order_by: Option<String>,
    /// Also split by day, week or month.
    aggregate_unit: Option<AggregateUnit>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ResponderArgs {
    /// Incidents created from (e.g. 2026-11-01T00:00:00Z).
    date_range_start: Time,
    /// Up to (exclusive).
    date_range_end: Time,
    /// Responders in these teams.
    team_ids: Option<Vec<TeamId>>,
    /// Only these users.
    responder_ids: Option<Vec<UserId>>,
    urgency: Option<Urgency>,
    /// IANA zone; default UTC.
    time_zone: Option<String>,
    order: Option<SortOrder>,
    /// A metric name, e.g. total_interruptions.
    order_by: Option<String>,
}

impl From<IncidentArgs> for MetricsQuery {
    fn from(a: IncidentArgs) -> Self {
        MetricsQuery {
            start: a.created_at_start,
            end: a.created_at_end,
            urgency: a.urgency,
            team_ids: a.team_ids.unwrap_or_default(),
            service_ids: a.service_ids.unwrap_or_default(),
            responder_ids: Vec::new(),
            time_zone: a.time_zone,
            order: a.order,
            order_by: a.order_by,
            aggregate_unit: a.aggregate_unit,
        }
    }
}

impl From<ResponderArgs> for MetricsQuery {
    fn from(a: ResponderArgs) -> Self {
        MetricsQuery {
            start: a.date_range_start,
            end: a.date_range_end,
            urgency: a.urgency,
            team_ids: a.team_ids.unwrap_or_default(),
            service_ids: Vec::new(),
            responder_ids: a.responder_ids.unwrap_or_default(),
            time_zone: a.time_zone,
            order: a.order,
            order_by: a.order_by,
            aggregate_unit: None,
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct Metrics<T> {
    /// One row per group (service, team, responder) and time bucket.
    data: Vec<T>,
    /// How the report was scoped when no filter was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Validates the query, scopes a user token's report to the user's teams when it names no
/// team or service (PagerDuty requires one), and runs the report.
async fn metrics<T: DeserializeOwned>(
    ctx: Ctx,
    report: MetricsReport,
    mut q: MetricsQuery,
) -> Result<Metrics<T>, ToolError> {
    let (start, end) = if report.is_responders() {
        ("date_range_start", "date_range_end")
    } else {
        ("created_at_start", "created_at_end")
    };
    if q.start >= q.end {
        return Err(ToolError::invalid(end, format!("must be after `{start}`")));
    }
    if let Some(tz) = &q.time_zone
        && (tz.trim().is_empty() || jiff::tz::TimeZone::get(tz.trim()).is_err())
    {
        return Err(ToolError::invalid(
            "time_zone",
            format!(
                "`{tz}` is not an IANA time zone; use e.g. UTC, Europe/London, America/New_York"
            ),
        ));
    }
    if q.order_by.as_deref().is_some_and(|o| o.trim().is_empty()) {
        return Err(ToolError::invalid(
            "order_by",
            "must name a metric, e.g. total_incident_count",
        ));
    }
    let account_key = matches!(ctx.pd.credential(), Some(Credential::AccountKey { .. }));
    let unscoped = q.team_ids.is_empty() && q.service_ids.is_empty() && q.responder_ids.is_empty();
    let mut note = None;
    if unscoped && !account_key {
        let filters = if report.is_responders() {
            "team_ids or responder_ids"
        } else {
            "team_ids or service_ids"
        };
        let me = ctx.current_user("team scoping").await?;
        if me.teams.is_empty() {
            return Err(ToolError::Refused(format!(
                "PagerDuty analytics need {filters} with a user API token, and {} belongs to no \
                 team: pass {filters} (list_teams / list_services give the ids).",
                me.name
            )));
        }
        let mut names = Vec::new();
        for t in &me.teams {
            q.team_ids.push(TeamId::new(t.id.clone())?);
            names.push(format!(
                "{} ({})",
                t.summary.as_deref().unwrap_or("team"),
                t.id
            ));
        }
        note = Some(format!(
            "Scoped to your teams {}: with a user API token PagerDuty requires {filters}. Pass \
             them to measure other teams or services.",
            names.join(", ")
        ));
    }
    let data = ctx.pd.analytics_metrics(report, &q).await?;
    Ok(Metrics { data, note })
}
