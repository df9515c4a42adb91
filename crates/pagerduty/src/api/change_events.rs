//! Change events: deploys and configuration changes, account-wide, per service, and those
//! correlated with an incident.

use reqwest::Method;
use serde_json::{Map, Value};

use crate::client::Call;
use crate::ids::{ChangeEventId, IncidentId, ServiceId, TeamId};
use crate::models::{ChangeEvent, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default)]
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
    fn change_events_call<'c>(&'c self, segments: &[&str], q: &ChangeEventQuery) -> Call<'c> {
        self.request(Method::GET, segments)
            .subject("the change events")
            .query_opt("since", q.since)
            .query_opt("until", q.until)
            .query_list("team_ids", &q.team_ids)
            .query_list("integration_ids", &q.integration_ids)
    }

    /// Change events, newest first.
    pub async fn list_change_events(
        &self,
        q: &ChangeEventQuery,
        window: Window,
    ) -> Result<Page<ChangeEvent>> {
        self.change_events_call(&["change_events"], q)
            .list("change_events", window)
            .await
    }

    /// How many change events match.
    pub async fn count_change_events(&self, q: &ChangeEventQuery) -> Result<Option<u64>> {
        total(self.change_events_call(&["change_events"], q)).await
    }

    /// `GET /change_events/{id}`.
    pub async fn get_change_event(&self, id: &ChangeEventId) -> Result<ChangeEvent> {
        self.request(Method::GET, &["change_events", id.as_str()])
            .subject(format!("change event {id}"))
            .send_one("change_event")
            .await
    }

    /// A service's change events, newest first.
    pub async fn list_service_change_events(
        &self,
        id: &ServiceId,
        q: &ChangeEventQuery,
        window: Window,
    ) -> Result<Page<ChangeEvent>> {
        self.change_events_call(&["services", id.as_str(), "change_events"], q)
            .subject(format!("service {id}"))
            .list("change_events", window)
            .await
    }

    /// How many change events `GET /incidents/{id}/related_change_events` finds.
    pub async fn count_service_change_events(
        &self,
        id: &ServiceId,
        q: &ChangeEventQuery,
    ) -> Result<Option<u64>> {
        total(
            self.change_events_call(&["services", id.as_str(), "change_events"], q)
                .subject(format!("service {id}")),
        )
        .await
    }

    /// The changes PagerDuty correlates with an incident, with the reason (one page).
    pub async fn list_incident_change_events(
        &self,
        id: &IncidentId,
        limit: u32,
    ) -> Result<Vec<ChangeEvent>> {
        self.request(
            Method::GET,
            &["incidents", id.as_str(), "related_change_events"],
        )
        .subject(format!("incident {id}"))
        .query("limit", limit)
        .send_one("change_events")
        .await
    }
}
