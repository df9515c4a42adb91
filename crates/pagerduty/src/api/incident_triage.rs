//! Triage writes: merge incidents, snooze an acknowledged one.

use reqwest::Method;
use serde_json::json;

use crate::ids::IncidentId;
use crate::models::{Incident, Reference};
use crate::{Client, Result};

impl Client {
    /// Moves the sources' alerts into `target` and resolves the sources; answers the target.
    pub async fn merge_incidents(
        &self,
        target: &IncidentId,
        sources: &[IncidentId],
    ) -> Result<Reference> {
        let refs: Vec<_> = sources
            .iter()
            .map(|id| json!({"id": id, "type": "incident_reference"}))
            .collect();
        self.request(Method::PUT, &["incidents", target.as_str(), "merge"])
            .subject(format!("incident {target}"))
            .attributed()
            .json(&json!({ "source_incidents": refs }))?
            .send_one("incident")
            .await
    }

    /// Quiets an acknowledged incident for `seconds` (1 to 604800); then it triggers again.
    pub async fn snooze_incident(&self, id: &IncidentId, seconds: u32) -> Result<Incident> {
        self.request(Method::POST, &["incidents", id.as_str(), "snooze"])
            .subject(format!("incident {id}"))
            .attributed()
            .json(&json!({ "duration": seconds }))?
            .send_one("incident")
            .await
    }
}
