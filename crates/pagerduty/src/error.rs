//! Errors, each rendered as a message a user (or a model) can act on.

use std::time::Duration;

use serde::Deserialize;

use crate::ids::InvalidId;

/// What every call of this crate returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed, in this library's terms (a client, a credential, a response-size limit, a
/// time budget); an application maps these to its own settings when it tells its user what to
/// change. Causes are kept: [`std::error::Error::source`] leads to the underlying HTTP or JSON
/// error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client has no credential to send.
    #[error(
        "an API key or OAuth token is required to call the PagerDuty API; build the client with a credential"
    )]
    MissingCredential,
    /// A write must be attributed to a user, and the account-level key names none.
    #[error(
        "this action is recorded against a PagerDuty user, and the account-level API key has none: \
         give the credential the email of the user to act as (`From`)"
    )]
    MissingFrom,
    /// The credential's `From` email matches no user of the account.
    #[error("the credential acts as `{0}`, but no PagerDuty user on this account has that email")]
    UnknownFromUser(String),
    /// An identifier was refused before any request was made.
    #[error(transparent)]
    InvalidId(#[from] InvalidId),
    /// The client journals writes without sending them; the request was recorded, not sent.
    #[error("dry run: the request was planned, not sent")]
    DryRun,
    /// PagerDuty answered with an error status. Boxed: an answer's details are large next to
    /// the other variants.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The HTTP client could not be set up (TLS back end).
    #[error("could not set up the HTTP client for {host}")]
    Setup {
        /// The API host the client was built for.
        host: String,
        /// What the HTTP library said.
        #[source]
        source: reqwest::Error,
    },
    /// No answer came: the connection failed, broke or timed out.
    #[error("could not reach PagerDuty at {host}: {what}")]
    Transport {
        /// The API host.
        host: String,
        /// What went wrong, in words: "the connection failed", "the request timed out", ….
        what: &'static str,
        /// The HTTP library's error, without the URL (its query may hold user data).
        #[source]
        source: reqwest::Error,
    },
    /// The answer was not the JSON this client expects.
    #[error("PagerDuty answered {what} with a body this client could not read")]
    Decode {
        /// What the request was about.
        what: String,
        /// Why the body did not decode.
        #[source]
        source: serde_json::Error,
    },
    /// The answer decoded, but lacks the part this client reads.
    #[error(
        "PagerDuty answered {what} with a body this client could not read: the answer has no {missing}"
    )]
    Incomplete {
        /// What the request was about.
        what: String,
        /// The missing part, e.g. "`incident`" or "`incidents` list".
        missing: String,
    },
    /// A request's body or filters could not be encoded.
    #[error("could not encode the request for {what}")]
    Encode {
        /// What the request was about.
        what: String,
        /// Why encoding failed.
        #[source]
        source: serde_json::Error,
    },
    /// The answer is longer than the client's `max_response_bytes`; it was refused while
    /// arriving, never buffered.
    #[error(
        "PagerDuty's answer to {what} is larger than the {} KiB this client reads; ask for less: \
         a smaller `limit`, or narrower filters",
        limit / 1024
    )]
    TooLarge {
        /// What the request was about.
        what: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The call's time budget ran out (every request, retry and wait included).
    #[error(
        "PagerDuty timed out: {what} did not complete within this call's time budget of {} s \
         (retries and waits included); try again shortly, or ask for less",
        budget.as_secs_f64()
    )]
    OutOfTime {
        /// What the request was about.
        what: String,
        /// The client's time budget per call.
        budget: Duration,
    },
    /// PagerDuty does not page past `max` results of one query.
    #[error(
        "PagerDuty lists at most {max} results per query (offset {offset} + limit {limit}); \
         narrow the filters (time range, service, status) instead of paging further"
    )]
    OffsetCap {
        /// The offset asked for.
        offset: u32,
        /// The limit asked for.
        limit: u32,
        /// PagerDuty's window.
        max: u32,
    },
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl Error {
    /// The HTTP status PagerDuty answered with, if the error came from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            _ => None,
        }
    }
}

/// A non-2xx answer from PagerDuty, decoded from its error body
/// `{"error": {"code": …, "message": …, "errors": […]}}`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// PagerDuty's error code (e.g. 2001 invalid input, 2011 no `From` user).
    pub code: Option<i64>,
    /// PagerDuty's message.
    pub message: String,
    /// PagerDuty's per-field messages, flattened to one line each.
    pub errors: Vec<String>,
    /// What the request was about, e.g. "incident PABC123", for 404 messages.
    pub subject: String,
    /// From `ratelimit-reset` on a 429.
    pub retry_after: Option<Duration>,
    /// PagerDuty's `x-request-id`, for support tickets.
    pub request_id: Option<String>,
}

#[derive(Deserialize)]
struct Body {
    error: BodyError,
}

#[derive(Deserialize)]
struct BodyError {
    code: Option<i64>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct EventsBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

impl ApiError {
    /// A 404 for `subject` found by the client itself (e.g. an id missing from a list).
    pub fn not_found(subject: String) -> Self {
        Self {
            status: 404,
            code: None,
            message: String::new(),
            errors: Vec::new(),
            subject,
            retry_after: None,
            request_id: None,
        }
    }

