//! Streamable HTTP: `/mcp` (stateless, so any replica answers any request), `/healthz`, and the
//! OAuth protected-resource metadata.
//!
//! In front of the MCP service, outermost first: the connection cap and hyper's header-read
//! time-out (which also closes idle keep-alive connections), a time-out per request above the
//! tool calls' own budget, Host and Origin checks (before anything else looks at the
//! request), CORS for allowed browser origins, the caller's credential, and JSON-RPC framing
//! checks. On SIGTERM/SIGINT the server stops accepting, lets the calls in flight finish
//! (bounded by the drain time-out) and exits.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::ValueEnum;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use pagerduty::Credential;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::credentials::ClientSecret;
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
    pub client_secret: Option<ClientSecret>,
    /// `--confirm-writes`: legacy clients answer the confirmation question in a session.
    pub confirm_writes: bool,
    /// Time to send a request's headers; also how long an idle keep-alive connection stays.
    pub header_read_timeout: Duration,
    /// Open connections at most; beyond it a new one gets 503 and is closed.
    pub max_connections: usize,
    /// How long calls in flight may take to finish after a shutdown signal.
    pub drain_timeout: Duration,
    /// Ends the server like SIGTERM (tests, embedding); the signals always do.
    pub shutdown: CancellationToken,
}

#[derive(Clone)]
struct Gate {
    auth: AuthMode,
    client_secret: Option<Arc<ClientSecret>>,
    authorization_server: Arc<str>,
    public_url: Option<Arc<str>>,
    /// The OAuth scopes the loaded tools need.
    scopes: Arc<[&'static str]>,
    /// The Host names accepted; URLs this server shows are built from these, never from a
    /// request's own headers.
    allowed_hosts: Arc<[String]>,
    /// Browser origins accepted; empty: a request carrying `Origin` is refused.
    allowed_origins: Arc<[String]>,
    port: u16,
}

/// Serves until SIGTERM, Ctrl-C or `opts.shutdown`, then drains.
pub async fn serve(server: PagerDutyServer, opts: HttpOptions) -> anyhow::Result<()> {
    let loopback = opts.addr.ip().is_loopback();
    match opts.auth {
        AuthMode::Local if !loopback => {
            bail!(
                "--auth local has no caller authentication, so it only binds to loopback (127.0.0.1 or ::1)"
            )
        }
        AuthMode::SharedKey if opts.client_secret.is_none() => {
            bail!(
                "--auth shared-key lets every caller act with the server's PagerDuty key, so callers must \
                 present a client secret: set MCP_CLIENT_SECRET or MCP_CLIENT_SECRET_FILE (at least 16 non-space characters)"
            )
        }
        _ => {}
    }
    if opts.auth != AuthMode::PerRequest && !server.local().has_credential() {
        bail!(
            "--auth {:?} uses the server's PagerDuty key: set PAGERDUTY_USER_API_KEY (or PAGERDUTY_USER_API_KEY_FILE)",
            opts.auth
        );
    }
    let listener = tokio::net::TcpListener::bind(opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    let local = listener.local_addr()?;
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
    // The tool calls' own budget (--api-timeout) ends first, so a caller gets a tool error
    // from the call rather than this layer's time-out.
    let api_budget = server.local().base().budget();
    let timeout = opts
        .request_timeout
        .max(api_budget + Duration::from_secs(5));
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(opts.confirm_writes)
        .with_json_response(true)
        .with_allowed_hosts(allowed_hosts.clone())
        .with_allowed_origins(allowed_origins.clone())
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
        allowed_hosts: allowed_hosts.into(),
        allowed_origins: allowed_origins.into(),
        port: local.port(),
    };
    let max_body = opts.max_body_bytes;
    let cors = (!gate.allowed_origins.is_empty()).then(|| cors(gate.allowed_origins.clone()));
    let app = Router::new()
        .nest_service("/mcp", mcp)
        .layer(from_fn(move |req: Request, next: Next| {
            check_jsonrpc(max_body, req, next)
        }))
        .layer(from_fn_with_state(gate.clone(), authenticate))
        .route(
            "/.well-known/oauth-protected-resource",
            get(resource_metadata),
        )
        .route(
            "/.well-known/oauth-protected-resource/mcp",
            get(resource_metadata),
        )
        .with_state(gate.clone())
        .layer(tower::util::option_layer(cors))
        .layer(from_fn_with_state(gate, check_host_and_origin))
        .layer(from_fn(move |req: Request, next: Next| async move {
            match tokio::time::timeout(timeout, next.run(req)).await {
                Ok(resp) => resp,
                Err(_) => jsonrpc_error(
                    StatusCode::GATEWAY_TIMEOUT,
                    -32603,
                    "the request took longer than the server's --request-timeout",
                ),
            }
        }))
        // Load balancers probe with their own Host (a pod IP): health reveals nothing.
        .route("/healthz", get(|| async { "ok" }))
        .layer(from_fn(crate::metrics::http_request));
    tracing::info!(addr = %local, auth = ?opts.auth, "serving MCP over Streamable HTTP at /mcp");
    accept_until_shutdown(
        listener,
        app,
        &opts.shutdown,
        HttpLimits {
            header_read_timeout: opts.header_read_timeout,
            max_connections: opts.max_connections,
            drain_timeout: opts.drain_timeout,
        },
    )
    .await;
    cancel.cancel();
    Ok(())
}

struct HttpLimits {
    header_read_timeout: Duration,
    max_connections: usize,
    drain_timeout: Duration,
}

/// The accept loop: hyper's HTTP/1 server per connection (header-read time-out, keep-alive)
/// under a connection cap; on shutdown, stop accepting and let open requests finish.
async fn accept_until_shutdown(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: &CancellationToken,
    limits: HttpLimits,
) {
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors, most often: wait for some to close.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
            () = shutdown.cancelled() => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Over the cap: say so without reading the request, and close.
            metrics::counter!("mcp_http_connections_refused_total").increment(1);
            let _ = stream.try_write(
                b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            continue;
        };
        // As axum::serve does: answers are small, Nagle's delay would dominate them.
        let _ = stream.set_nodelay(true);
        let conn =
            http1.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    let open = graceful.count();
    tracing::info!(open, drain_timeout = ?limits.drain_timeout, "shutting down: finishing the requests in flight");
    if tokio::time::timeout(limits.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("drain time-out: closing connections with requests still in flight");
    }
}

/// CORS for the allowed browser origins (tower-http): preflights are answered before
/// authentication, and answers carry `Access-Control-Allow-Origin`.
fn cors(allowed: Arc<[String]>) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            origin.to_str().is_ok_and(|o| origin_allowed(&allowed, o))
        }))
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::FROM,
            header::HeaderName::from_static("mcp-protocol-version"),
            header::HeaderName::from_static("mcp-session-id"),
            header::HeaderName::from_static("mcp-method"),
            header::HeaderName::from_static("mcp-name"),
            header::HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([
            header::WWW_AUTHENTICATE,
            header::HeaderName::from_static("mcp-session-id"),
        ])
        .max_age(Duration::from_secs(3600))
}

