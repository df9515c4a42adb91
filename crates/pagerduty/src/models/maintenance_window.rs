use serde::{Deserialize, Serialize};

use super::{Reference, Time};
use crate::ids::MaintenanceWindowId;

/// A time range in which the listed services open no incidents.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct MaintenanceWindow {
    pub id: MaintenanceWindowId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    /// The order windows were created in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<u64>,
    pub start_time: Time,
    pub end_time: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub services: Vec<Reference>,
    /// The teams of those services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Reference>,
}

/// Which windows `GET /maintenance_windows` returns, relative to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
#[serde(rename_all = "snake_case")]
pub enum MaintenanceState {
    Past,
    Ongoing,
    Future,
    /// Ongoing or future.
    Open,
    All,
}
