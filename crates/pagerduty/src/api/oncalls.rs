use reqwest::Method;

use serde::Serialize;

use crate::ids::{EscalationPolicyId, ScheduleId, UserId};
use crate::models::{Oncall, Time};
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default, Serialize)]
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

impl Client {
    /// `GET /oncalls`, a page of them.
    pub async fn list_oncalls(&self, q: &OncallQuery, window: Window) -> Result<Page<Oncall>> {
        self.request(Method::GET, &["oncalls"])
            .filters(q)?
            .subject("the on-call list")
            .list("oncalls", window)
            .await
    }
}
