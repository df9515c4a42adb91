//! Incident log entries: every state change writes one, in time order.

use jiff::Timestamp;

use crate::store::{Account, Agent, LogEntry};

/// A log entry about to be recorded on an incident. Kind, time, incident, agent and summary
/// are always given; the rest defaults (channel `api`, no note, no assignees, no user).
pub struct Entry<'k> {
    kind: &'k str,
    at: Timestamp,
    inc_idx: usize,
    agent: Agent,
    channel: &'k str,
    summary: String,
    note: Option<String>,
    assignees: Vec<String>,
    user_id: Option<String>,
}

impl<'k> Entry<'k> {
    /// A `kind` entry (e.g. `resolve_log_entry`) on incident `inc_idx`, by `agent`, at `at`.
    pub fn new(
        kind: &'k str,
        at: Timestamp,
        inc_idx: usize,
        agent: Agent,
        summary: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            at,
            inc_idx,
            agent,
            channel: "api",
            summary: summary.into(),
            note: None,
            assignees: Vec::new(),
            user_id: None,
        }
    }

    /// How the change came in (`api`, `web_trigger`, …).
    pub fn channel(mut self, channel: &'k str) -> Self {
        self.channel = channel;
        self
    }

    /// A note shown with the entry (a resolution, a snooze reason).
    pub fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    /// The users an assign or escalate entry names.
    pub fn assignees(mut self, assignees: Vec<String>) -> Self {
        self.assignees = assignees;
        self
    }

    /// The user a notify or responder entry is about.
    pub fn user(mut self, user_id: Option<String>) -> Self {
        self.user_id = user_id;
        self
    }

    /// Records the entry in time order; returns its id.
    pub fn record(self, acct: &mut Account) -> String {
        let id = acct.new_id();
        let inc = &acct.incidents[self.inc_idx];
        let e = LogEntry {
            id: id.clone(),
            kind: self.kind.into(),
            created_at: self.at,
            incident_id: inc.id.clone(),
            service_id: inc.service_id.clone(),
            team_ids: inc.team_ids.clone(),
            agent: self.agent,
            channel: self.channel.into(),
            summary: self.summary,
            note: self.note,
            assignees: self.assignees,
            user_id: self.user_id,
        };
        // Keep the list sorted by time; writes append at the end.
        let pos = acct
            .log_entries
            .partition_point(|x| x.created_at <= self.at);
        acct.log_entries.insert(pos, e);
        id
    }
}
