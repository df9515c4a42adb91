//! Typed PagerDuty objects, trimmed to what an on-call engineer reads: each object that has a
//! page in PagerDuty keeps its `html_url` (the link to give a person), API `self` links go, and
//! absent or empty fields are left out when serialized.

mod alert_grouping;
mod analytics;
mod audit;
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
mod maintenance_window;
mod notification_rule;
mod oncall;
mod priority;
mod schedule;
mod service;
mod status_page;
mod status_update;
mod team;
mod user;
mod webhook;

pub(crate) use common::lenient;
pub use common::{Reference, Time};
pub use escalation_policy::{EscalationPolicy, EscalationRule, RuleAssignment};
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
pub use audit::{AuditDetails, AuditField, AuditMethod, AuditPage, AuditRecord, AuditReferences};
pub use business_service::{BusinessService, ServiceDependency};
pub use change_event::{ChangeEvent, CorrelationReason, Link};
pub use incident_intelligence::{
    IncidentSummary, IncidentTemplate, Occurrence, OutlierIncident, OutlierIncidentInfo,
    PastIncident, PastIncidents, RelatedIncident, Relationship,
};
pub use log_entry::LogEntry;
pub use maintenance_window::{MaintenanceState, MaintenanceWindow};
pub use notification_rule::{ContactMethod, HandoffNotificationRule, NotificationRule};
pub use priority::Priority;
pub use status_update::StatusUpdate;

// Event orchestrations and status pages.
pub use event_orchestration::{
    EventOrchestration, OrchestrationCondition, OrchestrationIntegration, OrchestrationPath,
    OrchestrationRule, OrchestrationRuleSet,
};
pub use status_page::{
    PostType, ReviewedStatus, StatusPage, StatusPageImpactRef, StatusPageOption, StatusPagePost,
    StatusPagePostUpdate, StatusPageType,
};

/// PagerDuty may omit or vary fields the spec calls optional: one odd field never fails a
/// whole answer (each case beside its positive control).
#[cfg(test)]
mod lenient_tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn missing_ids_are_not_fatal() {
        let ev: ChangeEvent = serde_json::from_value(json!({"summary": "Deploy v2"})).unwrap();
        assert!(ev.id.is_none());
        let ev: ChangeEvent =
            serde_json::from_value(json!({"id": "PCE1", "summary": "Deploy v2"})).unwrap();
        assert_eq!(ev.id.unwrap().as_str(), "PCE1");
        let note: Note = serde_json::from_value(json!({"content": "rolled back"})).unwrap();
        assert!(note.id.is_none());
        assert_eq!(note.content, "rolled back");
    }

    #[test]
    fn varying_shapes_are_read() {
        // past_incidents[].incident.created_at is a plain string in the spec.
        let past: PastIncident = serde_json::from_value(json!({
            "incident": {"id": "Q1", "created_at": "2026-11-20 10:00:00 UTC", "title": "Disk full"},
            "score": 0.9
        }))
        .unwrap();
        assert_eq!(
            past.incident.created_at.as_deref(),
            Some("2026-11-20 10:00:00 UTC")
        );
        // responder_id is declared an integer, while the examples use strings.
        let m: ResponderMetrics =
            serde_json::from_value(json!({"responder_id": 1234, "responder_name": "Ann"})).unwrap();
        assert_eq!(m.responder_id.as_deref(), Some("1234"));
        let m: ResponderMetrics =
            serde_json::from_value(json!({"responder_id": "PU1", "total_incident_count": 3}))
                .unwrap();
        assert_eq!(m.responder_id.as_deref(), Some("PU1"));
        assert!(m.total_incident_count.is_some());
        // A rule's assignment strategy: a string in the schema, an object in the examples.
        for strategy in [json!("round_robin"), json!({"type": "round_robin"})] {
            let r: EscalationRule = serde_json::from_value(json!({
                "escalation_delay_in_minutes": 30,
                "targets": [{"id": "PU1", "type": "user_reference"}],
                "escalation_rule_assignment_strategy": strategy
            }))
            .unwrap();
            assert_eq!(
                r.escalation_rule_assignment_strategy,
                Some(RuleAssignment::RoundRobin)
            );
        }
    }

    #[test]
    fn an_unknown_value_in_an_optional_field_is_absent() {
        let user = |role: &str| {
            serde_json::from_value::<User>(json!({
                "id": "PU1", "name": "Ann", "email": "ann@example.com", "role": role,
                "html_url": "https://acme.pagerduty.com/users/PU1"
            }))
            .unwrap()
        };
        assert_eq!(user("admin").role, Some(UserRole::Admin));
        let u = user("galactic_overlord");
        assert!(u.role.is_none());
        assert_eq!(u.name, "Ann");
        assert_eq!(
            u.html_url.as_deref(),
            Some("https://acme.pagerduty.com/users/PU1")
        );
    }
}
