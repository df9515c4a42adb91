//! Tool errors: what the model reads when a call fails, so it can fix the call and retry.

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("Invalid argument{}: {message}", if field.is_empty() { String::new() } else { format!(" `{field}`") })]
    InvalidArgument { field: String, message: String },
    #[error("{}", explain(.0))]
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

/// A client error in this server's terms: where the library says "the credential" or "the
/// response-size limit", the user is told which variable or flag sets it.
pub fn explain(e: &pagerduty::Error) -> String {
    use pagerduty::Error as E;
    match e {
        E::MissingCredential => "An API key is required to call the PagerDuty API. Set \
            PAGERDUTY_USER_API_KEY (or PAGERDUTY_OAUTH_TOKEN) in the server's environment."
            .into(),
        E::MissingFrom => "this action is recorded against a PagerDuty user, and an account-level \
            API key has none: set PAGERDUTY_FROM_EMAIL to the email of the user to act as"
            .into(),
        E::UnknownFromUser(email) => format!(
            "PAGERDUTY_FROM_EMAIL is `{email}`, but no PagerDuty user on this account has that email"
        ),
        E::TooLarge { what, limit } => format!(
            "PagerDuty's answer to {what} is larger than the {} KiB this server reads \
             (--max-api-response-bytes); ask for less: a smaller `limit`, or narrower filters",
            limit / 1024
        ),
        E::OutOfTime { what, budget } => format!(
            "PagerDuty timed out: {what} did not complete within this call's time budget of {} s \
             (--api-timeout, retries and waits included); try again shortly, or ask for less",
            budget.as_secs_f64()
        ),
        E::Api(api) if api.status == 401 => with_request_id(
            api,
            "PagerDuty rejected the credentials (401): the token is wrong, revoked, or belongs to \
             the other region (US/EU). Check PAGERDUTY_USER_API_KEY, and PAGERDUTY_API_HOST \
             (https://api.pagerduty.com for US accounts, https://api.eu.pagerduty.com for EU \
             accounts)."
                .into(),
        ),
        E::Api(api) if api.status == 400 && api.code == Some(2011) => {
            let detail = api.detail();
            let sep = if detail.is_empty() {
                ""
            } else {
                " PagerDuty said: "
            };
            with_request_id(
                api,
                format!(
                    "PagerDuty needs to know which user performs {} (400): with an account-level \
                     API key, set PAGERDUTY_FROM_EMAIL to a user's email.{sep}{detail}",
                    api.subject
                ),
            )
        }
        // The HTTP library's own words name the request; its innermost cause says what broke.
        E::Transport { source, .. } => match innermost(source) {
            Some(root) => format!("{e} ({root})"),
            None => e.to_string(),
        },
        E::Decode { source, .. } | E::Encode { source, .. } => format!("{e}: {source}"),
        // "builder error" alone says nothing; its innermost cause says what is missing.
        E::Setup { source, .. } => match innermost(source) {
            Some(root) => format!("{e}: {source}: {root}"),
            None => format!("{e}: {source}"),
        },
        _ => e.to_string(),
    }
}

fn with_request_id(api: &pagerduty::ApiError, mut text: String) -> String {
    if let Some(id) = &api.request_id {
        text.push_str(&format!(" (request id {id})"));
    }
    text
}

/// The deepest cause below `e`, if `e` has any.
fn innermost<'e>(
    e: &'e (dyn std::error::Error + 'static),
) -> Option<&'e (dyn std::error::Error + 'static)> {
    let mut root = e.source()?;
    while let Some(next) = root.source() {
        root = next;
    }
    Some(root)
}

/// An API host refused by the client's host policy, in this server's terms (the variable that
/// sets it, the flag that relaxes it).
pub fn explain_host(e: &pagerduty::HostError) -> String {
    use pagerduty::HostError as H;
    match e {
        H::NotPagerDuty(host) => format!(
            "PAGERDUTY_API_HOST `{host}` is not a pagerduty.com host, so no token will be sent to \
             it; use {} (US) or {} (EU), or pass --allow-custom-api-host if you really run a proxy \
             there",
            pagerduty::host::US_API,
            pagerduty::host::EU_API
        ),
        other => format!("PAGERDUTY_API_HOST {other}"),
    }
}
