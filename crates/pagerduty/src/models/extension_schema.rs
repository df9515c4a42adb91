use serde::{Deserialize, Serialize};

use crate::ids::ExtensionSchemaId;

/// A kind of extension (Slack, ServiceNow, a generic webhook…) that services can use.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ExtensionSchema {
    pub id: ExtensionSchemaId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Incident events that activate it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub send_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
