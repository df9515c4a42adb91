//! Query-string parsing (PagerDuty's repeated `name[]` filters) and classic
//! offset pagination.

use std::collections::BTreeSet;

use axum::{extract::FromRequestParts, http::request::Parts};
use jiff::{Timestamp, civil, tz::TimeZone};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

/// Default and maximum page sizes, and the hard offset+limit cap.
pub const DEFAULT_LIMIT: usize = 25;
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET_PLUS_LIMIT: usize = 10_000;

/// Parsed query string; keeps repeated keys in order.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        Ok(Params(
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect(),
        ))
    }
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of a set filter. `name` is given with its `[]` suffix; the
    /// bare name is accepted too, since some clients drop the brackets.
    pub fn list(&self, name: &str) -> Vec<String> {
        let bare = name.trim_end_matches("[]");
        self.0
            .iter()
            .filter(|(k, _)| k == name || k == bare)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            })
            .collect()
    }

    pub fn set(&self, name: &str) -> BTreeSet<String> {
        self.list(name).into_iter().collect()
    }

    /// A set filter whose values must come from `allowed`.
    pub fn enum_list(&self, name: &str, allowed: &[&str]) -> ApiResult<Vec<String>> {
        let vals = self.list(name);
        for v in &vals {
            if !allowed.contains(&v.as_str()) {
                return Err(ApiError::invalid(format!(
                    "{name} has an invalid value '{v}'; must be one of: {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(vals)
    }

    /// `limit` of a cursor or unpaged list: `default` when absent, clamped to 1..=`MAX_LIMIT`.
    pub fn limit(&self, default: usize) -> ApiResult<usize> {
        match self.get("limit").filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => Ok(v
                .parse::<usize>()
                .map_err(|_| ApiError::invalid("limit must be a positive integer"))?
                .clamp(1, MAX_LIMIT)),
        }
    }

    pub fn bool(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some("false") | Some("0") | Some("") => Ok(false),
            Some(v) => Err(ApiError::invalid(format!(
                "{name} must be true or false, got '{v}'"
            ))),
        }
    }

    pub fn timestamp(&self, name: &str) -> ApiResult<Option<Timestamp>> {
        self.get(name)
            .filter(|v| !v.is_empty())
            .map(|v| parse_time(name, v))
            .transpose()
    }

    /// The `time_zone` parameter (IANA name), default UTC.
    pub fn time_zone(&self) -> ApiResult<Option<TimeZone>> {
        match self.get("time_zone").filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(name) => TimeZone::get(name).map(Some).map_err(|_| {
                ApiError::invalid(format!("time_zone '{name}' is not a valid time zone"))
            }),
        }
    }

    pub fn page(&self) -> ApiResult<Page> {
        let num = |name: &str, default: usize| -> ApiResult<usize> {
            match self.get(name).filter(|v| !v.is_empty()) {
                None => Ok(default),
                Some(v) => v.parse::<usize>().map_err(|_| {
                    ApiError::invalid(format!("{name} must be a non-negative integer"))
                }),
            }
        };
        // PagerDuty clamps an oversized limit to the maximum rather than failing.
        let limit = num("limit", DEFAULT_LIMIT)?.clamp(1, MAX_LIMIT);
        let offset = num("offset", 0)?;
        if offset + limit > MAX_OFFSET_PLUS_LIMIT {
            return Err(ApiError::invalid(format!(
                "offset + limit must not exceed {MAX_OFFSET_PLUS_LIMIT}; narrow the query with filters instead"
            )));
        }
        Ok(Page {
            limit,
            offset,
            total: self.bool("total")?,
        })
    }
}

/// Accepts RFC 3339 timestamps, or a civil date/datetime taken as UTC.
pub fn parse_time(name: &str, v: &str) -> ApiResult<Timestamp> {
    if let Ok(t) = v.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(dt) = v.parse::<civil::DateTime>()
        && let Ok(z) = dt.to_zoned_datetime(TimeZone::UTC)
    {
        return Ok(z.timestamp());
    }
    if let Ok(d) = v.parse::<civil::Date>()
        && let Ok(z) = d.to_zoned_datetime(TimeZone::UTC)
    {
        return Ok(z.timestamp());
    }
    Err(ApiError::invalid(format!(
        "{name} is not a valid ISO 8601 date-time: '{v}'"
    )))
}

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
    pub total: bool,
}

impl Page {
    /// Slices `items` and wraps them in the classic pagination envelope.
    pub fn wrap(&self, key: &str, items: Vec<Value>) -> Value {
        self.wrap_rendering(key, items, |v| v)
    }

    /// As [`Page::wrap`], rendering only the items on the page: a page of a large account
    /// costs its own items, not the whole list's.
    pub fn wrap_rendering<T>(
        &self,
        key: &str,
        items: Vec<T>,
        render: impl FnMut(T) -> Value,
    ) -> Value {
        let n = items.len();
        let page: Vec<Value> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(render)
            .collect();
        json!({
            key: page,
            "limit": self.limit,
            "offset": self.offset,
            "more": self.offset + self.limit < n,
            "total": if self.total { json!(n) } else { Value::Null },
        })
    }
}

/// Case-insensitive substring match used by `query` filters.
pub fn matches_query(q: Option<&str>, fields: &[&str]) -> bool {
    match q {
        None | Some("") => true,
        Some(q) => {
            let q = q.to_lowercase();
            fields.iter().any(|f| f.to_lowercase().contains(&q))
        }
    }
}
