//! In-memory state of the simulated PagerDuty account(s).
//!
//! Resources are kept as typed Rust structs (not JSON) so that writes,
//! filters and the schedule renderer work on real data; `render.rs` turns
//! them into API JSON. The store holds a list of accounts and a token table
//! so that later work can add more accounts keyed by token.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

/// Enums the API spells as lower-case strings: `as_str`/`parse` give the wire form, and they
/// serialize as it.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant),*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),*
                }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        /// Compares the wire form, e.g. `incident.status == "resolved"` in tests.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// An incident's state.
    IncidentStatus {
        Triggered => "triggered",
        Acknowledged => "acknowledged",
        Resolved => "resolved",
    }
}

wire_enum! {
    /// An incident's urgency. Declared most urgent first, so sorting ascending puts high first
    /// (as the API does), by intent rather than by the spelling.
    Urgency {
        High => "high",
        Low => "low",
    }
}

wire_enum! {
    /// How bad an alert's event is (Events API v2 `payload.severity`).
    Severity {
        Critical => "critical",
        Error => "error",
        Warning => "warning",
        Info => "info",
    }
}

wire_enum! {
    /// An alert's state.
    AlertStatus {
        Triggered => "triggered",
        Resolved => "resolved",
    }
}

/// Who a credential acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A user API key (`Token token=...`), acting as that user.
    UserToken { user_id: String },
    /// An account-level (general access) API key.
    AccountKey { read_only: bool },
    /// A user OAuth token (`Bearer ...`), acting as that user.
    OAuth { user_id: String },
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub role: String,
    pub job_title: String,
    pub color: String,
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub contact_methods: Vec<ContactMethod>,
}

#[derive(Debug, Clone)]
pub struct ContactMethod {
    pub id: String,
    /// `email_contact_method`, `phone_contact_method`, `sms_contact_method`.
    pub kind: String,
    pub label: String,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `manager` (public team) or `none` (private team).
    pub default_role: String,
}

/// A user's membership of a team, with the team role (manager/responder/observer).
#[derive(Debug, Clone)]
pub struct Membership {
    pub team_id: String,
    pub user_id: String,
    pub role: String,
}

#[derive(Debug, Clone)]
pub struct Integration {
    pub id: String,
    pub name: String,
    /// 32-char Events API v2 routing key.
    pub integration_key: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: String,
    pub escalation_policy_id: String,
    pub team_ids: Vec<String>,
    pub created_at: Timestamp,
    pub acknowledgement_timeout: Option<i64>,
    pub auto_resolve_timeout: Option<i64>,
    pub integrations: Vec<Integration>,
    /// When true the service is "disabled" regardless of incidents.
    pub disabled: bool,
    /// Urgency of new incidents (`incident_urgency_rule` of type constant):
    /// `high`, `low` or `severity_based`; `None` means high.
    pub incident_urgency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    User(String),
    Schedule(String),
}

#[derive(Debug, Clone)]
pub struct EscalationRule {
    pub id: String,
    pub delay_minutes: i64,
    pub targets: Vec<Target>,
    /// One target in turn instead of all of them.
    pub round_robin: bool,
}