/// `Origin` matches an entry exactly, or an entry ending in `:*` with any port.
fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    allowed.iter().any(|a| match a.strip_suffix(":*") {
        Some(prefix) => origin
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())),
        None => a.eq_ignore_ascii_case(origin),
    })
}

/// The configured Host entry a request's `Host` header matches (name, or name:port).
fn matched_host<'g>(allowed: &'g [String], headers: &HeaderMap) -> Option<&'g str> {
    let authority: http::uri::Authority = headers.get(header::HOST)?.to_str().ok()?.parse().ok()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    allowed
        .iter()
        .find(|entry| {
            let entry_authority = entry.parse::<http::uri::Authority>().ok();
            match entry_authority {
                Some(e) => {
                    e.host()
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .eq_ignore_ascii_case(host)
                        && e.port_u16().is_none_or(|p| Some(p) == authority.port_u16())
                }
                // A bare IPv6 address such as `::1`.
                None => entry.eq_ignore_ascii_case(host),
            }
        })
        .map(String::as_str)
}

/// DNS-rebinding and cross-site protection, before authentication: a Host that is not
/// configured, or a browser Origin that is not allowed, is refused outright.
async fn check_host_and_origin(State(gate): State<Gate>, req: Request, next: Next) -> Response {
    if matched_host(&gate.allowed_hosts, req.headers()).is_none() {
        return jsonrpc_error(
            StatusCode::FORBIDDEN,
            -32600,
            "Forbidden: this Host is not one the server answers to (--allowed-hosts)",
        );
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .is_ok_and(|o| origin_allowed(&gate.allowed_origins, o));
        if !allowed {
            return jsonrpc_error(
                StatusCode::FORBIDDEN,
                -32600,
                "Forbidden: this Origin is not allowed (--allowed-origins)",
            );
        }
    }
    next.run(req).await
}

/// A JSON-RPC error as an HTTP answer (id unknown at this layer).
fn jsonrpc_error(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}});
    (status, axum::Json(body)).into_response()
}

/// Answers a POST to `/mcp` that is not one servable JSON-RPC message with HTTP 400 and the
/// JSON-RPC error the spec names; passes the others on unchanged.
async fn check_jsonrpc(max_body: usize, req: Request, next: Next) -> Response {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("application/json"))
        });
    // Other methods and content types get rmcp's own answers (405, 415).
    if req.method() != Method::POST || !is_json {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(b) => b,
        Err(_) => {
            return jsonrpc_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                -32600,
                &format!("the request body is larger than {max_body} bytes (--max-body-bytes)"),
            );
        }
    };
    if let Err(rejection) = crate::jsonrpc::check(&bytes) {
        tracing::debug!(code = rejection.code, message = %rejection.message, "refused a JSON-RPC message");
        return (StatusCode::BAD_REQUEST, axum::Json(rejection.body())).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
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

/// SIGTERM (what Kubernetes and Docker send) or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
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
            // Read at every request, so a rotated MCP_CLIENT_SECRET_FILE applies at once.
            let secret = match gate.client_secret.as_deref().map(ClientSecret::read) {
                Some(Ok(secret)) => secret,
                Some(Err(e)) => {
                    tracing::error!(error = %format!("{e:#}"), "cannot check the caller's client secret");
                    return (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "the server cannot read its client secret; its log says why",
                    )
                        .into_response();
                }
                None => SecretString::from(""),
            };
            let secret = secret.expose_secret();
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

/// This server's base URL: `--public-url`, or the configured Host entry the request matched
/// with the port bound; nothing of the request's own headers is copied into it.
fn base_url(gate: &Gate, headers: &HeaderMap) -> String {
    if let Some(url) = &gate.public_url {
        return url.to_string();
    }
    let entry = matched_host(&gate.allowed_hosts, headers).unwrap_or("localhost");
    let host = match entry.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => format!("[{v6}]"),
        Err(_) => entry.to_owned(),
    };
    if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        && !host.ends_with(']')
    {
        return format!("http://{host}");
    }
    format!("http://{host}:{}", gate.port)
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
