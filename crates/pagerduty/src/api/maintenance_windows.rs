//! Maintenance windows: silence services for a while (a deploy, a migration).

use reqwest::Method;
use serde_json::json;

use crate::ids::{MaintenanceWindowId, ServiceId, TeamId};
use crate::models::{MaintenanceState, MaintenanceWindow, Time};
use crate::{Client, Page, Result, Window};

/// Filters for listing maintenance windows.
#[derive(Clone, Debug, Default)]
pub struct MaintenanceQuery {
    /// Past, ongoing, future or open ones (PagerDuty's default: all).
    pub state: Option<MaintenanceState>,
    /// Windows covering any of these services.
    pub service_ids: Vec<ServiceId>,
    /// Windows of any of these teams.
    pub team_ids: Vec<TeamId>,
    /// Description contains this text.
    pub query: Option<String>,
}

impl Client {
    /// One window of the maintenance windows matching `q`.
    pub async fn list_maintenance_windows(
        &self,
        q: &MaintenanceQuery,
        window: Window,
    ) -> Result<Page<MaintenanceWindow>> {
        self.request(Method::GET, &["maintenance_windows"])
            .subject("the maintenance window list")
            .query_opt("filter", q.state.map(MaintenanceState::query_value))
            .query_list("service_ids", &q.service_ids)
            .query_list("team_ids", &q.team_ids)
            .query_opt("query", q.query.as_deref())
            .list("maintenance_windows", window)
            .await
    }

    /// A start in the past becomes now (PagerDuty's rule); the end must be in the future.
    pub async fn create_maintenance_window(
        &self,
        start: Time,
        end: Time,
        description: &str,
        service_ids: &[ServiceId],
    ) -> Result<MaintenanceWindow> {
        let services: Vec<_> = service_ids
            .iter()
            .map(|id| json!({"id": id, "type": "service_reference"}))
            .collect();
        let body = json!({"maintenance_window": {
            "type": "maintenance_window",
            "start_time": start,
            "end_time": end,
            "description": description,
            "services": services,
        }});
        self.request(Method::POST, &["maintenance_windows"])
            .subject("creating a maintenance window")
            .json(&body)?
            .send_one("maintenance_window")
            .await
    }

    /// Deletes a future window, or ends an ongoing one now.
    pub async fn delete_maintenance_window(&self, id: &MaintenanceWindowId) -> Result<()> {
        self.request(Method::DELETE, &["maintenance_windows", id.as_str()])
            .subject(format!("maintenance window {id}"))
            .send_empty()
            .await
    }
}