#[derive(Debug, Clone, Default)]
pub struct EscalationPolicy {
    pub id: String,
    pub name: String,
    pub description: String,
    pub num_loops: i64,
    pub rules: Vec<EscalationRule>,
    pub team_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestrictionKind {
    Daily,
    Weekly,
}

#[derive(Debug, Clone)]
pub struct Restriction {
    pub kind: RestrictionKind,
    /// Seconds after local midnight.
    pub start_time_of_day: i64,
    pub duration_seconds: i64,
    /// ISO weekday (1 = Monday .. 7 = Sunday); only for weekly restrictions.
    pub start_day_of_week: Option<i8>,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub rotation_virtual_start: Timestamp,
    pub rotation_turn_length_seconds: i64,
    pub user_ids: Vec<String>,
    pub restrictions: Vec<Restriction>,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub id: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub user_id: String,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: String,
    pub name: String,
    pub description: String,
    pub time_zone: String,
    /// Later layers take precedence over earlier ones.
    pub layers: Vec<Layer>,
    pub overrides: Vec<Override>,
    pub team_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Priority {
    pub id: String,
    pub name: String,
    pub description: String,
    pub color: String,
}

/// Who performed an action (log entry agent, last_status_change_by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agent {
    User(String),
    Service(String),
}

#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub created_at: Timestamp,
    pub status: AlertStatus,
    pub alert_key: String,
    pub severity: Severity,
    pub summary: String,
    pub details: Value,
    pub integration_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub user_id: String,
    pub content: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Responder {
    pub user_id: String,
    pub state: String,
    pub requester_id: String,
    pub requested_at: Timestamp,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ResponderRequest {
    pub id: String,
    pub requester_id: String,
    pub requested_at: Timestamp,
    pub message: String,
    /// (target type, target id) e.g. ("user_reference", "PXXXX").
    pub targets: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub number: u64,
    pub title: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub status: IncidentStatus,
    pub incident_key: String,
    pub service_id: String,
    pub escalation_policy_id: String,
    /// 1-based current escalation level.
    pub escalation_level: usize,
    pub urgency: Urgency,
    pub priority_id: Option<String>,
    /// (user id, assigned at)
    pub assignments: Vec<(String, Timestamp)>,
    pub assigned_via: String,
    /// (user id, acknowledged at)
    pub acknowledgements: Vec<(String, Timestamp)>,
    pub resolved_at: Option<Timestamp>,
    pub last_status_change_at: Timestamp,
    pub last_status_change_by: Agent,
    pub body_details: Option<Value>,
    pub alerts: Vec<Alert>,
    pub notes: Vec<Note>,
    pub responders: Vec<Responder>,
    pub responder_requests: Vec<ResponderRequest>,
    pub first_trigger_log_entry_id: String,
    pub team_ids: Vec<String>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.status != IncidentStatus::Resolved
    }
    /// Back to triggered, neither acknowledged nor resolved (assignment is the caller's).
    pub fn retrigger(&mut self) {
        self.status = IncidentStatus::Triggered;
        self.acknowledgements.clear();
        self.resolved_at = None;
    }
}

#[derive(Debug, Clone)]
pub struct LogEntry {
    pub id: String,
    /// e.g. `trigger_log_entry`, `acknowledge_log_entry`.
    pub kind: String,
    pub created_at: Timestamp,
    pub incident_id: String,
    pub service_id: String,
    pub team_ids: Vec<String>,
    pub agent: Agent,
    /// Channel `type`, e.g. `api`, `web_ui`, `note`, `auto`.
    pub channel: String,
    pub summary: String,
    pub note: Option<String>,
    /// Assignees for assign/escalate entries.
    pub assignees: Vec<String>,
    /// The notified user for notify entries.
    pub user_id: Option<String>,
}

/// A V3 webhook subscription.
#[derive(Debug, Clone)]
pub struct WebhookSubscription {
    pub id: String,
    pub description: String,
    pub active: bool,
    pub events: Vec<String>,
    /// `account_reference`, `service_reference` or `team_reference`.
    pub filter_type: String,
    pub filter_id: Option<String>,
    pub delivery_method_id: String,
    pub url: String,
    /// (name, value); values are redacted on every read.
    pub custom_headers: Vec<(String, String)>,
    /// Signs payloads; returned once, in the create response.
    pub secret: String,
    pub temporarily_disabled: bool,
}

/// An extension vendor (Slack, ServiceNow, a generic webhook...).
#[derive(Debug, Clone)]
pub struct ExtensionSchema {
    pub id: String,
    pub key: String,
    pub label: String,
    pub description: String,
    pub guide_url: String,
    pub url: String,
    pub send_types: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct WorkflowStep {
    pub id: String,
    pub name: String,
    pub description: String,
    pub action_id: String,
    /// (name, value)
    pub inputs: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct IncidentWorkflowRun {
    pub id: String,
    pub incident_id: String,
    pub started_at: Timestamp,
    pub started_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IncidentWorkflow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: Timestamp,
    pub team_id: Option<String>,
    pub is_enabled: bool,
    pub steps: Vec<WorkflowStep>,
    pub runs: Vec<IncidentWorkflowRun>,
}

/// One PagerDuty account (subdomain) with all its resources.
#[derive(Debug, Clone, Default)]
pub struct Account {
    pub subdomain: String,
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub memberships: Vec<Membership>,
    pub services: Vec<Service>,
    pub escalation_policies: Vec<EscalationPolicy>,
    pub schedules: Vec<Schedule>,
    pub priorities: Vec<Priority>,
    /// Ascending by incident number (= created_at).
    pub incidents: Vec<Incident>,
    /// Ascending by created_at.
    pub log_entries: Vec<LogEntry>,
    pub id_counter: u64,
    pub webhook_subscriptions: Vec<WebhookSubscription>,
    pub extension_schemas: Vec<ExtensionSchema>,
    pub incident_workflows: Vec<IncidentWorkflow>,
    /// Shift-based schedules (`/v3/schedules`), kept apart from the layer-based ones.
    pub schedules_v3: Vec<crate::schedule_v3::ScheduleV3>,
    pub alert_grouping_settings: Vec<AlertGroupingSetting>,
    /// Ascending by timestamp.
    pub change_events: Vec<ChangeEvent>,
    pub business_services: Vec<BusinessService>,
    pub service_dependencies: Vec<ServiceDependency>,
    pub event_orchestrations: Vec<crate::event_orchestrations::EventOrchestration>,
    pub service_orchestrations: Vec<crate::event_orchestrations::ServiceOrchestration>,
    pub status_pages: Vec<crate::status_pages::StatusPage>,
    pub maintenance_windows: Vec<crate::maintenance_windows::MaintenanceWindow>,
    /// Acknowledged incidents that trigger again when their snooze ends.
    pub snoozes: Vec<crate::routes::incident_triage::Snooze>,
    /// Ascending by created_at.
    pub status_updates: Vec<crate::routes::incident_triage::StatusUpdate>,
    /// Ascending by execution time (writes append).
    pub audit_records: Vec<crate::audit::AuditRecord>,
    pub notification_rules: Vec<crate::notification_rules::NotificationRule>,
    pub handoff_rules: Vec<crate::notification_rules::HandoffRule>,
}

impl Account {
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
    pub fn escalation_policy(&self, id: &str) -> Option<&EscalationPolicy> {
        self.escalation_policies.iter().find(|e| e.id == id)
    }
    pub fn schedule(&self, id: &str) -> Option<&Schedule> {
        self.schedules.iter().find(|s| s.id == id)
    }
    pub fn schedule_v3(&self, id: &str) -> Option<&crate::schedule_v3::ScheduleV3> {
        self.schedules_v3.iter().find(|s| s.id == id)
    }
    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }
    /// Looks an incident up by id or by incident number, as the real API does.
    pub fn incident_index(&self, id_or_number: &str) -> Option<usize> {
        if let Some(i) = self.incidents.iter().position(|i| i.id == id_or_number) {
            return Some(i);
        }
        let n: u64 = id_or_number.parse().ok()?;
        self.incidents.iter().position(|i| i.number == n)
    }
    pub fn incident(&self, id_or_number: &str) -> Option<&Incident> {
        self.incident_index(id_or_number)
            .map(|i| &self.incidents[i])
    }
    /// The log entry that triggered `inc`: found from the incident's creation time, since
    /// the log is kept sorted by time (a page of incidents must not scan the whole log).
    pub fn first_trigger_log_entry(&self, inc: &Incident) -> Option<&LogEntry> {
        let id = &inc.first_trigger_log_entry_id;
        let from = self
            .log_entries
            .partition_point(|e| e.created_at < inc.created_at);
        self.log_entries[from..]
            .iter()
            .take_while(|e| e.created_at == inc.created_at)
            .find(|e| &e.id == id)
            .or_else(|| self.log_entries.iter().find(|e| &e.id == id))
    }

    pub fn team_ids_of_user(&self, user_id: &str) -> Vec<String> {
        self.memberships
            .iter()
            .filter(|m| m.user_id == user_id)
            .map(|m| m.team_id.clone())
            .collect()
    }
    pub fn next_incident_number(&self) -> u64 {
        self.incidents.iter().map(|i| i.number).max().unwrap_or(0) + 1
    }

    /// A fresh PagerDuty-style id (`P` + 6 base-36 chars) for objects created
    /// by writes. Derived from a counter, so it is deterministic and never
    /// collides with seeded ids (which use a different alphabet position).
    pub fn new_id(&mut self) -> String {
        self.id_counter += 1;
        let mut n = self.id_counter;
        let mut s = String::from("PW");
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for _ in 0..5 {
            s.push(ALPHABET[(n % 36) as usize] as char);
            n /= 36;
        }
        s
    }
}

/// All accounts plus the token table.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub accounts: Vec<Account>,
    /// token -> (account index, credential)
    pub tokens: HashMap<String, (usize, Credential)>,
}

impl Store {
    pub fn lookup_token(&self, token: &str) -> Option<(usize, Credential)> {
        self.tokens.get(token).cloned()
    }
}

/// An alert grouping setting: how alerts on its services group into incidents.
#[derive(Debug, Clone)]
pub struct AlertGroupingSetting {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// content_based, content_based_intelligent, intelligent or time.
    pub kind: String,
    /// The type's config object, as sent (validated).
    pub config: Value,
    pub service_ids: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A change event (deploy, config change) sent to a service's integration.
#[derive(Debug, Clone)]
pub struct ChangeEvent {
    pub id: String,
    pub summary: String,
    pub timestamp: Timestamp,
    pub source: String,
    pub service_ids: Vec<String>,
    pub integration_id: Option<String>,
    pub routing_key: String,
    /// `[{href, text}]`
    pub links: Vec<(String, String)>,
    pub custom_details: Value,
}

/// A business service: what customers experience, backed by technical services.
#[derive(Debug, Clone)]
pub struct BusinessService {
    pub id: String,
    pub name: String,
    pub description: String,
    pub point_of_contact: String,
    pub team_id: Option<String>,
}

/// Which side of a dependency a service is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceKind {
    Business,
    Technical,
}

impl ServiceKind {
    pub fn reference_type(self) -> &'static str {
        match self {
            Self::Business => "business_service_reference",
            Self::Technical => "technical_service_reference",
        }
    }
}

/// `dependent` depends on (is supported by) `supporting`.
#[derive(Debug, Clone)]
pub struct ServiceDependency {
    pub id: String,
    pub supporting: (ServiceKind, String),
    pub dependent: (ServiceKind, String),
}

impl Account {
    /// Technical services the given technical service depends on, directly.
    pub fn supporting_technical_services(&self, service_id: &str) -> Vec<String> {
        self.service_dependencies
            .iter()
            .filter(|d| d.dependent == (ServiceKind::Technical, service_id.to_string()))
            .filter(|d| d.supporting.0 == ServiceKind::Technical)
            .map(|d| d.supporting.1.clone())
            .collect()
    }
}
