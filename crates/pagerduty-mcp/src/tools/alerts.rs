//! Alerts: the monitoring signals inside an incident.

use pagerduty::api::incidents::AlertQuery;
use pagerduty::ids::{AlertId, IncidentId};
use pagerduty::models::Alert;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::output::{Listing, window};
use crate::registry::{Domain, ToolDef, Tools};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListAlertsArgs {
    incident_id: IncidentId,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetAlertArgs {
    incident_id: IncidentId,
    alert_id: AlertId,
}

const ALERTS: Tools = Tools(Domain::Alerts);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ALERTS
            .read(
                "list_alerts_from_incident",
                "The alerts grouped into an incident, with the monitoring payload (body.details): \
                 what fired, where, and how often.",
                |ctx: Ctx, a: ListAlertsArgs| async move {
                    let w = window(a.limit, a.offset, 100)?;
                    let page = ctx
                        .pd
                        .list_incident_alerts(&a.incident_id, &AlertQuery::default(), w)
                        .await?;
                    Ok(Listing::<Alert>::from(page))
                },
            )
            .titled("List incident alerts"),
        ALERTS
            .read(
                "get_alert_from_incident",
                "One alert of an incident with its full monitoring payload.",
                |ctx: Ctx, a: GetAlertArgs| async move {
                    Ok::<Alert, _>(
                        ctx.pd
                            .get_incident_alert(&a.incident_id, &a.alert_id)
                            .await?,
                    )
                },
            )
            .titled("Get incident alert"),
    ]
}
