//! Streamable HTTP: `/mcp` (stateless, so any replica answers any request), `/healthz`, and the
//! OAuth protected-resource metadata, behind per-request credentials, Host/Origin checks, a
//! body limit and a time-out.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::ValueEnum;
use pagerduty::Credential;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::server::{CallerCredential, PagerDutyServer};

/// Whose PagerDuty credential an HTTP request runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// Each request carries its caller's PagerDuty credential in `Authorization`
    /// (`Token token=…`, or `Bearer …` for OAuth), plus `From` for account keys.
    PerRequest,
    /// The server's own key from the environment; callers prove themselves with a client secret.
    SharedKey,
    /// The server's own key, no caller authentication: one user on this machine (loopback only).
    Local,
}

pub struct HttpOptions {
    pub addr: SocketAddr,
    pub auth: AuthMode,
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub authorization_server: String,
    pub public_url: Option<String>,
    pub client_secret: Option<SecretString>,
    /// `--confirm-writes`: legacy clients answer the confirmation question in a session.
    pub confirm_writes: bool,
}

#[derive(Clone)]
struct Gate {
    auth: AuthMode,
    client_secret: Option<Arc<SecretString>>,
    authorization_server: Arc<str>,
    public_url: Option<Arc<str>>,
    /// The OAuth scopes the loaded tools need.
    scopes: Arc<[&'static str]>,
}

/// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests.
pub async fn serve(server: PagerDutyServer, opts: HttpOptions) -> anyhow::Result<()> {
    let loopback = opts.addr.ip().is_loopback();
    match opts.auth {
        AuthMode::Local if !loopback => {
            bail!(
                "--auth local has no caller authentication, so it only binds to loopback (127.0.0.1 or ::1)"
            )
        }
        AuthMode::SharedKey
            if opts.client_secret.as_ref().is_none_or(|s| {
                s.expose_secret()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count()
                    < 16
            }) =>
        {
            bail!(
                "--auth shared-key lets every caller act with the server's PagerDuty key, so callers must \
                 present a client secret: set MCP_CLIENT_SECRET (at least 16 non-space characters)"
            )
        }
        _ => {}
    }
    if opts.auth != AuthMode::PerRequest && server.ctx().pd.credential().is_none() {
        bail!(
            "--auth {:?} uses the server's PagerDuty key: set PAGERDUTY_USER_API_KEY",
            opts.auth
        );
    }
    let cancel = CancellationToken::new();
    let mut allowed_hosts = opts.allowed_hosts;
    if allowed_hosts.is_empty() {
        allowed_hosts = default_hosts(opts.addr.ip());
        if !loopback && opts.addr.ip().is_unspecified() {
            tracing::warn!(
                "listening on all interfaces with only loopback Host names allowed; \
                 pass --allowed-hosts with the names clients use"
            );
        }
    }
    let mut allowed_origins = opts.allowed_origins;
    if allowed_origins.is_empty() && loopback {
        allowed_origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
            .map(String::from)
            .to_vec();
    }
    if opts.confirm_writes {
        tracing::warn!(
            "--confirm-writes over HTTP: clients before protocol 2026-07-28 answer the question in a \
             session (Mcp-Session-Id), so behind a load balancer route each session to one replica; \
             2026-07-28 clients stay stateless, and their approvals are valid only on the replica that asked"
        );
    }
    // Stateless, except that a confirmation asked of a pre-2026-07-28 client (an elicitation
    // request on the call's own response stream) needs the client's answer to come back to
    // this process: a legacy session routes it. 2026-07-28 clients are always stateless.
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(opts.confirm_writes)
        .with_json_response(true)
        .with_allowed_hosts(allowed_hosts)
        .with_allowed_origins(allowed_origins)
        .with_max_request_body_bytes(opts.max_body_bytes)
        .with_cancellation_token(cancel.child_token());
    let scopes = server.registry().scopes();
    // Stateless: the factory runs per request; the server is a cheap clone sharing one client.
    let mcp = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let gate = Gate {
        auth: opts.auth,
        client_secret: opts.client_secret.map(Arc::new),
        authorization_server: opts.authorization_server.into(),
        public_url: opts.public_url.map(|u| u.trim_end_matches('/').into()),
        scopes: scopes.into(),
    };
    let timeout = opts.request_timeout;
    let app = Router::new()
        .nest_service("/mcp", mcp)
        .layer(from_fn_with_state(gate.clone(), authenticate))
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/.well-known/oauth-protected-resource",
            get(resource_metadata),
        )
        .route(
            "/.well-known/oauth-protected-resource/mcp",
            get(resource_metadata),
        )
        .with_state(gate)
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| async move {
                match tokio::time::timeout(timeout, next.run(req)).await {
                    Ok(resp) => resp,
                    Err(_) => {
                        (StatusCode::GATEWAY_TIMEOUT, "the request took too long").into_response()
                    }
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind(opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    tracing::info!(addr = %listener.local_addr()?, auth = ?opts.auth, "serving MCP over Streamable HTTP at /mcp");
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            cancel.cancel();
        })
        .await?;
    Ok(())
}

fn default_hosts(bind: IpAddr) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]
        .map(String::from)
        .to_vec();
    if !bind.is_loopback() && !bind.is_unspecified() {
        hosts.push(bind.to_string());
    }
    hosts
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Admits a `/mcp` request and attaches the caller's credential for this request only.
async fn authenticate(State(gate): State<Gate>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    match gate.auth {
        AuthMode::Local => {}
        AuthMode::SharedKey => {
            let presented = bearer(headers).unwrap_or_default();
            let secret = gate
                .client_secret
                .as_ref()
                .map(|s| s.expose_secret())
                .unwrap_or_default();
            if secret.is_empty() || !constant_time_eq(presented.as_bytes(), secret.as_bytes()) {
                return unauthorized(
                    &gate,
                    headers,
                    "present the client secret as `Authorization: Bearer <secret>`",
                );
            }
        }
        AuthMode::PerRequest => match caller_credential(headers) {
            Some(credential) => {
                req.extensions_mut().insert(CallerCredential(credential));
            }
            None => {
                return unauthorized(
                    &gate,
                    headers,
                    "send your PagerDuty credential: `Authorization: Token token=<API key>` \
                     (plus `From: <email>` for an account key) or `Authorization: Bearer <OAuth token>`",
                );
            }
        },
    }
    next.run(req).await
}

