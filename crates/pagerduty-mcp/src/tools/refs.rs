//! References given as arguments. PagerDuty's answers, our own read results and PagerDuty's own
//! MCP server all write a reference as `{"id", "type", "summary"}` (often with `self` and
//! `html_url`); a reference copied from any of them, or a call written for the official server,
//! must work as is. Only `id` matters, so the other fields are accepted and ignored, as the
//! official server does. A misspelt `id` still fails: it is required.

use schemars::JsonSchema;
use serde::Deserialize;

/// `{"id": …}`; other reference fields are ignored.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct IdRef<T> {
    pub id: T,
}