    pub(crate) fn from_response(
        status: u16,
        body: &[u8],
        subject: String,
        retry_after: Option<Duration>,
        request_id: Option<String>,
    ) -> Self {
        let (code, message, errors) = match serde_json::from_slice::<Body>(body) {
            Ok(Body { error }) => (error.code, error.message, flatten_errors(error.errors)),
            // The Events API v2 shape: `{"status", "message", "errors": [...]}`.
            Err(_) => match serde_json::from_slice::<EventsBody>(body) {
                Ok(e) => (None, e.message, flatten_errors(e.errors)),
                Err(_) => (None, String::new(), Vec::new()),
            },
        };
        Self {
            status,
            code,
            message,
            errors,
            subject,
            retry_after,
            request_id,
        }
    }

    /// PagerDuty's own words: its message and per-field errors.
    pub fn detail(&self) -> String {
        let mut out = self.message.clone();
        if !self.errors.is_empty() {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&self.errors.join("; "));
        }
        out
    }
}

/// `errors` is a list of strings in REST v2 and an object of field → messages in v3 APIs.
fn flatten_errors(errors: Option<serde_json::Value>) -> Vec<String> {
    use serde_json::Value;
    fn text(v: &Value) -> String {
        v.as_str().map_or_else(|| v.to_string(), str::to_owned)
    }
    match errors {
        Some(Value::Array(items)) => items.iter().map(text).collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(field, msgs)| match msgs {
                Value::Array(m) => format!(
                    "{field}: {}",
                    m.iter().map(text).collect::<Vec<_>>().join(", ")
                ),
                other => format!("{field}: {}", text(other)),
            })
            .collect(),
        Some(Value::String(s)) => vec![s],
        _ => Vec::new(),
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let detail = self.detail();
        let sep = if detail.is_empty() {
            ""
        } else {
            " PagerDuty said: "
        };
        match self.status {
            401 => write!(
                f,
                "PagerDuty rejected the credentials (401): the token is wrong, revoked, or belongs to the other \
                 region (US/EU). Check the token, and the API host \
                 (https://api.pagerduty.com for US accounts, https://api.eu.pagerduty.com for EU accounts)."
            ),
            403 => write!(
                f,
                "PagerDuty refused {} (403): your role does not allow this (read-only keys, observers and \
                 read-only users cannot make changes; OAuth tokens need the right scope).{sep}{detail}",
                self.subject
            ),
            404 => write!(
                f,
                "{} was not found (404). Check the id; the list_* tools return valid ids.",
                capitalize(&self.subject)
            ),
            429 => match self.retry_after {
                Some(wait) => write!(
                    f,
                    "PagerDuty's rate limit was reached (429); wait {} s before retrying.",
                    wait.as_secs().max(1)
                ),
                None => write!(
                    f,
                    "PagerDuty's rate limit was reached (429); wait a minute before retrying."
                ),
            },
            402 => write!(
                f,
                "Your PagerDuty account's plan does not include what {} needs (402).{sep}{detail}",
                self.subject
            ),
            400 if self.code == Some(2011) => write!(
                f,
                "PagerDuty needs to know which user performs {} (400): with an account-level API key, give \
                 the credential a user's email (`From`).{sep}{detail}",
                self.subject
            ),
            400 | 409 | 422 => write!(
                f,
                "PagerDuty rejected {} ({}): {}",
                self.subject,
                self.status,
                if detail.is_empty() {
                    "invalid arguments"
                } else {
                    &detail
                }
            ),
            s if s >= 500 => write!(
                f,
                "PagerDuty failed while handling {} ({s}); this is on PagerDuty's side, try again shortly.{sep}{detail}",
                self.subject
            ),
            s => write!(
                f,
                "PagerDuty answered {} with HTTP {s}.{sep}{detail}",
                self.subject
            ),
        }?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        ApiError::from_response(
            status,
            body.as_bytes(),
            "incident PX1".into(),
            Some(Duration::from_secs(7)),
            None,
        )
    }

    #[test]
    fn messages_are_actionable() {
        assert!(
            err(401, "")
                .to_string()
                .contains("belongs to the other region (US/EU)")
        );
        assert!(
            err(
                403,
                "{\"error\":{\"message\":\"Access Denied\",\"code\":2010}}"
            )
            .to_string()
            .contains("your role does not allow this")
        );
        assert!(
            err(404, "")
                .to_string()
                .starts_with("Incident PX1 was not found")
        );
        assert!(err(429, "").to_string().contains("wait 7 s"));
        let bad = err(
            400,
            r#"{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Title can't be blank","Service is invalid"]}}"#,
        );
        assert_eq!(bad.code, Some(2001));
        let text = bad.to_string();
        assert!(
            text.contains("Title can't be blank; Service is invalid"),
            "{text}"
        );
        let v3 = err(
            400,
            r#"{"error":{"message":"bad","errors":{"start_time":["must be before end_time"]}}}"#,
        );
        assert!(
            v3.to_string()
                .contains("start_time: must be before end_time")
        );
        assert!(
            err(400, r#"{"error":{"message":"x","code":2011}}"#)
                .to_string()
                .contains("give the credential a user's email")
        );
    }
}
