//! PagerDuty-style error bodies: `{"error": {"message", "code", "errors"?}}`.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
    pub errors: Vec<String>,
    /// v3 APIs (`V3ErrorResponse`): `errors` maps field paths to messages.
    pub field_errors: Vec<(String, Vec<String>)>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
            field_errors: Vec::new(),
        }
    }
    pub fn with_errors(mut self, errors: Vec<String>) -> Self {
        self.errors = errors;
        self
    }
    /// 400 code 2001, the generic validation failure.
    pub fn invalid(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 2001, "Invalid Input Provided")
            .with_errors(vec![error.into()])
    }
    /// 400 code 2001 in the v3 shape: `errors` is `{field path: [messages]}`.
    pub fn v3_invalid(fields: Vec<(String, String)>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, 2001, "Invalid Request");
        for (field, msg) in fields {
            match e.field_errors.iter_mut().find(|(f, _)| *f == field) {
                Some((_, msgs)) => msgs.push(msg),
                None => e.field_errors.push((field, vec![msg])),
            }
        }
        e
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 2006, "Authentication failed")
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, 2010, "Access Denied").with_errors(vec![detail.into()])
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, 2100, "Not Found")
    }
    /// 400 code 1001: the change needs an open incident.
    pub fn already_resolved() -> Self {
        Self::new(StatusCode::BAD_REQUEST, 1001, "Incident Already Resolved")
    }
    pub fn from_required() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            2011,
            "You must specify a user's email address in the \"From\" header to perform this action",
        )
    }
    pub fn rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, 2020, "Rate Limit Exceeded")
    }
    pub fn internal(status: StatusCode) -> Self {
        let msg = match status.as_u16() {
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Internal Server Error",
        };
        Self::new(status, 2000, msg)
    }

    pub fn body(&self) -> serde_json::Value {
        let mut err = json!({ "message": self.message, "code": self.code });
        if !self.errors.is_empty() {
            err["errors"] = json!(self.errors);
        }
        if !self.field_errors.is_empty() {
            let map: serde_json::Map<String, serde_json::Value> = self
                .field_errors
                .iter()
                .map(|(f, m)| (f.clone(), json!(m)))
                .collect();
            err["errors"] = serde_json::Value::Object(map);
        }
        json!({ "error": err })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body())).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        resp
    }
}
