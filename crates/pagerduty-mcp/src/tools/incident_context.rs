//! Incident intelligence: similar past incidents, related incidents elsewhere, and how
//! unusual an incident is on its service.

use pagerduty::ids::IncidentId;
use pagerduty::models::{OutlierIncident, PastIncidents, RelatedIncident, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::output::bounded;
use crate::registry::{Domain, ToolDef, Tools};

const INCIDENTS: Tools = Tools(Domain::Incidents);

pub fn tools() -> Vec<ToolDef> {
    vec![
        INCIDENTS
            .read(
                "get_outlier_incident",
                "How often incidents like this one occur on its service (count, frequency, \
                 category: frequent, rare or anomalous) and the text template they share.",
                |ctx: Ctx, a: OutlierArgs| async move {
                    Ok::<OutlierIncident, _>(
                        ctx.pd
                            .get_outlier_incident(&a.incident_id, a.query_model.since)
                            .await?,
                    )
                },
            )
            .titled("Is this incident unusual?"),
        INCIDENTS
            .read(
                "get_past_incidents",
                "Similar incidents on the same service in the last 6 months, most similar first \
                 (score): how it was handled before. Follow up with list_incident_notes.",
                |ctx: Ctx, a: PastArgs| async move {
                    let limit = bounded("query_model.limit", a.query_model.limit, 5, 999)?;
                    Ok::<PastIncidents, _>(
                        ctx.pd
                            .get_past_incidents(
                                &a.incident_id,
                                limit,
                                a.query_model.total.unwrap_or(false),
                            )
                            .await?,
                    )
                },
            )
            .titled("Similar past incidents"),
        INCIDENTS
            .read(
                "get_related_incidents",
                "Up to 20 recent incidents on other services likely tied to this one (service \
                 dependency or similar content), with why: spot a wider outage.",
                |ctx: Ctx, a: RelatedArgs| async move {
                    let full = a
                        .query_model
                        .additional_details
                        .is_some_and(|d| d.contains(&AdditionalDetail::Incident));
                    let related_incidents =
                        ctx.pd.get_related_incidents(&a.incident_id, full).await?;
                    Ok(Related { related_incidents })
                },
            )
            .titled("Related incidents"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OutlierQuery {
    /// Start of the history to compare with; default 6 months before the incident.
    since: Option<Time>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OutlierArgs {
    incident_id: IncidentId,
    /// Options; `{}` for the defaults.
    query_model: OutlierQuery,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PastQuery {
    /// Max results, 1-999; default 5.
    limit: Option<u32>,
    /// Also return how many similar incidents there are.
    total: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PastArgs {
    incident_id: IncidentId,
    /// Options; `{}` for the defaults.
    query_model: PastQuery,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum AdditionalDetail {
    Incident,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RelatedQuery {
    /// ["incident"]: status, urgency and service of each related incident too.
    additional_details: Option<Vec<AdditionalDetail>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RelatedArgs {
    incident_id: IncidentId,
    /// Options; `{}` for the defaults.
    query_model: RelatedQuery,
}

#[derive(Serialize, JsonSchema)]
struct Related {
    related_incidents: Vec<RelatedIncident>,
}
