//! Per-route gate: authentication, Accept header, rate limit, role checks
//! and the `From` header, in the order PagerDuty reports them.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::AppState;
use crate::error::ApiError;
use crate::store::{Credential, Store};

/// The authenticated caller, stored in request extensions for handlers.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: usize,
    pub credential: Credential,
    /// The user a write is attributed to: the token's user, or the `From`
    /// user for account keys.
    pub acting_user: Option<String>,
}

/// Route metadata the gate needs.
#[derive(Clone)]
pub struct Gate {
    pub state: AppState,
    pub from_required: bool,
}

pub const ACCEPT_V2: &str = "application/vnd.pagerduty+json;version=2";

/// Splits `Token token=<t>` / `Bearer <t>`; returns (is_bearer, token).
pub fn parse_authorization(headers: &HeaderMap) -> Option<(bool, String)> {
    let raw = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    if let Some(rest) = raw.strip_prefix("Bearer ") {
        let t = rest.trim();
        return (!t.is_empty()).then(|| (true, t.to_string()));
    }
    let rest = raw.strip_prefix("Token ")?.trim_start();
    let t = rest.strip_prefix("token=")?.trim();
    (!t.is_empty()).then(|| (false, t.to_string()))
}

/// Resolves the header to a credential; a Bearer header must name an OAuth
/// token and a `Token token=` header an API key, as with the real API.
pub fn authenticate(store: &Store, headers: &HeaderMap) -> Option<(usize, Credential)> {
    let (bearer, token) = parse_authorization(headers)?;
    let (acct, cred) = store.lookup_token(&token)?;
    match (&cred, bearer) {
        (Credential::OAuth { .. }, true)
        | (Credential::UserToken { .. } | Credential::AccountKey { .. }, false) => {
            Some((acct, cred))
        }
        _ => None,
    }
}

fn accept_ok(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT).iter().any(|v| {
        let norm: String = v
            .to_str()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        norm.to_lowercase().contains(ACCEPT_V2)
    })
}

const READ_ONLY_ROLES: &[&str] = &["read_only_user", "read_only_limited_user", "observer"];

pub async fn gate(State(gate): State<Gate>, mut req: Request, next: Next) -> Response {
    match check(&gate, &req) {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(resp) => resp,
    }
}

#[allow(clippy::result_large_err)] // built once per request; boxing buys nothing here
fn check(gate: &Gate, req: &Request) -> Result<Caller, Response> {
    let st = &gate.state;
    let headers = req.headers();
    let store = st.store.read().unwrap_or_else(|e| e.into_inner());
    let Some((account, credential)) = authenticate(&store, headers) else {
        return Err(ApiError::unauthorized().into_response());
    };
    if st.config.strict_accept && !accept_ok(headers) {
        return Err(
            ApiError::new(http::StatusCode::NOT_ACCEPTABLE, 2001, "Not Acceptable")
                .with_errors(vec![format!(
                    "The Accept header must be '{ACCEPT_V2}' (API version 2)"
                )])
                .into_response(),
        );
    }
    if let Some(limit) = st.config.rate_limit_per_minute {
        let key = match &credential {
            Credential::UserToken { user_id } | Credential::OAuth { user_id } => {
                format!("{account}:user:{user_id}")
            }
            Credential::AccountKey { read_only } => format!("{account}:account:{read_only}"),
        };
        if let Err(reset) = st.rate_limiter.hit(&key, limit, st.clock()) {
            return Err(rate_limited(limit, 0, reset));
        }
    }
    let acct = store
        .accounts
        .get(account)
        .ok_or_else(|| ApiError::unauthorized().into_response())?;
    let from = headers
        .get("from")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let acting_user = match &credential {
        Credential::UserToken { user_id } | Credential::OAuth { user_id } => Some(user_id.clone()),
        Credential::AccountKey { read_only } => {
            if *read_only && req.method() != Method::GET {
                return Err(ApiError::forbidden("This API key is read-only").into_response());
            }
            match from.map(|f| acct.user_by_email(f)) {
                Some(Some(u)) => Some(u.id.clone()),
                Some(None) | None if gate.from_required => {
                    return Err(ApiError::from_required().into_response());
                }
                _ => None,
            }
        }
    };
    if req.method() != Method::GET
        && let Some(u) = acting_user.as_deref().and_then(|u| acct.user(u))
        && READ_ONLY_ROLES.contains(&u.role.as_str())
    {
        return Err(ApiError::forbidden(format!(
            "Users with the {} role cannot perform this action",
            u.role
        ))
        .into_response());
    }
    Ok(Caller {
        account,
        credential,
        acting_user,
    })
}

/// 429 with PagerDuty's body and `ratelimit-*` headers.
pub fn rate_limited(limit: u32, remaining: u32, reset_secs: u64) -> Response {
    let mut resp = ApiError::rate_limited().into_response();
    let h = resp.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(limit));
    h.insert("ratelimit-remaining", HeaderValue::from(remaining));
    h.insert("ratelimit-reset", HeaderValue::from(reset_secs));
    resp
}

/// Fixed one-minute windows per credential identity.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: std::sync::Mutex<std::collections::HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// Counts a request; `Err(reset_secs)` when over the limit.
    pub fn hit(&self, key: &str, limit: u32, now_secs: i64) -> Result<u32, u64> {
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = now_secs.div_euclid(60);
        let entry = w.entry(key.to_string()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        let reset = (60 - now_secs.rem_euclid(60)) as u64;
        if entry.1 >= limit {
            return Err(reset);
        }
        entry.1 += 1;
        Ok(limit - entry.1)
    }
}
