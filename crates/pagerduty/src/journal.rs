//! What a client sent: the record an audit log is written from, and the dry-run mode that
//! plans writes instead of sending them. Only writes (non-GET requests) are recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

/// One write request, with secrets masked.
#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    /// `GET`, `POST`, ….
    pub method: String,
    /// The base URL, shown only for requests to another host than the REST API's
    /// (Events API v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The path below the API host.
    pub path: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    /// The query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Request headers that matter to PagerDuty; the credential is shown by kind only.
    pub headers: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The JSON body, if any.
    pub body: Option<serde_json::Value>,
    /// PagerDuty's answer; absent when nothing was sent or no answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// PagerDuty's `x-request-id`, if it answered.
    pub request_id: Option<String>,
}

/// Collects the writes of one tool call. In dry-run mode writes are recorded and not sent
/// (reads still run, so a tool can look things up before it would write).
#[derive(Clone, Debug, Default)]
pub struct Journal {
    entries: Arc<Mutex<Vec<Exchange>>>,
    dry_run: bool,
}

impl Journal {
    /// Requests are sent and not recorded.
    pub fn live() -> Self {
        Self::default()
    }

    /// Writes are recorded and not sent.
    pub fn dry_run() -> Self {
        Self {
            dry_run: true,
            ..Self::default()
        }
    }

    /// True when writes are recorded, not sent.
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// The writes recorded so far.
    pub fn entries(&self) -> Vec<Exchange> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn push(&self, exchange: Exchange) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(exchange);
    }
}
