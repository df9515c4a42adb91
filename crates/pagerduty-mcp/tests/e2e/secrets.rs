//! No secret at any log level, on either transport: routing keys given as arguments, webhook
//! custom-header values, webhook signing secrets and the credential itself stay out of stderr at
//! `--log trace`, out of the audit log and out of dry runs; a token an API echoes back is
//! replaced before it reaches a tool error, a log line or doctor.

use pagerduty_sim::tokens;
use serde_json::{Value, json};

use crate::harness::{Harness, Options, text};
use crate::http::HttpServer;

/// One server per transport, at trace level with write tools, that can make calls and show
/// what it logged.
enum Server {
    Stdio(Harness),
    Http(
        Box<HttpServer>,
        rmcp::service::RunningService<rmcp::RoleClient, ()>,
    ),
}

impl Server {
    async fn both(extra: &[&str]) -> [Server; 2] {
        let mut args = vec!["--enable-write-tools", "--log", "trace"];
        args.extend_from_slice(extra);
        let stdio = Harness::start(Options {
            args: &args,
            ..Options::default()
        })
        .await;
        let http = HttpServer::start(&args, &[]).await;
        let client = http.with_token(tokens::DEMO_USER_TOKEN).await;
        [Server::Stdio(stdio), Server::Http(Box::new(http), client)]
    }

    fn name(&self) -> &'static str {
        match self {
            Server::Stdio(_) => "stdio",
            Server::Http(..) => "http",
        }
    }

    fn sim(&self) -> &pagerduty_sim::Simulator {
        match self {
            Server::Stdio(h) => &h.sim,
            Server::Http(s, _) => &s.sim,
        }
    }

    async fn call(&self, tool: &str, args: Value) -> rmcp::model::CallToolResult {
        let Value::Object(args) = args else {
            unreachable!()
        };
        let params = rmcp::model::CallToolRequestParams::new(tool.to_owned()).with_arguments(args);
        match self {
            Server::Stdio(h) => h.client.call_tool(params).await.unwrap(),
            Server::Http(_, c) => c.call_tool(params).await.unwrap(),
        }
    }

    fn log(&self) -> String {
        match self {
            Server::Stdio(h) => h.stderr(),
            Server::Http(s, _) => s.log.lock().unwrap().clone(),
        }
    }

    /// Asserts the log shows the call happened (positive control) and holds none of `secrets`.
    fn assert_clean(&self, tool: &str, secrets: &[&str]) {
        let log = self.log();
        assert!(
            log.contains("tool call") && log.contains(tool) && log.contains("TRACE"),
            "{}: the trace log does not show the call:\n{log}",
            self.name()
        );
        for secret in secrets.iter().chain([&tokens::DEMO_USER_TOKEN]) {
            assert!(
                !log.contains(secret),
                "{}: `{secret}` in the log:\n{log}",
                self.name()
            );
        }
    }
}

#[tokio::test]
async fn routing_keys_given_as_arguments_are_not_logged() {
    for s in Server::both(&[]).await {
        let svc = s.sim().state().services().into_iter().next().unwrap();
        let key = svc.integrations[0].integration_key.clone();
        let r = s
            .call(
                "send_event",
                json!({"event_action": "trigger", "routing_key": key, "summary": "disk full", "source": "db-7", "severity": "error"}),
            )
            .await;
        assert_ne!(r.is_error, Some(true), "{}: {}", s.name(), text(&r));
        assert!(!text(&r).contains(&key));
        s.assert_clean("send_event", &[&key]);
        // The masked form is what the log shows.
        assert!(s.log().contains(&key[28..]), "{}", s.name());
    }
}

