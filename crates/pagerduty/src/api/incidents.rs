//! Incidents and what hangs off them: alerts, notes, responder requests.

use futures::{Stream, TryStreamExt};
use reqwest::Method;
use serde::Serialize;
use serde_json::json;

use super::{Resource, reference, set, set_some};

use crate::ids::{AlertId, EscalationPolicyId, IncidentId, PriorityId, ServiceId, TeamId, UserId};
use crate::models::{
    Alert, AlertStatus, Incident, IncidentStatus, LogEntry, Note, Reference, ResponderRequest,
    Time, Urgency,
};
use crate::{Client, Page, Result, Window};

/// Filters for `GET /incidents`. Empty sets mean "any". There is no priority filter: the
/// endpoint declares none, so callers filter on [`Incident::priority`] themselves.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IncidentQuery {
    /// Only these statuses.
    pub statuses: Vec<IncidentStatus>,
    /// Only these urgencies.
    pub urgencies: Vec<Urgency>,
    /// Only these services.
    pub service_ids: Vec<ServiceId>,
    /// Only these teams.
    pub team_ids: Vec<TeamId>,
    /// Incidents currently assigned to these users.
    pub user_ids: Vec<UserId>,
    /// Created at or after this time.
    pub since: Option<Time>,
    /// Created before this time.
    pub until: Option<Time>,
    /// Ignore since/until and search all time.
    #[serde(rename = "date_range", serialize_with = "all_dates")]
    pub all_time: bool,
    /// E.g. `created_at:desc`.
    pub sort_by: Option<String>,
    /// Related objects to embed (`include[]`).
    pub include: Vec<String>,
}

/// A new incident for `POST /incidents`.
#[derive(Clone, Debug)]
pub struct NewIncident {
    /// The incident's title.
    pub title: String,
    /// The service it is on.
    pub service_id: ServiceId,
    /// Its urgency; absent: the service's rule decides.
    pub urgency: Option<Urgency>,
    /// The body's details text.
    pub details: Option<String>,
    /// Assign these users (instead of the escalation policy).
    pub assignee_ids: Vec<UserId>,
    /// Escalate along this policy instead of the service's.
    pub escalation_policy_id: Option<EscalationPolicyId>,
    /// Its priority.
    pub priority_id: Option<PriorityId>,
    /// A de-duplication key: a second incident with it is refused while the first is open.
    pub incident_key: Option<String>,
}

/// Changes to apply to one or more incidents. Unset fields are left alone.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IncidentUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The new status.
    pub status: Option<IncidentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The new urgency.
    pub urgency: Option<Urgency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Escalate (or de-escalate) to this level of the policy.
    pub escalation_level: Option<u32>,
    /// Replace the assignees with these users.
    #[serde(
        rename = "assignments",
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "user_assignments"
    )]
    pub assignee_ids: Vec<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The new title.
    pub title: Option<String>,
    /// Text added to the resolve log entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

/// `date_range=all` when set, nothing otherwise.
fn all_dates<S: serde::Serializer>(all: &bool, s: S) -> std::result::Result<S::Ok, S::Error> {
    if *all {
        s.serialize_str("all")
    } else {
        s.serialize_none()
    }
}

fn user_assignments<S: serde::Serializer>(
    ids: &[UserId],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(ids.iter().map(assignment))
}

fn assignment(id: &UserId) -> serde_json::Value {
    json!({"assignee": {"id": id, "type": "user_reference"}})
}

impl IncidentUpdate {
    /// True when the update would change nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.urgency.is_none()
            && self.escalation_level.is_none()
            && self.assignee_ids.is_empty()
            && self.title.is_none()
            && self.resolution.is_none()
    }
}

/// Filters for an incident's alerts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AlertQuery {
    /// Only these statuses.
    pub statuses: Vec<AlertStatus>,
    /// Only the alert with this key.
    pub alert_key: Option<String>,
}

