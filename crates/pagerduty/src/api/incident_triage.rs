//! Triage writes: merge incidents, snooze an acknowledged one, post a status update.

use reqwest::Method;
use serde_json::json;

use super::{references, set};
use crate::ids::IncidentId;
use crate::models::{Incident, Reference, StatusUpdate};
use crate::{Client, Result};

impl Client {
    /// Moves the sources' alerts into `target` and resolves the sources; answers the target.
    pub async fn merge_incidents(
        &self,
        target: &IncidentId,
        sources: &[IncidentId],
    ) -> Result<Reference> {
        let refs = references(sources, "incident_reference");
        self.nested::<Incident>(Method::PUT, target, &["merge"])
            .attributed()
            .json(&json!({ "source_incidents": refs }))?
            .send_one("incident")
            .await
    }

    /// Quiets an acknowledged incident for `seconds` (1 to 604800); then it triggers again.
    pub async fn snooze_incident(&self, id: &IncidentId, seconds: u32) -> Result<Incident> {
        self.nested::<Incident>(Method::POST, id, &["snooze"])
            .attributed()
            .json(&json!({ "duration": seconds }))?
            .send_one("incident")
            .await
    }

    /// Posts a stakeholder status update; `email` is (subject, HTML body) for a custom email.
    pub async fn send_status_update(
        &self,
        id: &IncidentId,
        message: &str,
        email: Option<(&str, &str)>,
    ) -> Result<StatusUpdate> {
        let mut body = json!({ "message": message });
        if let Some((subject, html)) = email {
            set(&mut body, "subject", json!(subject));
            set(&mut body, "html_message", json!(html));
        }
        self.nested::<Incident>(Method::POST, id, &["status_updates"])
            .attributed()
            .json(&body)?
            .send_one("status_update")
            .await
    }
}
