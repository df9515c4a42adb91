//! The audit trail: account-wide (`/audit/records`) or of one resource
//! (`/{kind}/{id}/audit/records`), newest first, cursor-paginated.

use reqwest::Method;
use serde::Deserialize;

use crate::models::{AuditPage, AuditRecord, Time};
use crate::{Client, MAX_PAGE_SIZE, Result};

/// Whose trail to read. The per-resource trails take only `since`/`until` (PagerDuty lets
/// more roles read them than the account-wide one).
#[derive(Clone, Debug)]
pub enum AuditScope {
    /// The whole account's trail, with its filters.
    Account {
        /// `users`, `teams`, `schedules`, `escalation_policies`, `services`.
        root_resource_types: Vec<&'static str>,
        /// `user_reference`, `api_key_reference` or `app_reference`, with an optional id.
        actor: Option<(&'static str, Option<String>)>,
        /// `create`, `update`, `delete`.
        actions: Vec<&'static str>,
    },
    /// A user's trail, by id.
    User(String),
    /// A team's trail, by id.
    Team(String),
    /// A layer-based schedule.
    Schedule(String),
    /// A shift-based (v3) schedule.
    ScheduleV3(String),
    /// An escalation policy's trail, by id.
    EscalationPolicy(String),
    /// A service's trail, by id.
    Service(String),
}

/// What to read of an audit trail.
#[derive(Clone, Debug)]
pub struct AuditQuery {
    /// Whose trail.
    pub scope: AuditScope,
    /// Records at or after this time (PagerDuty's default: 24 hours ago).
    pub since: Option<Time>,
    /// Records before this time.
    pub until: Option<Time>,
    /// Continue from a previous `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Deserialize)]
struct RawPage {
    records: Vec<AuditRecord>,
    #[serde(default)]
    next_cursor: Option<String>,
}

impl Client {
    /// Up to `limit` records, following cursors page by page.
    pub async fn list_audit_records(&self, q: &AuditQuery, limit: u32) -> Result<AuditPage> {
        let (path, subject): (Vec<&str>, String) = match &q.scope {
            AuditScope::Account { .. } => (vec!["audit", "records"], "the audit trail".into()),
            AuditScope::User(id) => (vec!["users", id, "audit", "records"], format!("user {id}")),
            AuditScope::Team(id) => (vec!["teams", id, "audit", "records"], format!("team {id}")),
            AuditScope::Schedule(id) => (
                vec!["schedules", id, "audit", "records"],
                format!("schedule {id}"),
            ),
            AuditScope::ScheduleV3(id) => (
                vec!["v3", "schedules", id, "audit", "records"],
                format!("schedule {id}"),
            ),
            AuditScope::EscalationPolicy(id) => (
                vec!["escalation_policies", id, "audit", "records"],
                format!("escalation policy {id}"),
            ),
            AuditScope::Service(id) => (
                vec!["services", id, "audit", "records"],
                format!("service {id}"),
            ),
        };
        let mut out = AuditPage {
            records: Vec::new(),
            next_cursor: q.cursor.clone(),
        };
        loop {
            let remaining = limit.saturating_sub(out.records.len() as u32);
            let mut call = self
                .request(Method::GET, &path)
                .subject(format!("the audit records of {subject}"))
                .query("limit", remaining.min(MAX_PAGE_SIZE))
                .query_opt("cursor", out.next_cursor.as_deref())
                .query_opt("since", q.since)
                .query_opt("until", q.until);
            if let AuditScope::Account {
                root_resource_types,
                actor,
                actions,
            } = &q.scope
            {
                call = call
                    .query_list("root_resource_types", root_resource_types)
                    .query_list("actions", actions);
                if let Some((kind, id)) = actor {
                    call = call
                        .query("actor_type", kind)
                        .query_opt("actor_id", id.as_deref());
                }
            }
            let page: RawPage = call.send().await?;
            out.next_cursor = page.next_cursor;
            out.records.extend(page.records);
            if out.next_cursor.is_none() || out.records.len() as u32 >= limit {
                return Ok(out);
            }
        }
    }
}
