//! Streamable HTTP mode, end to end: the real binary with `--http`, rmcp's HTTP client, the
//! simulator behind it; per-request credentials, write gating, and the HTTP-level guards.

use std::process::Stdio;
use std::time::Duration;

use pagerduty_sim::{SimConfig, Simulator, tokens};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::harness::{array, text};

/// A `pagerduty-mcp --http` process on an ephemeral port, in front of a simulator.
pub struct HttpServer {
    pub sim: Simulator,
    pub child: tokio::process::Child,
    pub url: String,
    /// Everything the server wrote to stderr.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
    /// `http://…` of `/metrics`, with `--metrics-addr`.
    pub metrics_url: Option<String>,
}

impl HttpServer {
    pub async fn start(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_with(crate::harness::sim_config(), args, env).await
    }

    pub async fn start_with(config: SimConfig, args: &[&str], env: &[(&str, &str)]) -> Self {
        let sim = Simulator::start(config).await.unwrap();
        let args = [&["--http", "--port", "0"], args].concat();
        let mut child =
            crate::harness::spawn_server(&sim.base_url(), env, &args, Stdio::null(), Stdio::null());
        // The server logs the address it bound; port 0 lets the OS pick a free one.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut metrics_url = None;
        let addr = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                log.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(rest) = line.split("metrics_listen=").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap();
                    metrics_url = Some(format!("http://{addr}"));
                }
                if let Some(rest) = line.split(" addr=").nth(1) {
                    return rest.split_whitespace().next().unwrap().to_owned();
                }
            }
            panic!("server exited before listening");
        })
        .await
        .expect("server listens");
        let sink = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Self {
            sim,
            child,
            url: format!("http://{addr}"),
            log,
            metrics_url,
        }
    }

    pub async fn client(&self, headers: &[(&'static str, &str)]) -> RunningService<RoleClient, ()> {
        ().serve(self.transport(headers))
            .await
            .expect("MCP initialize over HTTP")
    }

    /// An MCP client transport to this server's `/mcp` that sends `headers` with every request.
    pub fn transport(
        &self,
        headers: &[(&'static str, &str)],
    ) -> StreamableHttpClientTransport<reqwest::Client> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        let http = reqwest::Client::builder()
            .default_headers(map)
            .build()
            .unwrap();
        StreamableHttpClientTransport::with_client(
            http,
            StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", self.url)),
        )
    }

    /// The answer to a GET of the OAuth protected-resource metadata with this `Host`
    /// (`None`: the bound address's).
    pub async fn resource_metadata_answer(&self, host: Option<&str>) -> reqwest::Response {
        let mut req = reqwest::Client::new()
            .get(format!("{}/.well-known/oauth-protected-resource", self.url));
        if let Some(host) = host {
            req = req.header("host", host);
        }
        req.send().await.unwrap()
    }

    /// The OAuth protected-resource metadata the server publishes (see
    /// [`Self::resource_metadata_answer`]).
    pub async fn resource_metadata(&self, host: Option<&str>) -> Value {
        let answer = self.resource_metadata_answer(host).await;
        assert!(answer.status().is_success(), "{}", answer.status());
        answer.json().await.unwrap()
    }

    pub async fn with_token(&self, token: &str) -> RunningService<RoleClient, ()> {
        self.client(&[("authorization", &format!("Token token={token}"))])
            .await
    }
}

pub async fn call(
    c: &RunningService<RoleClient, ()>,
    tool: &str,
    args: Value,
) -> rmcp::model::CallToolResult {
    let Value::Object(args) = args else {
        unreachable!()
    };
    c.call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
        .await
        .unwrap()
}

/// Calls a tool over `c` that must succeed.
pub async fn call_ok(
    c: &RunningService<RoleClient, ()>,
    tool: &str,
    args: Value,
) -> rmcp::model::CallToolResult {
    let r = call(c, tool, args).await;
    assert_ne!(r.is_error, Some(true), "{tool}: {}", text(&r));
    r
}

pub fn raw_post(url: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("{url}/mcp"))
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
}

pub const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

/// POSTs [`PING`] to `{url}/mcp` with these headers besides [`raw_post`]'s: the answer.
pub async fn post_ping(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = raw_post(url).body(PING);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn tools_and_calls_over_http_with_write_gating() {
    let s = HttpServer::start(&[], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    let tools = c.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "list_incidents"));
    assert!(!tools.iter().any(|t| t.name == "manage_incidents"));
    let me = call(&c, "get_user_data", json!({})).await;
    assert_eq!(
        me.structured_content.unwrap()["email"],
        tokens::DEMO_USER_EMAIL
    );
    let denied = call(
        &c,
        "manage_incidents",
        json!({"manage_request": {"incident_ids": ["P1"], "status": "resolved"}}),
    )
    .await;
    assert_eq!(denied.is_error, Some(true));
    assert!(text(&denied).contains("--enable-write-tools"));

    let s = HttpServer::start(&["--enable-write-tools"], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    let open = call(
        &c,
        "list_incidents",
        json!({"statuses": ["triggered"], "limit": 1}),
    )
    .await;
    let id = open.structured_content.unwrap()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call_ok(
        &c,
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [id], "status": "acknowledged"}}),
    )
    .await;
    let got = call(&c, "get_incident", json!({"incident_id": id})).await;
    assert_eq!(got.structured_content.unwrap()["status"], "acknowledged");
}

