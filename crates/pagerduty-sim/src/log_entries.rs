//! Incident log entries: every state change writes one, in time order.

use jiff::Timestamp;

use crate::store::{Account, Agent, LogEntry};

#[allow(clippy::too_many_arguments)]
pub fn log_entry(
    acct: &mut Account,
    kind: &str,
    at: Timestamp,
    inc_idx: usize,
    agent: Agent,
    channel: &str,
    summary: String,
    note: Option<String>,
    assignees: Vec<String>,
    user_id: Option<String>,
) -> String {
    let id = acct.new_id();
    let inc = &acct.incidents[inc_idx];
    let e = LogEntry {
        id: id.clone(),
        kind: kind.into(),
        created_at: at,
        incident_id: inc.id.clone(),
        service_id: inc.service_id.clone(),
        team_ids: inc.team_ids.clone(),
        agent,
        channel: channel.into(),
        summary,
        note,
        assignees,
        user_id,
    };
    // Keep the list sorted by time; writes append at the end.
    let pos = acct.log_entries.partition_point(|x| x.created_at <= at);
    acct.log_entries.insert(pos, e);
    id
}
