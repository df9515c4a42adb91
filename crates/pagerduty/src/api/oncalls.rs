use reqwest::Method;

use super::Filters;
use crate::client::Call;
use crate::ids::{EscalationPolicyId, ScheduleId, UserId};
use crate::models::{Oncall, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default)]
/// Filters for `GET /oncalls`.
pub struct OncallQuery {
    /// Only these users.
    pub user_ids: Vec<UserId>,
    /// Only these escalation policies.
    pub escalation_policy_ids: Vec<EscalationPolicyId>,
    /// Only these schedules.
    pub schedule_ids: Vec<ScheduleId>,
    /// On call at or after this time.
    pub since: Option<Time>,
    /// On call before this time.
    pub until: Option<Time>,
    /// Only the earliest shift per policy, level and user: who is on call next.
    pub earliest: bool,
    /// IANA zone the times are rendered in.
    pub time_zone: Option<String>,
}

impl Filters for OncallQuery {
    fn apply<'c>(&self, call: Call<'c>) -> Call<'c> {
        call.query_list("user_ids", &self.user_ids)
            .query_list("escalation_policy_ids", &self.escalation_policy_ids)
            .query_list("schedule_ids", &self.schedule_ids)
            .query_opt("since", self.since)
            .query_opt("until", self.until)
            .query_opt("time_zone", self.time_zone.as_deref())
            .query_opt("earliest", self.earliest.then_some("true"))
    }
}

impl Client {
    /// `GET /oncalls`, a page of them.
    pub async fn list_oncalls(&self, q: &OncallQuery, window: Window) -> Result<Page<Oncall>> {
        q.apply(self.request(Method::GET, &["oncalls"]))
            .subject("the on-call list")
            .list("oncalls", window)
            .await
    }
}
