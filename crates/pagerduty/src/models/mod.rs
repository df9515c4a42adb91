//! Typed PagerDuty objects, trimmed to what an on-call engineer reads: no `self`/`html_url`
//! links, and absent or empty fields are left out when serialized.

mod alert_grouping;
mod analytics;
mod business_service;
mod change_event;
mod common;
mod escalation_policy;
mod event_orchestration;
mod extension_schema;
mod incident;
mod incident_intelligence;
mod incident_workflow;
mod log_entry;
mod oncall;
mod priority;
mod schedule;
mod service;
mod status_page;
mod team;
mod user;
mod webhook;

pub use common::{Reference, Time};
pub use escalation_policy::{EscalationPolicy, EscalationRule};
pub use extension_schema::ExtensionSchema;
pub use incident::{
    Acknowledgement, Alert, AlertCounts, AlertStatus, Assignment, Incident, IncidentStatus, Note,
    Responder, ResponderRequest, Urgency,
};
pub use incident_workflow::{IncidentWorkflow, IncidentWorkflowInstance, WorkflowStep};
pub use oncall::Oncall;
pub use schedule::{
    AssignmentStrategy, AssignmentStrategyKind, ComputedShift, CustomShift, FinalScheduleV3,
    LayerUser, MemberKind, OverrideShift, Rotation, RotationEvent, Schedule, ScheduleEntry,
    ScheduleLayer, ScheduleOverride, ScheduleOverrideResult, ScheduleV3, ScheduleV3Ref,
    ShiftAssignment, ShiftMember, SubSchedule, ZonedTime,
};
pub use service::Service;
pub use team::{Team, TeamDefaultRole, TeamMember, TeamRole};
pub use user::{User, UserRole};
pub use webhook::{
    CustomHeader, DeliveryMethod, WebhookFilter, WebhookFilterType, WebhookSubscription,
};

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

// Event orchestrations and status pages.
pub use event_orchestration::{
    EventOrchestration, OrchestrationCondition, OrchestrationIntegration, OrchestrationPath,
    OrchestrationRule, OrchestrationRuleSet,
};
pub use status_page::{
    PostType, ReviewedStatus, StatusPage, StatusPageImpactRef, StatusPageOption, StatusPagePost,
    StatusPagePostUpdate, StatusPageType,
};
