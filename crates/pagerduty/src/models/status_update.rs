use serde::{Deserialize, Serialize};

use super::{Reference, Time};

/// A stakeholder status update posted on an incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct StatusUpdate {
    pub id: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Reference>,
    /// Set for a custom HTML email update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}
