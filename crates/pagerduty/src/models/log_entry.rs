use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Reference;
use crate::ids::LogEntryId;

/// One event in an incident's timeline (trigger, notify, acknowledge, note, resolve…).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct LogEntry {
    pub id: LogEntryId,
    /// E.g. trigger_log_entry, acknowledge_log_entry.
    #[serde(rename = "type")]
    pub kind: String,
    /// The object's page in PagerDuty's web app, to give people a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    /// What happened, in PagerDuty's words (e.g. `{"description": "CPU above 90%"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// In the requested time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Who or what did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Reference>,
    /// How it happened (api, web_ui, note, auto…), with details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A reference, or the full incident with include=incidents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<Value>,
    /// A reference, or the full service with include=services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignees: Vec<Reference>,
    /// The user notified (notify entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Reference>,
}

/// Drops links and nulls from a pass-through object, as the typed models do.
pub(crate) fn trim(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|k, v| k != "self" && k != "html_url" && !v.is_null());
            o.values_mut().for_each(trim);
        }
        Value::Array(items) => items.iter_mut().for_each(trim),
        _ => {}
    }
}

impl LogEntry {
    pub(crate) fn trimmed(mut self) -> Self {
        for v in [&mut self.channel, &mut self.incident, &mut self.service]
            .into_iter()
            .flatten()
        {
            trim(v);
        }
        self.teams.iter_mut().for_each(trim);
        self
    }
}
