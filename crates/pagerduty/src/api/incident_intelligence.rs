//! Past, related and outlier incidents (PagerDuty's Event Intelligence).

use reqwest::Method;

use crate::ids::IncidentId;
use crate::models::{Incident, OutlierIncident, PastIncidents, RelatedIncident, Time};
use crate::{Client, Result};

impl Client {
    /// Similar incidents on the same service in the last six months, most similar first.
    pub async fn get_past_incidents(
        &self,
        id: &IncidentId,
        limit: u32,
        total: bool,
    ) -> Result<PastIncidents> {
        self.nested::<Incident>(Method::GET, id, &["past_incidents"])
            .query("limit", limit)
            .query_opt("total", total.then_some("true"))
            .send()
            .await
    }

    /// Recent incidents related to this one; `full` asks for the whole incidents.
    pub async fn get_related_incidents(
        &self,
        id: &IncidentId,
        full: bool,
    ) -> Result<Vec<RelatedIncident>> {
        self.nested::<Incident>(Method::GET, id, &["related_incidents"])
            .query_list("additional_details", full.then_some("incident"))
            .send_one("related_incidents")
            .await
    }

    /// How usual this incident is on its service since `since`.
    pub async fn get_outlier_incident(
        &self,
        id: &IncidentId,
        since: Option<Time>,
    ) -> Result<OutlierIncident> {
        self.nested::<Incident>(Method::GET, id, &["outlier_incident"])
            .query_opt("since", since)
            .send_one("outlier_incident")
            .await
    }
}
