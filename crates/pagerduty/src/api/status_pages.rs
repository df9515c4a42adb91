//! Status pages: pages, the severities/impacts/statuses posts use, posts and post updates.

use super::{reference, set_some};
use reqwest::Method;
use serde_json::json;

use crate::ids::{
    ServiceId, StatusPageId, StatusPageImpactId, StatusPagePostId, StatusPageSeverityId,
    StatusPageStatusId,
};
use crate::models::Time;
use crate::models::{
    PostType, ReviewedStatus, StatusPage, StatusPageOption, StatusPagePost, StatusPagePostUpdate,
    StatusPageType,
};
use crate::{Client, Page, Result, Window};

/// The per-page lists a post update picks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusPageOptionKind {
    /// `/status_pages/{id}/severities`.
    Severities,
    /// `/status_pages/{id}/impacts`.
    Impacts,
    /// `/status_pages/{id}/statuses`.
    Statuses,
}

impl StatusPageOptionKind {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Severities => "severities",
            Self::Impacts => "impacts",
            Self::Statuses => "statuses",
        }
    }
}

/// One update to publish.
#[derive(Clone, Debug)]
pub struct PostUpdateSpec {
    /// What the update says.
    pub message: String,
    /// The post's status after it.
    pub status: StatusPageStatusId,
    /// How severe.
    pub severity: StatusPageSeverityId,
    /// Each service shown, with its impact.
    pub impacted_services: Vec<(ServiceId, StatusPageImpactId)>,
    /// How often subscribers should expect updates, in milliseconds.
    pub update_frequency_ms: Option<u64>,
    /// Notify the page's subscribers.
    pub notify_subscribers: bool,
    /// When it happened; absent: now.
    pub reported_at: Option<Time>,
}

impl PostUpdateSpec {
    fn body(&self, post: Option<&StatusPagePostId>) -> serde_json::Value {
        let mut u = json!({
            "type": "status_page_post_update",
            "message": self.message,
            "status": {"id": self.status, "type": "status_page_status"},
            "severity": {"id": self.severity, "type": "status_page_severity"},
            "impacted_services": self.impacted_services.iter().map(|(s, i)| json!({
                "service": {"id": s, "type": "status_page_service"},
                "impact": {"id": i, "type": "status_page_impact"},
            })).collect::<Vec<_>>(),
            "update_frequency_ms": self.update_frequency_ms,
            "notify_subscribers": self.notify_subscribers,
        });
        set_some(
            &mut u,
            "post",
            post.map(|p| reference(p, "status_page_post")),
        );
        set_some(&mut u, "reported_at", self.reported_at);
        u
    }
}

/// A post to create.
#[derive(Clone, Debug)]
pub struct PostSpec {
    /// The post's title.
    pub title: String,
    /// An incident or a maintenance.
    pub post_type: PostType,
    /// When it starts.
    pub starts_at: Time,
    /// When it ends.
    pub ends_at: Time,
    /// Its first updates.
    pub updates: Vec<PostUpdateSpec>,
}

impl Client {
    /// `GET /status_pages`, a page of them.
    pub async fn list_status_pages(
        &self,
        kind: Option<StatusPageType>,
        window: Window,
    ) -> Result<Page<StatusPage>> {
        self.list_by::<StatusPage>(&json!({"status_page_type": kind}), window)
            .await
    }

    /// A page's severities, impacts or statuses, optionally for one post type.
    pub async fn list_status_page_options(
        &self,
        page: &StatusPageId,
        kind: StatusPageOptionKind,
        post_type: Option<PostType>,
        window: Window,
    ) -> Result<Page<StatusPageOption>> {
        self.nested::<StatusPage>(Method::GET, page, &[kind.as_str()])
            .subject(format!("the {} of status page {page}", kind.as_str()))
            .filters(&json!({"post_type": post_type}))?
            .list(kind.as_str(), window)
            .await
    }

    /// A post; `with_updates` returns its updates in full rather than as references.
    pub async fn get_status_page_post(
        &self,
        page: &StatusPageId,
        post: &StatusPagePostId,
        with_updates: bool,
    ) -> Result<StatusPagePost> {
        self.nested::<StatusPage>(Method::GET, page, &["posts", post.as_str()])
            .subject(format!("post {post} of status page {page}"))
            .query_list("include", with_updates.then_some("status_page_post_update"))
            .send_one("post")
            .await
    }

    /// `GET /status_pages/{id}/posts/{post_id}/post_updates`, a page of them.
    pub async fn list_status_page_post_updates(
        &self,
        page: &StatusPageId,
        post: &StatusPagePostId,
        reviewed: Option<ReviewedStatus>,
        window: Window,
    ) -> Result<Page<StatusPagePostUpdate>> {
        self.nested::<StatusPage>(Method::GET, page, &["posts", post.as_str(), "post_updates"])
            .subject(format!("the updates of post {post}"))
            .filters(&json!({"reviewed_status": reviewed}))?
            .list("post_updates", window)
            .await
    }

    /// `POST /status_pages/{id}/posts`.
    pub async fn create_status_page_post(
        &self,
        page: &StatusPageId,
        post: &PostSpec,
    ) -> Result<StatusPagePost> {
        let body = json!({"post": {
            "type": "status_page_post",
            "title": post.title,
            "post_type": post.post_type,
            "starts_at": post.starts_at,
            "ends_at": post.ends_at,
            "status_page": {"id": page, "type": "status_page"},
            "updates": post.updates.iter().map(|u| u.body(None)).collect::<Vec<_>>(),
        }});
        self.nested::<StatusPage>(Method::POST, page, &["posts"])
            .subject(format!("a new post on status page {page}"))
            .json(&body)?
            .send_one("post")
            .await
    }

    /// `POST /status_pages/{id}/posts/{post_id}/post_updates`.
    pub async fn create_status_page_post_update(
        &self,
        page: &StatusPageId,
        post: &StatusPagePostId,
        update: &PostUpdateSpec,
    ) -> Result<StatusPagePostUpdate> {
        self.nested::<StatusPage>(
            Method::POST,
            page,
            &["posts", post.as_str(), "post_updates"],
        )
        .subject(format!("a new update of post {post}"))
        .json(&json!({"post_update": update.body(Some(post))}))?
        .send_one("post_update")
        .await
    }
}
