//! The HTTP transport: headers, host policy, one time budget per call, bounded retries,
//! bounded answers, error decoding.
//!
//! Retry rule: reads (GET/HEAD) are sent again after a 5xx, a dropped connection or an
//! unreadable answer. A write is sent again only after a 429, which PagerDuty's rate limiter
//! answers before doing any work (and after a connection that never opened); never after a
//! 5xx, a time-out or a cut connection, where the change may have been made. Every wait
//! (back-off, `Retry-After`, `ratelimit-reset`) comes out of the call's time budget: a wait
//! longer than what is left ends the call at once with an error naming the wait.

use std::time::Duration;

use tokio::time::Instant;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::Credential;
use crate::error::{ApiError, Error, Result};
use crate::journal::Exchange;

use super::{Client, RetryPolicy};

/// One request being built.
pub(crate) struct Call<'c> {
    client: &'c Client,
    method: Method,
    url: reqwest::Url,
    query: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    needs_from: bool,
    subject: String,
    /// An Events API v2 request (see [`Client::events_request`]).
    events: bool,
}

impl<'c> Call<'c> {
    /// A request for `method` on `url`, about `subject`; `events` for the Events API.
    pub(super) fn new(
        client: &'c Client,
        method: Method,
        url: reqwest::Url,
        subject: String,
        events: bool,
    ) -> Self {
        Call {
            client,
            method,
            url,
            query: Vec::new(),
            body: None,
            needs_from: false,
            subject,
            events,
        }
    }
}

