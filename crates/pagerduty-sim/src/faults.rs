//! Fault injection and the request log.
//!
//! Faults are matched in the outer middleware, before authentication, so a
//! test can make any PagerDuty route misbehave. The admin endpoints under
//! `/_sim/` are never faulted or logged.

use std::sync::Mutex;
use std::time::Duration;

use http::Method;
use serde::{Deserialize, Serialize};

/// What a matching fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with `ratelimit-*` headers and PagerDuty's rate-limit body.
    RateLimited { reset_secs: u64 },
    /// The given status with a PagerDuty error body (e.g. 500, 502, 503).
    Status(u16),
    /// Wait, then serve the request normally.
    Delay(Duration),
    /// Close the connection without sending a response.
    Drop,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// The real response, but the connection is cut halfway through the body.
    Truncated,
    /// 200 with a JSON body of `bytes` bytes, streamed (a hostile or broken upstream);
    /// `declared`: with a `Content-Length`, else chunked.
    Oversized { bytes: usize, declared: bool },
    /// 200 whose body arrives one byte every `every`, never finishing in a useful time.
    Drip { every: Duration },
    /// 429 with this `Retry-After` value (seconds or an HTTP date) and no `ratelimit-*`.
    RetryAfter(String),
}

/// A fault rule: optional method and path-prefix filters, and how many
/// matching requests it applies to (`None` = every one).
#[derive(Debug, Clone)]
pub struct FaultRule {
    pub method: Option<Method>,
    pub path_prefix: Option<String>,
    pub kind: FaultKind,
    pub times: Option<u32>,
}

impl FaultRule {
    /// Matches every request, once.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            method: None,
            path_prefix: None,
            kind,
            times: Some(1),
        }
    }
    pub fn method(mut self, m: Method) -> Self {
        self.method = Some(m);
        self
    }
    pub fn path(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }
    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method)
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

/// The active fault rules (first matching rule wins).
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub fn add(&self, rule: FaultRule) {
        self.rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rule);
    }
    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    pub fn active(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    /// Consumes one use of the first rule matching this request.
    pub fn take(&self, method: &Method, path: &str) -> Option<FaultKind> {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let idx = rules.iter().position(|r| r.matches(method, path))?;
        let kind = rules[idx].kind.clone();
        if let Some(n) = rules[idx].times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                rules.remove(idx);
            }
        }
        Some(kind)
    }
}

/// JSON form of a rule for `POST /_sim/faults`, e.g.
/// `{"kind":"status","status":503,"method":"GET","path_prefix":"/incidents","times":2}`.
/// `times` absent or null means "always".
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FaultSpec {
    pub kind: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub reset_secs: Option<u64>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub bytes: Option<usize>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultSpec {
    pub fn into_rule(self) -> Result<FaultRule, String> {
        let kind = match self.kind.as_str() {
            "rate_limited" => FaultKind::RateLimited {
                reset_secs: self.reset_secs.unwrap_or(30),
            },
            "status" => FaultKind::Status(self.status.ok_or("status kind needs a 'status' field")?),
            "delay" => FaultKind::Delay(Duration::from_millis(
                self.delay_ms.ok_or("delay kind needs 'delay_ms'")?,
            )),
            "drop" => FaultKind::Drop,
            "malformed_json" => FaultKind::MalformedJson,
            "truncated" => FaultKind::Truncated,
            "oversized" => FaultKind::Oversized {
                bytes: self.bytes.ok_or("oversized kind needs 'bytes'")?,
                declared: false,
            },
            "drip" => FaultKind::Drip {
                every: Duration::from_millis(self.delay_ms.ok_or("drip kind needs 'delay_ms'")?),
            },
            other => return Err(format!("unknown fault kind '{other}'")),
        };
        let method = match self.method {
            Some(m) => {
                Some(Method::from_bytes(m.to_uppercase().as_bytes()).map_err(|e| e.to_string())?)
            }
            None => None,
        };
        Ok(FaultRule {
            method,
            path_prefix: self.path_prefix,
            kind,
            times: self.times,
        })
    }
}

/// What kind of credential a request carried (never the token itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    User,
    Account,
    Oauth,
    /// An Authorization header that was malformed or named no known token.
    Invalid,
    None,
}

/// One request as the simulator saw it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub from_present: bool,
    pub credential: CredentialKind,
    pub accept: Option<String>,
    pub user_agent: Option<String>,
    /// The fault applied, if any (e.g. "drop").
    pub fault: Option<String>,
}

/// Snapshot of the requests seen so far.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestLog {
    pub entries: Vec<RequestRecord>,
}

impl RequestLog {
    /// How many requests had this method and exact path (no query).
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.entries
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }
    /// How many requests had this method and a path starting with `prefix`.
    pub fn count_prefix(&self, method: &str, prefix: &str) -> usize {
        self.entries
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(prefix))
            .count()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn last(&self) -> Option<&RequestRecord> {
        self.entries.last()
    }
    pub fn iter(&self) -> impl Iterator<Item = &RequestRecord> {
        self.entries.iter()
    }
}
