use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::AlertGroupingSettingId;

/// How alerts are grouped into incidents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum AlertGroupingType {
    /// Alerts whose chosen fields match.
    ContentBased,
    /// Content-based, refined by machine learning.
    ContentBasedIntelligent,
    /// Machine learning on the alerts' text.
    Intelligent,
    /// Every alert within a time window.
    Time,
}

impl AlertGroupingType {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContentBased => "content_based",
            Self::ContentBasedIntelligent => "content_based_intelligent",
            Self::Intelligent => "intelligent",
            Self::Time => "time",
        }
    }
}

/// An alert grouping setting and the services that follow it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct AlertGroupingSetting {
    pub id: AlertGroupingSettingId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: AlertGroupingType,
    /// The type's settings: time_window/aggregate/fields, timeout or iag_fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Time>,
}

/// A slice of the cursor-paginated settings list.
#[derive(Debug)]
pub struct AlertGroupingPage {
    /// The settings on this page.
    pub items: Vec<AlertGroupingSetting>,
    /// Pass as `after` for the next slice; `None` at the end.
    pub after: Option<String>,
    /// Pass as `before` for the previous slice.
    pub before: Option<String>,
    /// With `total=true`: how many settings match.
    pub total: Option<u64>,
}
