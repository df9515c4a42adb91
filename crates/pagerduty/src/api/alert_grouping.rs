//! Alert grouping settings (cursor-paginated with `after`/`before`).

use super::{references, set_some};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::ids::{AlertGroupingSettingId, ServiceId};
use crate::models::{AlertGroupingPage, AlertGroupingSetting, AlertGroupingType};
use crate::{Client, MAX_PAGE_SIZE, Result};

#[derive(Clone, Debug, Default)]
/// Filters for `GET /alert_grouping_settings`.
pub struct AlertGroupingQuery {
    /// Only settings that apply to these services.
    pub service_ids: Vec<ServiceId>,
    /// Continue after this cursor (a previous `after`).
    pub after: Option<String>,
    /// Go back before this cursor (a previous `before`).
    pub before: Option<String>,
    /// Ask PagerDuty for the total count as well.
    pub total: bool,
}

/// A setting as created, or as it replaces one (type, config, services, name and description
/// all), with [`Client::create`] and [`Client::update`].
#[derive(Clone, Debug)]
pub struct AlertGroupingSettingSpec {
    /// The setting's name.
    pub name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// How alerts are grouped.
    pub kind: AlertGroupingType,
    /// The type's config object (validated by the caller).
    pub config: serde_json::Value,
    /// The services it applies to.
    pub service_ids: Vec<ServiceId>,
}

impl super::Fields for AlertGroupingSettingSpec {
    type Object = AlertGroupingSetting;

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn body(&self) -> serde_json::Value {
        let mut s = json!({
            "type": self.kind,
            "config": self.config,
            "services": references(&self.service_ids, "service_reference"),
        });
        set_some(&mut s, "name", self.name.as_ref());
        set_some(&mut s, "description", self.description.as_ref());
        s
    }
}

#[derive(Deserialize)]
struct RawPage {
    alert_grouping_settings: Vec<AlertGroupingSetting>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    total: Option<u64>,
}

impl Client {
    /// Up to `limit` settings, following `after` cursors page by page (a `before` cursor
    /// fetches one page backwards).
    pub async fn list_alert_grouping_settings(
        &self,
        q: &AlertGroupingQuery,
        limit: u32,
    ) -> Result<AlertGroupingPage> {
        let mut out = AlertGroupingPage {
            items: Vec::new(),
            after: q.after.clone(),
            before: None,
            total: None,
        };
        let mut first = true;
        loop {
            let remaining = limit.saturating_sub(out.items.len() as u32);
            let page: RawPage = self
                .request(Method::GET, &["alert_grouping_settings"])
                .subject("the alert grouping settings")
                .query_list("service_ids", &q.service_ids)
                // Whole pages only: a cursor always points at the end of a page.
                .query("limit", remaining.min(MAX_PAGE_SIZE))
                .query_opt("after", out.after.as_deref())
                .query_opt("before", first.then_some(q.before.as_deref()).flatten())
                .query_opt("total", (first && q.total).then_some("true"))
                .send()
                .await?;
            if first {
                out.before = page.before;
                out.total = page.total;
            }
            let backwards = first && q.before.is_some();
            first = false;
            out.after = page.after;
            out.items.extend(page.alert_grouping_settings);
            if backwards || out.after.is_none() || out.items.len() as u32 >= limit {
                return Ok(out);
            }
        }
    }

    /// `DELETE /alert_grouping_settings/{id}`.
    pub async fn delete_alert_grouping_setting(&self, id: &AlertGroupingSettingId) -> Result<()> {
        self.delete::<AlertGroupingSetting>(id).await
    }
}
