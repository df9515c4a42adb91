use reqwest::Method;

use crate::ids::{EscalationPolicyId, TeamId, UserId};
use crate::models::EscalationPolicy;
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default)]
pub struct EscalationPolicyQuery {
    /// Name contains this text.
    pub query: Option<String>,
    /// Policies that target these users.
    pub user_ids: Vec<UserId>,
    pub team_ids: Vec<TeamId>,
    /// Expand references: `services`, `teams`, `targets`.
    pub include: Vec<String>,
}

impl Client {
    pub async fn list_escalation_policies(
        &self,
        q: &EscalationPolicyQuery,
        window: Window,
    ) -> Result<Page<EscalationPolicy>> {
        self.request(Method::GET, &["escalation_policies"])
            .subject("the escalation policy list")
            .query_opt("query", q.query.as_deref())
            .query_list("user_ids", &q.user_ids)
            .query_list("team_ids", &q.team_ids)
            .query_list("include", &q.include)
            .query("sort_by", "name")
            .list("escalation_policies", window)
            .await
    }

    pub async fn get_escalation_policy(&self, id: &EscalationPolicyId) -> Result<EscalationPolicy> {
        self.request(Method::GET, &["escalation_policies", id.as_str()])
            .subject(format!("escalation policy {id}"))
            .send_one("escalation_policy")
            .await
    }
}
