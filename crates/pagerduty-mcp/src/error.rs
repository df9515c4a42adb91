//! Tool errors: what the model reads when a call fails, so it can fix the call and retry.

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("Invalid argument{}: {message}", if field.is_empty() { String::new() } else { format!(" `{field}`") })]
    InvalidArgument { field: String, message: String },
    #[error(transparent)]
    PagerDuty(#[from] pagerduty::Error),
    /// The call was not allowed to run (e.g. no way to ask for confirmation).
    #[error("{0}")]
    Refused(String),
    /// The person asked said no.
    #[error("{0}")]
    NotConfirmed(String),
    /// The server's own configuration fails now, e.g. a secret file became unreadable.
    #[error("{0}; fix the server's configuration (secret files are read again at every call)")]
    Setup(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ToolError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl From<pagerduty::ids::InvalidId> for ToolError {
    fn from(e: pagerduty::ids::InvalidId) -> Self {
        Self::PagerDuty(e.into())
    }
}