impl Call<'_> {
    /// Names what the request is about, for error messages ("incident PABC123").
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    pub fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// A set filter: `key[]=a&key[]=b`.
    pub fn query_list<I: IntoIterator<Item = S>, S: ToString>(
        mut self,
        key: &str,
        values: I,
    ) -> Self {
        let key = format!("{key}[]");
        for v in values {
            self.query.push((key.clone(), v.to_string()));
        }
        self
    }

    /// Adds a filter struct's fields as query parameters the way PagerDuty reads them: a list
    /// as `key[]=a&key[]=b`, an absent value or a `false` flag (every flag's default) not at
    /// all, anything else as its text. `()` adds nothing.
    pub fn filters(mut self, filters: &impl serde::Serialize) -> Result<Self> {
        use serde_json::Value;
        let encode = |source| Error::Encode {
            what: self.subject.clone(),
            source,
        };
        let fields = match serde_json::to_value(filters).map_err(encode)? {
            Value::Object(fields) => fields,
            Value::Null => return Ok(self),
            _ => {
                return Err(encode(serde::ser::Error::custom(
                    "filters are a struct of named fields",
                )));
            }
        };
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        for (key, value) in fields {
            match value {
                Value::Null | Value::Bool(false) => {}
                Value::Array(items) => {
                    let key = format!("{key}[]");
                    self.query
                        .extend(items.into_iter().map(|v| (key.clone(), text(v))));
                }
                value => self.query.push((key, text(value))),
            }
        }
        Ok(self)
    }

    pub fn json(mut self, body: &impl serde::Serialize) -> Result<Self> {
        self.body = Some(serde_json::to_vec(body).map_err(|source| Error::Encode {
            what: self.subject.clone(),
            source,
        })?);
        Ok(self)
    }

    /// PagerDuty records this write against a user: an account key must name one in `From`.
    pub fn attributed(mut self) -> Self {
        self.needs_from = true;
        self
    }

    pub(crate) fn page(mut self, offset: u32, limit: u32) -> Self {
        self.query.retain(|(k, _)| k != "offset" && k != "limit");
        self.query.push(("offset".into(), offset.to_string()));
        self.query.push(("limit".into(), limit.to_string()));
        self
    }

    pub(crate) fn clone_for_page(&self) -> Call<'_> {
        Call {
            client: self.client,
            method: self.method.clone(),
            url: self.url.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            needs_from: self.needs_from,
            subject: self.subject.clone(),
            events: self.events,
        }
    }

    /// Sends the request and decodes a JSON answer, retrying where that is safe.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T> {
        let shared = &self.client.shared;
        let retry = &shared.retry;
        let deadline = self
            .client
            .deadline
            .unwrap_or_else(|| Instant::now() + shared.budget);
        let safe = self.method == Method::GET || self.method == Method::HEAD;
        let mut attempt = 0u32;
        loop {
            let started = Instant::now();
            let outcome = match tokio::time::timeout_at(deadline, self.attempt()).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    crate::metrics::api_request(None, started.elapsed());
                    return Err(self.out_of_time());
                }
            };
            crate::metrics::api_request(outcome_status(&outcome), started.elapsed());
            let failure = match outcome {
                // An empty body (204 No Content) reads as `null`.
                Ok(bytes) => match serde_json::from_slice::<T>(if bytes.is_empty() {
                    b"null"
                } else {
                    &bytes
                }) {
                    Ok(value) => return Ok(value),
                    Err(source) => Failure::Undecodable(source),
                },
                Err(failure) => failure,
            };
            let retry_in = match &failure {
                Failure::Undecodable(e) if safe && attempt < retry.max_retries => {
                    tracing::debug!(subject = %self.subject, error = %e, "undecodable answer, retrying");
                    Some(backoff(retry, attempt))
                }
                Failure::Api(e) if e.status == 429 && attempt < retry.max_retries => {
                    // A 429 was refused before any work, so even a POST may be sent again,
                    // if the wait PagerDuty asks for fits in what is left of the budget.
                    let wait = e.retry_after.unwrap_or_else(|| backoff(retry, attempt));
                    (Instant::now() + wait < deadline).then_some(wait)
                }
                Failure::Api(e)
                    if e.status >= 500 && (safe || self.events) && attempt < retry.max_retries =>
                {
                    Some(backoff(retry, attempt))
                }
                Failure::Transport { never_sent, .. }
                    if (safe || *never_sent) && attempt < retry.max_retries =>
                {
                    Some(backoff(retry, attempt))
                }
                _ => None,
            };
            match (retry_in, failure) {
                (Some(wait), _) if Instant::now() + wait >= deadline => {
                    return Err(self.out_of_time());
                }
                (Some(wait), _) => {
                    tracing::debug!(subject = %self.subject, attempt, ?wait, "retrying PagerDuty request");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                (None, Failure::Api(e)) => return Err(e.into()),
                (None, Failure::Transport { source, .. }) => {
                    return Err(Error::Transport {
                        host: self.client.shared.host.to_string(),
                        what: describe(&source),
                        source: source.without_url(),
                    });
                }
                (None, Failure::Undecodable(source)) => {
                    return Err(Error::Decode {
                        what: self.subject.clone(),
                        source,
                    });
                }
                (None, Failure::Local(e)) => return Err(e),
            }
        }
    }

    async fn attempt(&self) -> Result<Vec<u8>, Failure> {
        let client = self.client;
        if self.events {
            return self.attempt_with(None).await;
        }
        let credential = client
            .credential
            .as_deref()
            .ok_or(Failure::Local(Error::MissingCredential))?;
        self.attempt_with(Some(credential)).await
    }

    /// One attempt; `credential` is None only for Events API requests.
    async fn attempt_with(&self, credential: Option<&Credential>) -> Result<Vec<u8>, Failure> {
        let client = self.client;
        let mut req = client
            .shared
            .http()
            .map_err(Failure::Local)?
            .request(self.method.clone(), self.url.clone())
            .query(&self.query);
        if self.events {
            // The Events API answers `application/json` only: REST's version header would not
            // match any of its responses.
            req = req.header(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if let Some(credential) = credential {
            let auth = credential
                .header()
                .ok_or(Failure::Local(Error::MissingCredential))?;
            req = req.header(AUTHORIZATION, auth);
        }
        if let Some(credential) = credential.filter(|_| self.needs_from) {
            match (credential, credential.from_email()) {
                (_, Some(email)) => req = req.header("From", email),
                (Credential::AccountKey { .. }, None) => {
                    return Err(Failure::Local(Error::MissingFrom));
                }
                _ => {}
            }
        }
        if let Some(body) = &self.body {
            req = req
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let journal = client
            .journal
            .as_ref()
            .filter(|_| self.method != Method::GET && self.method != Method::HEAD);
        if let Some(journal) = journal.filter(|j| j.is_dry_run()) {
            journal.push(self.exchange(credential, None, None));
            return Err(Failure::Local(Error::DryRun));
        }
        tracing::debug!(method = %self.method, path = self.url.path(), "PagerDuty request");
        let sent = req.send().await;
        let status = sent.as_ref().ok().map(|r| r.status().as_u16());
        let request_id = sent
            .as_ref()
            .ok()
            .and_then(|r| header_str(r.headers(), "x-request-id"))
            .map(str::to_owned);
        if let Some(journal) = journal {
            journal.push(self.exchange(credential, status, request_id));
        }
        let resp = sent.map_err(|source| Failure::Transport {
            never_sent: source.is_connect(),
            source,
        })?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = self.read_body(resp).await?;
        let body = self.scrub(credential, body);
        if status.is_success() {
            return Ok(body);
        }
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| retry_wait(&headers, jiff::Timestamp::now()))
            .flatten();
        Err(Failure::Api(ApiError::from_response(
            status.as_u16(),
            &body,
            self.subject.clone(),
            retry_after,
            header_str(&headers, "x-request-id").map(str::to_owned),
        )))
    }
}

impl Call<'_> {
    /// The answer with every copy of this request's secret (the credential, or an Events API
    /// request's routing key) replaced, so an API that echoes it cannot pass it on to a tool
    /// result, an error, a log line or doctor.
    fn scrub(&self, credential: Option<&Credential>, body: Vec<u8>) -> Vec<u8> {
        let routing_key = self
            .body
            .as_deref()
            .filter(|_| self.events)
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|b| b.get("routing_key")?.as_str().map(str::to_owned));
        let secret = match (credential, routing_key.as_deref()) {
            (Some(c), _) => c.secret(),
            (None, Some(key)) => key,
            (None, None) => return body,
        };
        let secret = secret.as_bytes();
        // Short strings would match by chance; real tokens are 20 characters or more.
        let finder = memchr::memmem::Finder::new(secret);
        if secret.len() < 8 || finder.find(&body).is_none() {
            return body;
        }
        let mut out = Vec::with_capacity(body.len());
        let mut last = 0;
        for at in finder.find_iter(&body) {
            out.extend_from_slice(body.get(last..at).unwrap_or_default());
            out.extend_from_slice(b"[credential redacted]");
            last = at + secret.len();
        }
        out.extend_from_slice(body.get(last..).unwrap_or_default());
        out
    }

    /// Reads the answer's body, at most `max_response_bytes` of it: PagerDuty never sends
    /// more for the pages this client asks, so a longer answer is refused, not buffered.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, Failure> {
        let limit = self.client.shared.max_response_bytes;
        let too_large = || {
            Failure::Local(Error::TooLarge {
                what: self.subject.clone(),
                limit,
            })
        };
        let declared = resp.content_length().unwrap_or(0);
        if declared > limit as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        while let Some(chunk) = resp.chunk().await.map_err(|source| Failure::Transport {
            never_sent: false,
            source,
        })? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn out_of_time(&self) -> Error {
        Error::OutOfTime {
            what: self.subject.clone(),
            budget: self.client.shared.budget,
        }
    }

    /// The request as the journal shows it: credential by kind only.
    fn exchange(
        &self,
        credential: Option<&Credential>,
        status: Option<u16>,
        request_id: Option<String>,
    ) -> Exchange {
        let mut headers = std::collections::BTreeMap::new();
        if let Some(credential) = credential {
            let shown = match credential {
                Credential::OAuth(_) => "Bearer <redacted>",
                _ => "Token token=<redacted>",
            };
            headers.insert("Authorization", shown.to_owned());
            if self.needs_from
                && let Some(email) = credential.from_email()
            {
                headers.insert("From", email.to_owned());
            }
        }
        let mut body: Option<serde_json::Value> = self
            .body
            .as_deref()
            .and_then(|b| serde_json::from_slice(b).ok());
        if self.events
            && let Some(key) = body.as_mut().and_then(|b| b.get_mut("routing_key"))
        {
            *key = serde_json::Value::String(crate::events::mask_routing_key(
                key.as_str().unwrap_or_default(),
            ));
        }
        Exchange {
            method: self.method.to_string(),
            host: self.events.then(|| self.url.origin().ascii_serialization()),
            path: self.url.path().to_owned(),
            query: self.query.clone(),
            headers,
            body,
            status,
            request_id,
        }
    }
}

