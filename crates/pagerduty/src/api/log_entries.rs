//! Log entries: the account-wide timeline of incident events.

use reqwest::Method;

use serde::Serialize;

use crate::ids::{LogEntryId, TeamId};
use crate::models::{LogEntry, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default, Serialize)]
/// Filters for `GET /log_entries`.
pub struct LogEntryQuery {
    /// Entries at or after this time.
    pub since: Option<Time>,
    /// Entries before this time.
    pub until: Option<Time>,
    /// Only state changes (trigger, acknowledge, escalate, assign, resolve).
    pub is_overview: bool,
    /// incidents, services, channels, teams.
    pub include: Vec<String>,
    /// Only these teams' entries.
    pub team_ids: Vec<TeamId>,
    /// IANA zone for the returned times.
    pub time_zone: Option<String>,
}

/// The page with each entry [`LogEntry::trimmed`].
pub(crate) fn trimmed(page: Page<LogEntry>) -> Page<LogEntry> {
    Page {
        items: page.items.into_iter().map(LogEntry::trimmed).collect(),
        ..page
    }
}

impl Client {
    /// Log entries, newest first.
    pub async fn list_log_entries(
        &self,
        q: &LogEntryQuery,
        window: Window,
    ) -> Result<Page<LogEntry>> {
        Ok(trimmed(self.list_by::<LogEntry>(q, window).await?))
    }

    /// How many entries match, when PagerDuty counts them (`total=true`).
    pub async fn count_log_entries(&self, q: &LogEntryQuery) -> Result<Option<u64>> {
        super::change_events::total(self.collection::<LogEntry>(Method::GET).filters(q)?).await
    }

    /// `GET /log_entries/{id}`.
    pub async fn get_log_entry(&self, id: &LogEntryId) -> Result<LogEntry> {
        Ok(self.fetch::<LogEntry>(id).await?.trimmed())
    }
}
