use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::{StatusPageId, StatusPagePostId, StatusPagePostUpdateId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum StatusPageType {
    Public,
    Private,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum PostType {
    Incident,
    Maintenance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum ReviewedStatus {
    Approved,
    NotReviewed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusPage {
    pub id: StatusPageId,
    pub name: String,
    pub status_page_type: StatusPageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Time>,
}

/// A severity, impact or status that post updates on a page can use.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusPageOption {
    pub id: String,
    pub post_type: PostType,
    /// E.g. "major", "partial outage", "investigating".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A post on a status page: an incident or a maintenance window.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusPagePost {
    pub id: StatusPagePostId,
    pub post_type: PostType,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_page: Option<Reference>,
    /// The incident the post is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_resource: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postmortem: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<Time>,
    /// Full updates with include=status_page_post_update, else references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<StatusPagePostUpdate>,
}

/// One update of a post (full, or only `id` when PagerDuty sent a reference).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusPagePostUpdate {
    pub id: StatusPagePostUpdateId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_status: Option<ReviewedStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub impacted_services: Vec<StatusPageImpactRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_frequency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_subscribers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<Time>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusPageImpactRef {
    pub service: Reference,
    pub impact: Reference,
}