enum Failure {
    Api(ApiError),
    Transport {
        never_sent: bool,
        source: reqwest::Error,
    },
    /// A 2xx answer that is not the JSON expected.
    Undecodable(serde_json::Error),
    Local(Error),
}

/// The status an attempt ended with, for the metrics (`None`: no answer).
fn outcome_status(outcome: &Result<Vec<u8>, Failure>) -> Option<u16> {
    match outcome {
        Ok(_) => Some(200),
        Err(Failure::Api(e)) => Some(e.status),
        Err(_) => None,
    }
}

/// How long a 429 asks to wait: `Retry-After` (seconds or an HTTP date, RFC 9110) or
/// PagerDuty's `ratelimit-reset` (seconds), whichever is longer. `now` is injected for tests.
pub(crate) fn retry_wait(headers: &HeaderMap, now: jiff::Timestamp) -> Option<Duration> {
    let retry_after = header_str(headers, "retry-after").and_then(|v| {
        let v = v.trim();
        match v.parse::<u64>() {
            Ok(secs) => Some(Duration::from_secs(secs)),
            Err(_) => jiff::fmt::rfc2822::parse(v).ok().map(|at| {
                let secs = at.timestamp().as_second().saturating_sub(now.as_second());
                Duration::from_secs(u64::try_from(secs).unwrap_or(0))
            }),
        }
    });
    let reset = header_str(headers, "ratelimit-reset")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite())
        .map(|secs| Duration::from_secs_f64(secs.clamp(0.0, 86_400.0)));
    retry_after.max(reset)
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A transport error in words; its causes travel as the error's source.
fn describe(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "the connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else {
        "the connection broke"
    }
}

