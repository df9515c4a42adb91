//! Shared argument and result shapes.

use pagerduty::{MAX_OFFSET_WINDOW, Page, Window};
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::ToolError;

/// The most items one call returns; past it the model pages with `offset`.
pub const MAX_LIMIT: u32 = 1000;

/// A slice of a listing, with what the model needs to ask for the next one.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// True when PagerDuty has more results than returned.
    pub more: bool,
    /// Pass as `offset` to get the next results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u32>,
}

impl<T> From<Page<T>> for Listing<T> {
    fn from(page: Page<T>) -> Self {
        Self {
            items: page.items,
            more: page.more,
            next_offset: page.next_offset,
        }
    }
}

impl<T> Listing<T> {
    /// A complete, unpaginated list.
    pub fn all(items: Vec<T>) -> Self {
        Self {
            items,
            more: false,
            next_offset: None,
        }
    }
}

/// Validates `limit`/`offset` arguments into a window.
pub fn window(
    limit: Option<u32>,
    offset: Option<u32>,
    default_limit: u32,
) -> Result<Window, ToolError> {
    let limit = limit.unwrap_or(default_limit);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ToolError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}, got {limit}"),
        ));
    }
    let offset = offset.unwrap_or(0);
    if offset >= MAX_OFFSET_WINDOW {
        return Err(ToolError::invalid(
            "offset",
            format!(
                "PagerDuty lists at most {MAX_OFFSET_WINDOW} results; narrow the filters instead of paging past {offset}"
            ),
        ));
    }
    Ok(Window { offset, limit })
}
