//! Analytics metrics (`POST /analytics/metrics/...`): one call for all reports.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ids::{ServiceId, TeamId, UserId};
use crate::models::{Time, Urgency};
use crate::{Client, Result};

/// Which metrics report to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricsReport {
    /// Incident metrics for the whole selection.
    IncidentsAll,
    /// Incident metrics per service.
    IncidentsByService,
    /// Incident metrics per team.
    IncidentsByTeam,
    /// Responder metrics for all selected responders together.
    RespondersAll,
    /// Responder metrics per responder and team.
    RespondersByTeam,
}

impl MetricsReport {
    fn path(self) -> [&'static str; 4] {
        let (kind, by) = match self {
            Self::IncidentsAll => ("incidents", "all"),
            Self::IncidentsByService => ("incidents", "services"),
            Self::IncidentsByTeam => ("incidents", "teams"),
            Self::RespondersAll => ("responders", "all"),
            Self::RespondersByTeam => ("responders", "teams"),
        };
        ["analytics", "metrics", kind, by]
    }

    /// Responder reports filter by `date_range_*`, incident reports by `created_at_*`.
    pub fn is_responders(self) -> bool {
        matches!(self, Self::RespondersAll | Self::RespondersByTeam)
    }
}

/// Time buckets for the incident reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "lowercase")]
pub enum AggregateUnit {
    Day,
    Week,
    Month,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// What to measure: the range (incidents created in `[start, end)`) and filters.
#[derive(Clone, Debug)]
pub struct MetricsQuery {
    /// Incidents created at or after this time.
    pub start: Time,
    /// Incidents created before this time.
    pub end: Time,
    /// Only this urgency.
    pub urgency: Option<Urgency>,
    /// Only these teams.
    pub team_ids: Vec<TeamId>,
    /// Only these services.
    pub service_ids: Vec<ServiceId>,
    /// Only these responders (responder reports).
    pub responder_ids: Vec<UserId>,
    /// The IANA zone the buckets and dates are in.
    pub time_zone: Option<String>,
    /// Sort direction.
    pub order: Option<SortOrder>,
    /// The metric to sort by.
    pub order_by: Option<String>,
    /// Bucket the results by day, week or month.
    pub aggregate_unit: Option<AggregateUnit>,
}

#[derive(Serialize)]
struct Filters<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at_start: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at_end: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_range_start: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_range_end: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    urgency: Option<Urgency>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    team_ids: &'a [TeamId],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    service_ids: &'a [ServiceId],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    responder_ids: &'a [UserId],
}

#[derive(Serialize)]
struct Body<'a> {
    filters: Filters<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<SortOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aggregate_unit: Option<AggregateUnit>,
}

impl Client {
    /// Computes a metrics report; `T` is the report's row type
    /// ([`crate::models::IncidentMetrics`] or [`crate::models::ResponderMetrics`]).
    pub async fn analytics_metrics<T: DeserializeOwned>(
        &self,
        report: MetricsReport,
        q: &MetricsQuery,
    ) -> Result<Vec<T>> {
        let responders = report.is_responders();
        let (created, range) = if responders {
            ((None, None), (Some(q.start), Some(q.end)))
        } else {
            ((Some(q.start), Some(q.end)), (None, None))
        };
        let body = Body {
            filters: Filters {
                created_at_start: created.0,
                created_at_end: created.1,
                date_range_start: range.0,
                date_range_end: range.1,
                urgency: q.urgency,
                team_ids: &q.team_ids,
                service_ids: if responders { &[] } else { &q.service_ids },
                responder_ids: if responders { &q.responder_ids } else { &[] },
            },
            time_zone: q.time_zone.as_deref(),
            order: q.order,
            order_by: q.order_by.as_deref(),
            aggregate_unit: q.aggregate_unit,
        };
        self.request(Method::POST, &report.path())
            .subject("the analytics metrics")
            .json(&body)?
            .send_one("data")
            .await
    }
}