fn backoff(retry: &RetryPolicy, attempt: u32) -> Duration {
    let base = retry
        .base_delay
        .saturating_mul(2u32.saturating_pow(attempt));
    let jitter = base.mul_f64(fastrand::f64() * 0.5);
    (base + jitter).min(retry.max_wait)
}

impl Call<'_> {
    /// Sends a request whose answer has no body worth reading (e.g. a `DELETE` → 204).
    pub async fn send_empty(self) -> Result<()> {
        self.send::<serde::de::IgnoredAny>().await.map(|_| ())
    }

    /// Sends and unwraps PagerDuty's envelope, e.g. `{"incident": {…}}` with `key = "incident"`.
    pub async fn send_one<T: DeserializeOwned>(self, key: &str) -> Result<T> {
        let subject = self.subject.clone();
        let mut body: serde_json::Map<String, serde_json::Value> = self.send().await?;
        let value = body.remove(key).ok_or_else(|| Error::Incomplete {
            what: subject.clone(),
            missing: format!("`{key}`"),
        })?;
        serde_json::from_value(value).map_err(|source| Error::Decode {
            what: subject,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiHost;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                *k,
                HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")),
            );
        }
        h
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_and_ratelimit_reset() {
        let now: jiff::Timestamp = "2026-03-29T00:59:30Z".parse().unwrap_or_default();
        let wait = |pairs: &[(&'static str, &str)]| retry_wait(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(
            wait(&[("retry-after", "Sun, 29 Mar 2026 01:00:00 GMT")]),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            wait(&[("retry-after", "Sun, 29 Mar 2026 00:00:00 GMT")]),
            Some(Duration::ZERO),
            "a date in the past: no wait"
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "12")]),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "12"), ("retry-after", "3")]),
            Some(Duration::from_secs(12)),
            "the longer of the two"
        );
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn filters_become_query_parameters_as_pagerduty_reads_them() {
        let host = ApiHost::parse("http://127.0.0.1:9", false).unwrap();
        let client = Client::builder(host).build();
        let call = || client.request(Method::GET, &["incidents"]);
        let filters = serde_json::json!({
            "statuses": ["triggered", "acknowledged"],
            "since": "2026-11-01T00:00:00Z",
            "until": null,
            "earliest": true,
            "is_overview": false,
            "limit": 3,
            "team_ids": [],
        });
        let sent = call().filters(&filters).unwrap().query;
        let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (&**k, &**v)).collect();
        assert_eq!(
            pairs,
            [
                ("statuses[]", "triggered"),
                ("statuses[]", "acknowledged"),
                ("since", "2026-11-01T00:00:00Z"),
                ("earliest", "true"),
                ("limit", "3"),
            ]
        );
        assert!(call().filters(&()).unwrap().query.is_empty());
        // Only named fields say which parameter a value is.
        match call().filters(&("since", 1)) {
            Err(Error::Encode { source, .. }) => {
                assert!(
                    source.to_string().contains("filters are a struct"),
                    "{source}"
                );
            }
            other => panic!("{:?}", other.map(|c| c.query)),
        }
    }
}
