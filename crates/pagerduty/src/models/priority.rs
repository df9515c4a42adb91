use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::PriorityId;

/// An incident priority (P1, P2…), highest first in the account's list.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Priority {
    pub id: PriorityId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}
