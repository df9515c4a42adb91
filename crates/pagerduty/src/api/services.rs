use reqwest::Method;

use crate::ids::{ServiceId, TeamId};
use crate::models::Service;
use crate::{Client, Page, Result, Window};

#[derive(Clone, Debug, Default)]
pub struct ServiceQuery {
    /// Name contains this text.
    pub query: Option<String>,
    pub team_ids: Vec<TeamId>,
}

impl Client {
    pub async fn list_services(&self, q: &ServiceQuery, window: Window) -> Result<Page<Service>> {
        self.request(Method::GET, &["services"])
            .subject("the service list")
            .query_opt("query", q.query.as_deref())
            .query_list("team_ids", &q.team_ids)
            .query("sort_by", "name")
            .list("services", window)
            .await
    }

    pub async fn get_service(&self, id: &ServiceId) -> Result<Service> {
        self.request(Method::GET, &["services", id.as_str()])
            .subject(format!("service {id}"))
            .send_one("service")
            .await
    }
}
