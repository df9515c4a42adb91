//! Log entries: the account-wide timeline of incident events.

use reqwest::Method;

use super::Filters;
use crate::client::Call;
use crate::ids::{LogEntryId, TeamId};
use crate::models::{LogEntry, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default)]
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

impl Filters for LogEntryQuery {
    fn apply<'c>(&self, call: Call<'c>) -> Call<'c> {
        call.query_opt("since", self.since)
            .query_opt("until", self.until)
            .query_opt("is_overview", self.is_overview.then_some("true"))
            .query_list("include", &self.include)
            .query_list("team_ids", &self.team_ids)
            .query_opt("time_zone", self.time_zone.as_deref())
    }
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
        Ok(trimmed(self.list::<LogEntry>(q, window).await?))
    }

    /// How many entries match, when PagerDuty counts them (`total=true`).
    pub async fn count_log_entries(&self, q: &LogEntryQuery) -> Result<Option<u64>> {
        super::change_events::total(q.apply(self.collection::<LogEntry>(Method::GET))).await
    }

    /// `GET /log_entries/{id}`.
    pub async fn get_log_entry(&self, id: &LogEntryId) -> Result<LogEntry> {
        Ok(self.get::<LogEntry>(id).await?.trimmed())
    }
}