/// `Token token=…` (with `From` for an account key) or `Bearer …`.
fn caller_credential(headers: &HeaderMap) -> Option<Credential> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    let credential = if scheme.eq_ignore_ascii_case("token") {
        let token = rest.strip_prefix("token=")?.trim_matches('"');
        let from = headers
            .get("from")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|f| !f.is_empty());
        match from {
            Some(email) => Credential::account_key(token, Some(email.to_owned())),
            None => Credential::user_token(token),
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        Credential::oauth(rest)
    } else {
        return None;
    };
    let token_ok = match &credential {
        Credential::UserToken(t) | Credential::OAuth(t) | Credential::AccountKey { key: t, .. } => {
            let t = t.expose_secret();
            !t.is_empty() && t.len() <= 512 && t.bytes().all(|b| b.is_ascii_graphic())
        }
    };
    token_ok.then_some(credential)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn base_url(gate: &Gate, headers: &HeaderMap) -> String {
    if let Some(url) = &gate.public_url {
        return url.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

fn unauthorized(gate: &Gate, headers: &HeaderMap, hint: &str) -> Response {
    let metadata = format!(
        "{}/.well-known/oauth-protected-resource",
        base_url(gate, headers)
    );
    let challenge = format!(r#"Bearer resource_metadata="{metadata}", Token realm="PagerDuty""#);
    let body = json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": -32001, "message": format!("Unauthorized: {hint}")},
    });
    let mut resp = (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

/// RFC 9728: tells an MCP client where to get a token for this server (PagerDuty's identity
/// service) and which scopes to ask for: those of the tools this server loaded.
async fn resource_metadata(State(gate): State<Gate>, headers: HeaderMap) -> Response {
    let base = base_url(&gate, &headers);
    axum::Json(json!({
        "resource": format!("{base}/mcp"),
        "authorization_servers": [gate.authorization_server.as_ref()],
        "scopes_supported": gate.scopes.as_ref(),
        "bearer_methods_supported": ["header"],
        "resource_name": "PagerDuty MCP server",
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn parses_caller_credentials() {
        let c = caller_credential(&headers(&[("authorization", "Token token=abc_+-1")])).unwrap();
        assert!(matches!(c, Credential::UserToken(_)));
        let c = caller_credential(&headers(&[
            ("authorization", "Token token=k"),
            ("from", "a@example.com"),
        ]))
        .unwrap();
        assert_eq!(c.from_email(), Some("a@example.com"));
        let c = caller_credential(&headers(&[("authorization", "Bearer pdus+_x")])).unwrap();
        assert!(matches!(c, Credential::OAuth(_)));
        for bad in [
            "",
            "Token",
            "Token token=",
            "Basic dXNlcg==",
            "Bearer  ",
            "Token token=a b",
        ] {
            assert!(
                caller_credential(&headers(&[("authorization", bad)])).is_none(),
                "{bad:?}"
            );
        }
        assert!(caller_credential(&HeaderMap::new()).is_none());
    }

    #[test]
    fn secret_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
