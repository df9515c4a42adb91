//! Change events: deploys and configuration changes, account-wide, per service, and those
//! correlated with an incident.

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use super::Resource;
use crate::client::Call;
use crate::ids::{IncidentId, ServiceId, TeamId};
use crate::models::{ChangeEvent, Incident, Service, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /change_events`.
pub struct ChangeEventQuery {
    /// Events at or after this time.
    pub since: Option<Time>,
    /// Events before this time.
    pub until: Option<Time>,
    /// Only these teams' services.
    pub team_ids: Vec<TeamId>,
    /// Integration ids (validated by the caller).
    pub integration_ids: Vec<String>,
}

/// How many items a listing has in all (`total=true` on a one-item page).
pub(crate) async fn total(call: Call<'_>) -> Result<Option<u64>> {
    let body: Map<String, Value> = call.page(0, 1).query("total", "true").send().await?;
    Ok(body.get("total").and_then(Value::as_u64))
}

impl Client {
    /// `GET /services/{id}/change_events` with `q`.
    fn service_change_events(&self, id: &ServiceId, q: &ChangeEventQuery) -> Result<Call<'_>> {
        self.nested::<Service>(Method::GET, id, &["change_events"])
            .filters(q)
    }

    /// How many change events match.
    pub async fn count_change_events(&self, q: &ChangeEventQuery) -> Result<Option<u64>> {
        total(self.collection::<ChangeEvent>(Method::GET).filters(q)?).await
    }

    /// A service's change events, newest first.
    pub async fn list_service_change_events(
        &self,
        id: &ServiceId,
        q: &ChangeEventQuery,
        window: Window,
    ) -> Result<Page<ChangeEvent>> {
        self.service_change_events(id, q)?
            .list(ChangeEvent::MANY, window)
            .await
    }

    /// How many change events `GET /incidents/{id}/related_change_events` finds.
    pub async fn count_service_change_events(
        &self,
        id: &ServiceId,
        q: &ChangeEventQuery,
    ) -> Result<Option<u64>> {
        total(self.service_change_events(id, q)?).await
    }

    /// The changes PagerDuty correlates with an incident, with the reason (one page).
    pub async fn list_incident_change_events(
        &self,
        id: &IncidentId,
        limit: u32,
    ) -> Result<Vec<ChangeEvent>> {
        self.nested::<Incident>(Method::GET, id, &["related_change_events"])
            .query("limit", limit)
            .send_one("change_events")
            .await
    }
}