/// 32 callers at once, each with the token of a different PagerDuty account: every answer
/// belongs to its caller's account.
#[tokio::test]
async fn concurrent_callers_never_see_each_others_accounts() {
    let s = HttpServer::start_with(
        SimConfig {
            tenants: 32,
            ..crate::harness::sim_config()
        },
        &[],
        &[],
    )
    .await;
    let mut tasks = Vec::new();
    for tenant in 1..=32 {
        let expected = s.sim.state().tenant_demo_user(tenant).unwrap().id;
        let c = s
            .with_token(&tokens::tenant_token(tenant, tokens::DEMO_USER_TOKEN))
            .await;
        tasks.push(tokio::spawn(async move {
            for _ in 0..3 {
                let me = call(&c, "get_user_data", json!({})).await;
                assert_eq!(
                    me.structured_content.unwrap()["id"],
                    expected.as_str(),
                    "cross-talk"
                );
                let open = call(&c, "list_incidents", json!({"limit": 1})).await;
                assert_ne!(open.is_error, Some(true));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let ids: std::collections::HashSet<String> = (1..=32)
        .map(|t| s.sim.state().tenant_demo_user(t).unwrap().id)
        .collect();
    assert_eq!(ids.len(), 32, "32 different accounts");
}

#[tokio::test]
async fn missing_or_bad_credentials_get_401_with_a_challenge() {
    let s = HttpServer::start(&[], &[("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)]).await;
    for auth in [None, Some("Basic dXNlcjpwYXNz"), Some("Token token=")] {
        let resp = post_ping(&s.url, auth.map(|a| ("authorization", a)).as_slice()).await;
        assert_eq!(resp.status(), 401, "{auth:?}");
        let challenge = resp.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            challenge.contains("resource_metadata=")
                && challenge.contains("/.well-known/oauth-protected-resource")
        );
    }
    // The server's own key is never used for a caller who brings none.
    assert!(s.sim.requests().is_empty());
    // A token PagerDuty rejects is the caller's 401, reported as a tool error.
    let c = s.with_token("u+not-a-real-token").await;
    let r = call(&c, "get_user_data", json!({})).await;
    assert_eq!(r.is_error, Some(true));
    assert!(text(&r).contains("401"));
}

#[tokio::test]
async fn host_origin_and_body_size_are_checked() {
    let s = HttpServer::start(&["--max-body-bytes", "4096"], &[]).await;
    let auth = format!("Token token={}", tokens::DEMO_USER_TOKEN);
    let ok = post_ping(&s.url, &[("authorization", &auth)]).await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let bad_host = post_ping(
        &s.url,
        &[("authorization", &auth), ("host", "evil.example")],
    )
    .await;
    assert_eq!(bad_host.status(), 403);
    let bad_origin = post_ping(
        &s.url,
        &[("authorization", &auth), ("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(bad_origin.status(), 403);
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"pad":"{}"}}}}"#,
        "x".repeat(10_000)
    );
    let too_big = raw_post(&s.url)
        .header(AUTHORIZATION, &auth)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    let health = reqwest::get(format!("{}/healthz", s.url)).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn oauth_protected_resource_metadata() {
    let s = HttpServer::start(&["--enable-write-tools"], &[]).await;
    let meta = s.resource_metadata(None).await;
    assert_eq!(
        meta["resource"],
        format!("{}/mcp", s.url).replace("127.0.0.1", "127.0.0.1")
    );
    assert_eq!(
        meta["authorization_servers"][0],
        "https://identity.pagerduty.com"
    );
    assert!(array(&meta["scopes_supported"]).contains(&json!("incidents.write")));
    // A Bearer OAuth token is forwarded as such.
    let c = s
        .client(&[("authorization", &format!("Bearer {}", tokens::OAUTH_TOKEN))])
        .await;
    let me = call(&c, "get_user_data", json!({})).await;
    assert_eq!(
        me.structured_content.unwrap()["email"],
        tokens::DEMO_USER_EMAIL
    );
    assert!(
        s.sim
            .requests()
            .iter()
            .any(|r| r.credential == pagerduty_sim::faults::CredentialKind::Oauth)
    );
}

#[tokio::test]
async fn shared_key_mode_needs_a_client_secret() {
    // Refuses to start without a secret.
    let sim = Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    let out = crate::harness::server_command()
        .env_remove("MCP_CLIENT_SECRET")
        .env("PAGERDUTY_API_HOST", sim.base_url())
        .env("PAGERDUTY_USER_API_KEY", tokens::ACCOUNT_KEY)
        .env("PAGERDUTY_FROM_EMAIL", tokens::DEMO_USER_EMAIL)
        .args(["--http", "--port", "0", "--auth", "shared-key"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MCP_CLIENT_SECRET"));

    let secret = "correct-horse-battery-staple-42";
    let s = HttpServer::start(
        &["--auth", "shared-key", "--enable-write-tools"],
        &[
            ("PAGERDUTY_USER_API_KEY", tokens::ACCOUNT_KEY),
            ("PAGERDUTY_FROM_EMAIL", tokens::DEMO_USER_EMAIL),
            ("MCP_CLIENT_SECRET", secret),
        ],
    )
    .await;
    let wrong = post_ping(&s.url, &[("authorization", "Bearer not-the-secret")]).await;
    assert_eq!(wrong.status(), 401);
    let c = s
        .client(&[("authorization", &format!("Bearer {secret}"))])
        .await;
    let id = crate::harness::last_triggered(&s.sim);
    call_ok(
        &c,
        "add_note_to_incident",
        json!({"incident_id": id, "note": "via the gateway"}),
    )
    .await;
    let post = s
        .sim
        .requests()
        .iter()
        .find(|r| r.method == "POST")
        .cloned()
        .unwrap();
    assert!(
        post.from_present,
        "the configured actor is recorded as From"
    );
    assert_eq!(
        post.credential,
        pagerduty_sim::faults::CredentialKind::Account
    );
}

#[tokio::test]
async fn local_mode_refuses_non_loopback_and_sigterm_stops_gracefully() {
    let out = crate::harness::server_command()
        .args([
            "--demo", "--http", "--auth", "local", "--host", "0.0.0.0", "--port", "0",
        ])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));

    let mut s = HttpServer::start(&["--demo", "--auth", "local"], &[]).await;
    let c = s.client(&[]).await;
    assert!(!c.list_all_tools().await.unwrap().is_empty());
    let pid = s.child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), s.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM: {status}");
}
