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
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
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
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 2006, "Authentication failed")
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, 2010, "Access Denied").with_errors(vec![detail.into()])
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, 2100, "Not Found")
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
