//! Log entries: the account-wide timeline of incident events.

use reqwest::Method;

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

impl Client {
    fn log_entries_call(&self, q: &LogEntryQuery) -> Call<'_> {
        self.request(Method::GET, &["log_entries"])
            .subject("the log entries")
            .query_opt("since", q.since)
            .query_opt("until", q.until)
            .query_opt("is_overview", q.is_overview.then_some("true"))
            .query_list("include", &q.include)
            .query_list("team_ids", &q.team_ids)
            .query_opt("time_zone", q.time_zone.as_deref())
    }

    /// Log entries, newest first.
    pub async fn list_log_entries(
        &self,
        q: &LogEntryQuery,
        window: Window,
    ) -> Result<Page<LogEntry>> {
        let page: Page<LogEntry> = self.log_entries_call(q).list("log_entries", window).await?;
        Ok(Page {
            items: page.items.into_iter().map(LogEntry::trimmed).collect(),
            ..page
        })
    }

    /// How many entries match, when PagerDuty counts them (`total=true`).
    pub async fn count_log_entries(&self, q: &LogEntryQuery) -> Result<Option<u64>> {
        super::change_events::total(self.log_entries_call(q)).await
    }

    /// `GET /log_entries/{id}`.
    pub async fn get_log_entry(&self, id: &LogEntryId) -> Result<LogEntry> {
        let entry: LogEntry = self
            .request(Method::GET, &["log_entries", id.as_str()])
            .subject(format!("log entry {id}"))
            .send_one("log_entry")
            .await?;
        Ok(entry.trimmed())
    }
}
