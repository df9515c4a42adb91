use serde::Serialize;

use super::{reference, references, set_some};

use crate::ids::TeamId;
use crate::models::Service;

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /services`.
pub struct ServiceQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// Only these teams' services.
    pub team_ids: Vec<TeamId>,
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

impl super::Fields for ServiceFields {
    type Object = Service;

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn body(&self) -> serde_json::Value {
        use serde_json::json;
        let mut s = json!({"type": "service"});
        set_some(&mut s, "name", self.name.as_ref());
        set_some(&mut s, "description", self.description.as_ref());
        let policy = self.escalation_policy_id.as_ref();
        let policy = policy.map(|ep| reference(ep, "escalation_policy_reference"));
        set_some(&mut s, "escalation_policy", policy);
        let teams = self.team_ids.as_ref();
        set_some(
            &mut s,
            "teams",
            teams.map(|t| references(t, "team_reference")),
        );
        set_some(
            &mut s,
            "acknowledgement_timeout",
            self.acknowledgement_timeout,
        );
        set_some(&mut s, "auto_resolve_timeout", self.auto_resolve_timeout);
        set_some(&mut s, "status", self.status.as_ref());
        let urgency = self.urgency.as_ref();
        let rule = urgency.map(|u| json!({"type": "constant", "urgency": u}));
        set_some(&mut s, "incident_urgency_rule", rule);
        s
    }
}
