use serde::Serialize;

use super::{Sorted, set};

use crate::ids::{ServiceId, TeamId};
use crate::models::Service;
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /services`.
pub struct ServiceQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// Only these teams' services.
    pub team_ids: Vec<TeamId>,
}

impl Client {
    /// `GET /services`, a page of them.
    pub async fn list_services(&self, q: &ServiceQuery, window: Window) -> Result<Page<Service>> {
        self.list::<Service>(
            &Sorted {
                sort_by: "name",
                filters: q,
            },
            window,
        )
        .await
    }

    /// `GET /services/{id}`.
    pub async fn get_service(&self, id: &ServiceId) -> Result<Service> {
        self.get::<Service>(id).await
    }
}

/// The writable fields of a service. Unset fields are left out (kept on update).
#[derive(Clone, Debug, Default)]
pub struct ServiceFields {
    /// The service's name.
    pub name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// The policy its incidents escalate along.
    pub escalation_policy_id: Option<crate::ids::EscalationPolicyId>,
    /// The teams it belongs to.
    pub team_ids: Option<Vec<TeamId>>,
    /// Seconds; `Some(None)` turns the time-out off.
    pub acknowledgement_timeout: Option<Option<u64>>,
    /// Seconds until an open incident resolves itself; `Some(None)` turns that off.
    pub auto_resolve_timeout: Option<Option<u64>>,
    /// `active` or `disabled`.
    pub status: Option<String>,
    /// `high`, `low` or `severity_based` for every new incident.
    pub urgency: Option<String>,
}

impl ServiceFields {
    fn body(&self) -> serde_json::Value {
        use serde_json::json;
        let mut s = json!({"type": "service"});
        if let Some(n) = &self.name {
            set(&mut s, "name", json!(n));
        }
        if let Some(d) = &self.description {
            set(&mut s, "description", json!(d));
        }
        if let Some(ep) = &self.escalation_policy_id {
            set(
                &mut s,
                "escalation_policy",
                json!({"id": ep, "type": "escalation_policy_reference"}),
            );
        }
        if let Some(teams) = &self.team_ids {
            set(
                &mut s,
                "teams",
                teams
                    .iter()
                    .map(|t| json!({"id": t, "type": "team_reference"}))
                    .collect(),
            );
        }
        if let Some(t) = self.acknowledgement_timeout {
            set(&mut s, "acknowledgement_timeout", json!(t));
        }
        if let Some(t) = self.auto_resolve_timeout {
            set(&mut s, "auto_resolve_timeout", json!(t));
        }
        if let Some(st) = &self.status {
            set(&mut s, "status", json!(st));
        }
        if let Some(u) = &self.urgency {
            set(
                &mut s,
                "incident_urgency_rule",
                json!({"type": "constant", "urgency": u}),
            );
        }
        s
    }
}

impl Client {
    /// `POST /services`.
    pub async fn create_service(&self, service: &ServiceFields) -> Result<Service> {
        let name = service.name.as_deref().unwrap_or_default();
        self.create::<Service>(format!("creating service \"{name}\""), service.body())
            .await
    }

    /// `PUT /services/{id}`.
    pub async fn update_service(&self, id: &ServiceId, service: &ServiceFields) -> Result<Service> {
        self.update::<Service>(id, service.body()).await
    }
}
