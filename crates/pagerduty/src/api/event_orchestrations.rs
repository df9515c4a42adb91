//! Event orchestrations: the global orchestrations, their router and global rules, and
//! service orchestrations.

use reqwest::Method;
use serde_json::json;

use crate::ids::{EventOrchestrationId, ServiceId};
use crate::models::{EventOrchestration, OrchestrationPath, OrchestrationRuleSet};
use crate::{Client, Page, Result, Window};

impl Client {
    /// Orchestrations in `sort_by` order (`name:asc`, `routes:desc`, `created_at:asc`…).
    pub async fn list_event_orchestrations(
        &self,
        sort_by: Option<&str>,
        window: Window,
    ) -> Result<Page<EventOrchestration>> {
        self.list_by::<EventOrchestration>(&json!({"sort_by": sort_by}), window)
            .await
    }

    /// The routing rules that send events to services.
    pub async fn get_event_orchestration_router(
        &self,
        id: &EventOrchestrationId,
    ) -> Result<OrchestrationPath> {
        self.nested::<EventOrchestration>(Method::GET, id, &["router"])
            .subject(format!("the router of event orchestration {id}"))
            .send_one("orchestration_path")
            .await
    }

    /// The rules applied to every event before routing.
    pub async fn get_event_orchestration_global(
        &self,
        id: &EventOrchestrationId,
    ) -> Result<OrchestrationPath> {
        self.nested::<EventOrchestration>(Method::GET, id, &["global"])
            .subject(format!("the global rules of event orchestration {id}"))
            .send_one("orchestration_path")
            .await
    }

    /// The rules applied to events on one service.
    pub async fn get_service_orchestration(&self, id: &ServiceId) -> Result<OrchestrationPath> {
        self.request(
            Method::GET,
            &["event_orchestrations", "services", id.as_str()],
        )
        .subject(format!("the orchestration of service {id}"))
        .send_one("orchestration_path")
        .await
    }

    /// Replaces the router's rules and catch-all (rules without an id get new ones).
    pub async fn update_event_orchestration_router(
        &self,
        id: &EventOrchestrationId,
        sets: &[OrchestrationRuleSet],
        catch_all: &serde_json::Value,
    ) -> Result<OrchestrationPath> {
        let body = json!({"orchestration_path": {
            "type": "router",
            "sets": sets,
            "catch_all": catch_all,
        }});
        self.nested::<EventOrchestration>(Method::PUT, id, &["router"])
            .subject(format!("the router of event orchestration {id}"))
            .json(&body)?
            .send_one("orchestration_path")
            .await
    }
}