#[tokio::test]
async fn webhook_header_values_and_signing_secrets_are_not_logged_audited_or_planned() {
    let audit = crate::harness::fresh_audit_log("secrets");
    let header = "hdr-VALUE-canary-42";
    for s in Server::both(&["--audit-log", &audit]).await {
        let data = json!({"webhook_data": {
            "delivery_method": {"url": "https://hooks.example.com/pd", "custom_headers": [{"name": "X-Token", "value": header}]},
            "events": ["incident.triggered"],
            "filter": {"type": "account_reference"}
        }});
        let mut planned = data.clone();
        planned["dry_run"] = json!(true);
        let plan = s.call("create_webhook_subscription", planned).await;
        assert_ne!(plan.is_error, Some(true), "{}", text(&plan));
        let plan = text(&plan);
        assert!(
            plan.contains("X-Token") && plan.contains("<redacted>"),
            "{plan}"
        );
        assert!(
            !plan.contains(header),
            "{}: header value in the dry run: {plan}",
            s.name()
        );
        let created = s.call("create_webhook_subscription", data).await;
        assert_ne!(created.is_error, Some(true), "{}", text(&created));
        let created = created.structured_content.unwrap();
        // Shown once, to the caller; never logged.
        let secret = created["delivery_method"]["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(secret.len() > 10);
        s.assert_clean("create_webhook_subscription", &[header, &secret]);
    }
    let audited = std::fs::read_to_string(&audit).unwrap();
    assert_eq!(audited.lines().count(), 4, "{audited}");
    assert!(
        audited.contains("X-Token") && !audited.contains(header),
        "{audited}"
    );
    assert!(!audited.contains(tokens::DEMO_USER_TOKEN));
}

/// A stand-in API that answers every request with `status` and an error body echoing the
/// token it was sent, as some proxies and error pages do.
async fn echoing_api(status: u16) -> String {
    use axum::http::{HeaderMap, StatusCode};
    let app = axum::Router::new().fallback(move |headers: HeaderMap| async move {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let token = auth
            .rsplit(['=', ' '])
            .next()
            .unwrap_or_default()
            .to_owned();
        (
            StatusCode::from_u16(status).unwrap(),
            axum::Json(
                json!({"error": {"message": format!("Invalid token {token}"), "code": 2006,
                                         "errors": [format!("{auth} was rejected")]}}),
            ),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn a_token_the_api_echoes_is_scrubbed_from_errors_logs_and_doctor() {
    let token = "canary-TOKEN-0123456789abcdef";
    let api = echoing_api(400).await;
    let h = Harness::start(Options {
        args: &["--log", "trace"],
        token: Some(token),
        env: &[("PAGERDUTY_API_HOST", &api)],
    })
    .await;
    let msg = h.err("list_incidents", json!({})).await;
    assert!(
        msg.contains("Invalid token [credential redacted]"),
        "the API's message is kept, the token replaced: {msg}"
    );
    assert!(!msg.contains(token), "{msg}");
    let log = h.stderr();
    assert!(
        log.contains("tool call") && log.contains("list_incidents"),
        "{log}"
    );
    assert!(!log.contains(token), "{log}");

    // Over HTTP, with the caller's own token.
    let s = HttpServer::start(&["--log", "trace"], &[("PAGERDUTY_API_HOST", &api)]).await;
    let c = s.with_token(token).await;
    let r = c
        .call_tool(rmcp::model::CallToolRequestParams::new("list_incidents"))
        .await
        .unwrap();
    let msg = text(&r);
    assert!(
        msg.contains("Invalid token [credential redacted]") && !msg.contains(token),
        "{msg}"
    );
    let log = s.log.lock().unwrap().clone();
    assert!(log.contains("tool call") && !log.contains(token), "{log}");

    let doctor = crate::harness::server_command()
        .env("PAGERDUTY_API_HOST", &api)
        .env("PAGERDUTY_USER_API_KEY", token)
        .args(["--log", "trace", "doctor"])
        .output()
        .await
        .unwrap();
    let out = crate::harness::all_output(&doctor);
    assert!(
        out.contains("[credential redacted]") && !out.contains(token),
        "{out}"
    );
}

#[tokio::test]
async fn a_403_with_an_oauth_token_names_the_scopes() {
    let api = echoing_api(403).await;
    let h = Harness::start(Options {
        token: None,
        env: &[
            ("PAGERDUTY_API_HOST", &api),
            ("PAGERDUTY_OAUTH_TOKEN", "pdus+_canary-oauth-0123456789"),
        ],
        ..Options::default()
    })
    .await;
    h.err_says(
        "list_incidents",
        json!({}),
        &["needs the OAuth scopes", "incidents.read"],
    )
    .await;
    // Positive control: with an API key the 403 is about the role, not scopes.
    let h = Harness::start(Options {
        env: &[("PAGERDUTY_API_HOST", &api)],
        ..Options::default()
    })
    .await;
    let msg = h.err("list_incidents", json!({})).await;
    assert!(
        msg.contains("(403)") && !msg.contains("OAuth scopes"),
        "{msg}"
    );
}