impl Client {
    /// Every matching incident, one page in memory at a time.
    pub fn stream_incidents(
        &self,
        q: &IncidentQuery,
        cap: usize,
    ) -> impl Stream<Item = Result<Incident>> + '_ {
        let call = self.collection::<Incident>(Method::GET).filters(q);
        futures::stream::once(async { call })
            .map_ok(move |call| call.stream(Incident::MANY, cap))
            .try_flatten()
    }

    /// One incident by id or by incident number.
    pub async fn get_incident(&self, id: &IncidentId, include: &[String]) -> Result<Incident> {
        self.member::<Incident>(Method::GET, id)
            .query_list("include", include)
            .send_one(Incident::ONE)
            .await
    }

    /// `POST /incidents`.
    pub async fn create_incident(&self, new: &NewIncident) -> Result<Incident> {
        let mut incident = json!({
            "type": "incident",
            "title": new.title,
            "service": reference(&new.service_id, "service_reference"),
        });
        set_some(&mut incident, "urgency", new.urgency);
        let body = new.details.as_ref();
        let body = body.map(|d| json!({"type": "incident_body", "details": d}));
        set_some(&mut incident, "body", body);
        if !new.assignee_ids.is_empty() {
            set(
                &mut incident,
                "assignments",
                new.assignee_ids.iter().map(assignment).collect(),
            );
        }
        let policy = new.escalation_policy_id.as_ref();
        let policy = policy.map(|ep| reference(ep, "escalation_policy_reference"));
        set_some(&mut incident, "escalation_policy", policy);
        let priority = new.priority_id.as_ref();
        let priority = priority.map(|p| reference(p, "priority_reference"));
        set_some(&mut incident, "priority", priority);
        set_some(&mut incident, "incident_key", new.incident_key.as_ref());
        self.collection::<Incident>(Method::POST)
            .subject(format!("creating incident \"{}\"", new.title))
            .attributed()
            .send_object(incident)
            .await
    }

    /// Applies one update to several incidents in a single bulk request (at most 250).
    pub async fn update_incidents(
        &self,
        ids: &[IncidentId],
        update: &IncidentUpdate,
    ) -> Result<Vec<Incident>> {
        let incidents: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut item = json!(update);
                set(&mut item, "id", json!(id));
                set(&mut item, "type", json!("incident_reference"));
                item
            })
            .collect();
        self.request(Method::PUT, &["incidents"])
            .subject(format!("the update of {} incident(s)", ids.len()))
            .attributed()
            .json(&json!({ "incidents": incidents }))?
            .send_one("incidents")
            .await
    }

    /// An incident's timeline; `overview` keeps only state changes.
    pub async fn list_incident_log_entries(
        &self,
        id: &IncidentId,
        overview: bool,
        window: Window,
    ) -> Result<Page<LogEntry>> {
        let page = self
            .nested::<Incident>(Method::GET, id, &["log_entries"])
            .query_opt("is_overview", overview.then_some("true"))
            .list(LogEntry::MANY, window)
            .await?;
        Ok(super::log_entries::trimmed(page))
    }

    /// `GET /incidents/{id}/notes`.
    pub async fn list_incident_notes(&self, id: &IncidentId) -> Result<Vec<Note>> {
        self.nested::<Incident>(Method::GET, id, &["notes"])
            .send_one("notes")
            .await
    }

    /// `POST /incidents/{id}/notes`.
    pub async fn add_incident_note(&self, id: &IncidentId, content: &str) -> Result<Note> {
        self.nested::<Incident>(Method::POST, id, &["notes"])
            .attributed()
            .json(&json!({"note": {"content": content}}))?
            .send_one("note")
            .await
    }

    /// `GET /incidents/{id}/alerts`, a page of them.
    pub async fn list_incident_alerts(
        &self,
        id: &IncidentId,
        q: &AlertQuery,
        window: Window,
    ) -> Result<Page<Alert>> {
        self.nested::<Incident>(Method::GET, id, &["alerts"])
            .filters(q)?
            .list("alerts", window)
            .await
    }

    /// `GET /incidents/{id}/alerts/{alert_id}`.
    pub async fn get_incident_alert(&self, id: &IncidentId, alert: &AlertId) -> Result<Alert> {
        self.nested::<Incident>(Method::GET, id, &["alerts", alert.as_str()])
            .subject(format!("alert {alert} of incident {id}"))
            .send_one("alert")
            .await
    }

    /// Asks users or escalation policies to join the response. `requester` is who asks.
    pub async fn add_responders(
        &self,
        id: &IncidentId,
        requester: &UserId,
        message: &str,
        targets: &[Reference],
    ) -> Result<ResponderRequest> {
        let targets: Vec<_> = targets
            .iter()
            .map(|t| json!({"responder_request_target": {"id": t.id, "type": t.kind}}))
            .collect();
        self.nested::<Incident>(Method::POST, id, &["responder_requests"])
            .json(&json!({
                "requester_id": requester,
                "message": message,
                "responder_request_targets": targets,
            }))?
            .send_one("responder_request")
            .await
    }
}
