//! Typed PagerDuty objects, trimmed to what an on-call engineer reads: no `self`/`html_url`
//! links, and absent or empty fields are left out when serialized.

mod alert_grouping;
mod analytics;
mod business_service;
mod change_event;
mod common;
mod escalation_policy;
mod incident;
mod incident_intelligence;
mod log_entry;
mod oncall;
mod priority;
mod service;
mod user;

pub use common::{Reference, Time};
pub use escalation_policy::{EscalationPolicy, EscalationRule};
pub use incident::{
    Acknowledgement, Alert, AlertCounts, AlertStatus, Assignment, Incident, IncidentStatus, Note,
    Responder, ResponderRequest, Urgency,
};
pub use oncall::Oncall;
pub use service::Service;
pub use user::{User, UserRole};

// Incident context: grouping, changes, intelligence, log entries, priorities, analytics.
pub use alert_grouping::{AlertGroupingPage, AlertGroupingSetting, AlertGroupingType};
pub use analytics::{IncidentMetrics, ResponderMetrics};
pub use business_service::{BusinessService, ServiceDependency};
pub use change_event::{ChangeEvent, CorrelationReason, Link};
pub use incident_intelligence::{
    IncidentSummary, IncidentTemplate, Occurrence, OutlierIncident, OutlierIncidentInfo,
    PastIncident, PastIncidents, RelatedIncident, Relationship,
};
pub use log_entry::LogEntry;
pub use priority::Priority;
