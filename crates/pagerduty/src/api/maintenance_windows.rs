//! Maintenance windows: silence services for a while (a deploy, a migration).

use serde::Serialize;
use serde_json::json;

use super::references;

use crate::ids::{MaintenanceWindowId, ServiceId, TeamId};
use crate::models::{MaintenanceState, MaintenanceWindow, Time};
use crate::{Client, Result};

/// Filters for listing maintenance windows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MaintenanceQuery {
    /// Past, ongoing, future or open ones (PagerDuty's default: all).
    #[serde(rename = "filter")]
    pub state: Option<MaintenanceState>,
    /// Windows covering any of these services.
    pub service_ids: Vec<ServiceId>,
    /// Windows of any of these teams.
    pub team_ids: Vec<TeamId>,
    /// Description contains this text.
    pub query: Option<String>,
}

impl Client {
    /// A start in the past becomes now (PagerDuty's rule); the end must be in the future.
    pub async fn create_maintenance_window(
        &self,
        start: Time,
        end: Time,
        description: &str,
        service_ids: &[ServiceId],
    ) -> Result<MaintenanceWindow> {
        let services = references(service_ids, "service_reference");
        let fields = json!({
            "type": "maintenance_window",
            "start_time": start,
            "end_time": end,
            "description": description,
            "services": services,
        });
        self.post_new::<MaintenanceWindow>("creating a maintenance window", fields)
            .await
    }

    /// Deletes a future window, or ends an ongoing one now.
    pub async fn delete_maintenance_window(&self, id: &MaintenanceWindowId) -> Result<()> {
        self.delete::<MaintenanceWindow>(id).await
    }
}
