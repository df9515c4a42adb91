//! What a hosted deployment needs (issue 12), against the real binary: graceful drain on
//! SIGTERM over HTTP and stdio, slow-header sockets closed, the connection cap, Host and
//! Origin checked first and never reflected, CORS, JSON-RPC errors on both transports,
//! string length limits, bounded upstream answers, one time budget per call, metrics, JSON logs.

use std::time::Duration;

use http::Method;
use pagerduty_sim::faults::{FaultKind, FaultRule};
use pagerduty_sim::tokens;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::harness::{Harness, text};
use crate::http::{HttpServer, PING, call, call_ok, post_ping, raw_post};
use crate::raw_stdio::StdioServer;
use pagerduty_mcp::registry::MAX_STRING_CHARS;

fn auth() -> String {
    format!("Token token={}", tokens::DEMO_USER_TOKEN)
}

/// A ping from a browser page at `origin`, with the demo user's token.
async fn from_origin(url: &str, origin: &str) -> reqwest::Response {
    post_ping(url, &[("authorization", &auth()), ("origin", origin)]).await
}

fn sigterm(pid: u32) {
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Waits until the simulator has taken the one-use fault rule: the request is in flight.
async fn until_fault_taken(sim: &pagerduty_sim::Simulator) {
    tokio::time::timeout(Duration::from_secs(20), async {
        while !sim.faults().active().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the request reached the simulator");
}

#[tokio::test]
async fn sigterm_over_http_lets_the_call_in_flight_finish_and_audits_it() {
    let audit = crate::harness::fresh_audit_log("drain-http");
    let mut s = HttpServer::start(&["--enable-write-tools", "--audit-log", &audit], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    let id = crate::harness::last_triggered(&s.sim);
    s.sim.faults().add(
        FaultRule::new(FaultKind::Delay(Duration::from_secs(2)))
            .method(Method::POST)
            .path(format!("/incidents/{id}/notes")),
    );
    let note = tokio::spawn(async move {
        let r = call(
            &c,
            "add_note_to_incident",
            json!({"incident_id": id, "note": "drained, not dropped"}),
        )
        .await;
        (r, c)
    });
    until_fault_taken(&s.sim).await;
    sigterm(s.child.id().unwrap());
    let (r, _c) = note.await.unwrap();
    assert_ne!(r.is_error, Some(true), "{}", text(&r));
    let status = tokio::time::timeout(Duration::from_secs(20), s.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit 0 after draining: {status}");
    let lines = std::fs::read_to_string(&audit).unwrap();
    assert!(
        lines.contains("add_note_to_incident"),
        "audit line written: {lines:?}"
    );
    // Positive control for the note itself: PagerDuty has it.
    assert_eq!(s.sim.requests().count_prefix("POST", "/incidents/"), 1);
}

#[tokio::test]
async fn sigterm_on_stdio_answers_the_call_in_flight_then_exits_0() {
    let audit = crate::harness::fresh_audit_log("drain-stdio");
    let mut s = StdioServer::start(&["--enable-write-tools", "--audit-log", &audit]).await;
    s.initialize().await;
    let id = crate::harness::last_triggered(&s.sim);
    s.sim.faults().add(
        FaultRule::new(FaultKind::Delay(Duration::from_secs(2)))
            .method(Method::POST)
            .path(format!("/incidents/{id}/notes")),
    );
    let call = json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{
        "name":"add_note_to_incident","arguments":{"incident_id": id, "note": "finish me"}}});
    s.send(call.to_string().as_bytes()).await;
    until_fault_taken(&s.sim).await;
    sigterm(s.child.id().unwrap());
    let answer = s.answer("the note added while SIGTERM came").await;
    assert_eq!(answer["id"], 2);
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    let status = tokio::time::timeout(Duration::from_secs(20), s.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit 0: {status}");
    assert!(
        std::fs::read_to_string(&audit)
            .unwrap()
            .contains("add_note_to_incident")
    );
}

/// Opens a socket that sends half a request's headers and then nothing.
async fn slow_header_socket(url: &str) -> tokio::net::TcpStream {
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    s
}

/// Reads until the server closes the socket; what it sent before closing.
async fn closed_within(mut s: tokio::net::TcpStream, limit: Duration) -> String {
    let mut got = Vec::new();
    tokio::time::timeout(limit, s.read_to_end(&mut got))
        .await
        .expect("the server closed the socket")
        .ok();
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn slow_header_and_idle_sockets_are_closed_and_connections_are_capped() {
    let s = HttpServer::start(
        &["--header-read-timeout", "1", "--max-connections", "30"],
        &[],
    )
    .await;
    let mut slow = Vec::new();
    for _ in 0..20 {
        slow.push(slow_header_socket(&s.url).await);
    }
    // Positive control while they are held: a normal request is served.
    let ok = post_ping(&s.url, &[("authorization", &auth())]).await;
    assert_eq!(ok.status(), 200);
    let closes = slow
        .into_iter()
        .map(|sock| tokio::spawn(closed_within(sock, Duration::from_secs(5))));
    for c in closes {
        c.await.unwrap();
    }
    // An idle keep-alive connection, after one complete request, is closed as well.
    let addr = s.url.trim_start_matches("http://");
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(idle, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The cap: 30 held connections, the 31st gets 503 and is closed.
    let mut held = Vec::new();
    for _ in 0..30 {
        held.push(slow_header_socket(&s.url).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let over = tokio::net::TcpStream::connect(addr).await.unwrap();
    let refused = closed_within(over, Duration::from_secs(5)).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused:?}");
    drop(held);
}

#[tokio::test]
async fn host_is_checked_before_authentication_and_never_reflected() {
    let s = HttpServer::start(&[], &[]).await;
    // A foreign Host is refused before authentication looks at the request.
    let evil = post_ping(&s.url, &[("host", "evil.example")]).await;
    assert_eq!(evil.status(), 403);
    assert!(evil.headers().get("www-authenticate").is_none());
    let meta = s.resource_metadata_answer(Some("evil.example")).await;
    assert_eq!(meta.status(), 403);
    assert!(!meta.text().await.unwrap().contains("evil"));
    // An allowed Host: the URLs are the configured name and the bound port.
    let port = s.url.rsplit(':').next().unwrap().to_owned();
    let unauth = post_ping(
        &s.url,
        &[
            ("host", &format!("localhost:{port}")),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(unauth.status(), 401);
    let challenge = unauth.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.contains(&format!(
            "http://localhost:{port}/.well-known/oauth-protected-resource"
        )),
        "{challenge}"
    );
    let s = HttpServer::start(&["--allowed-hosts", "mcp.example.com"], &[]).await;
    let port = s.url.rsplit(':').next().unwrap().to_owned();
    let meta = s.resource_metadata(Some("MCP.example.com")).await;
    assert_eq!(
        meta["resource"],
        format!("http://mcp.example.com:{port}/mcp")
    );
}

#[tokio::test]
async fn origins_are_refused_without_an_allow_list_on_any_bind_and_cors_works_with_one() {
    // Non-loopback bind, no allow-list: a browser Origin is refused, no Origin passes.
    let s = HttpServer::start(&["--host", "0.0.0.0", "--allowed-hosts", "127.0.0.1"], &[]).await;
    let url = s.url.replace("0.0.0.0", "127.0.0.1");
    let browser = from_origin(&url, "https://app.example.com").await;
    assert_eq!(browser.status(), 403);
    let tool = post_ping(&url, &[("authorization", &auth())]).await;
    assert_eq!(tool.status(), 200, "no Origin: not a browser");

    let s = HttpServer::start(&["--allowed-origins", "https://app.example.com"], &[]).await;
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/mcp", s.url))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,mcp-protocol-version",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "https://app.example.com");
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("mcp-protocol-version"));
    let post = from_origin(&s.url, "https://app.example.com").await;
    assert_eq!(post.status(), 200);
    assert_eq!(
        post.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let other = from_origin(&s.url, "https://evil.example").await;
    assert_eq!(other.status(), 403);
}

async fn post_raw(url: &str, body: &'static [u8]) -> (u16, Value) {
    let resp = raw_post(url)
        .header(AUTHORIZATION, auth())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn json_rpc_errors_over_http_are_400_with_the_spec_code() {
    let s = HttpServer::start(&[], &[]).await;
    for (body, status, code, id) in [
        (&b"{not json"[..], 400, -32700, Value::Null),
        (
            br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
            400,
            -32600,
            Value::Null,
        ),
        (
            br#"{"jsonrpc":"2.0","id":2,"method":7}"#,
            400,
            -32600,
            json!(2),
        ),
        (
            br#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"x"}"#,
            400,
            -32602,
            json!(3),
        ),
        (
            br#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"arguments":{}}}"#,
            400,
            -32602,
            json!(4),
        ),
        (
            br#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"no_such_tool"}}"#,
            200,
            -32602,
            json!(5),
        ),
        (
            br#"{"jsonrpc":"2.0","id":6,"method":"no/such/method"}"#,
            200,
            -32601,
            json!(6),
        ),
    ] {
        let (got_status, answer) = post_raw(&s.url, body).await;
        let shown = String::from_utf8_lossy(body);
        assert_eq!(got_status, status, "{shown}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{shown}: {answer}");
        assert_eq!(answer["id"], id, "{shown}");
        assert_eq!(answer["jsonrpc"], "2.0");
    }
    // Positive control.
    let (status, answer) = post_raw(&s.url, PING.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(answer["result"].is_object(), "{answer}");
}

#[tokio::test]
async fn json_rpc_errors_over_stdio_are_answered_with_the_id() {
    let mut s = StdioServer::start(&["--max-body-bytes", "4096"]).await;
    // Before initialize, a legacy client hears about initialize, not about `_meta`.
    s.send(br#"{"jsonrpc":"2.0","id":"early","method":"tools/list"}"#)
        .await;
    let early = s.answer("tools/list before initialize").await;
    assert_eq!(early["id"], "early");
    assert_eq!(early["error"]["code"], -32600);
    let message = early["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("initialize") && !message.contains("_meta"),
        "{message}"
    );
    s.initialize().await;
    let mut long = br#"{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"find","arguments":{"query":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 10_000));
    long.extend(br#""}}}"#);
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":14,"method":"ping","params":{{"x":{}1{}}}}}"#,
        "[".repeat(1000),
        "]".repeat(1000)
    );
    let cases: Vec<(Vec<u8>, i64, Value)> = vec![
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"ping\",\"params\":{\"a\":\"\xff\"}}"
                .to_vec(),
            -32700,
            json!(11),
        ),
        (
            br#"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":"x"}"#.to_vec(),
            -32602,
            json!(12),
        ),
        (long, -32700, json!(13)),
        (deep.into_bytes(), -32700, json!(14)),
        (
            br#"[{"jsonrpc":"2.0","id":15,"method":"ping"}]"#.to_vec(),
            -32600,
            Value::Null,
        ),
        (
            br#"{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{"name":"no_such_tool"}}"#
                .to_vec(),
            -32602,
            json!(16),
        ),
        (
            br#"{"jsonrpc":"2.0","id":17,"method":"no/such/method"}"#.to_vec(),
            -32601,
            json!(17),
        ),
    ];
    for (line, code, id) in cases {
        s.send(&line).await;
        let answer = s.answer(&format!("request {id} (expecting {code})")).await;
        assert_eq!(answer["error"]["code"], code, "{answer}");
        assert_eq!(answer["id"], id, "{answer}");
    }
    // Positive control: the session still serves.
    s.send(PING.as_bytes()).await;
    let pong = s.answer("the closing ping").await;
    assert_eq!(pong["id"], 1);
    assert!(pong["result"].is_object(), "{pong}");
}

/// rmcp polls the transport's `receive` in a `select!` beside its other events (a tool's
/// answer to send, a send finished) and drops it whenever one of them wins: a line read in
/// part, or a refusal being written when that happens, must not be lost. The stdio test
/// above timed out this way on a loaded machine; here each drop is forced.
#[tokio::test]
async fn stdio_transport_loses_nothing_when_rmcp_drops_a_receive() {
    use pagerduty_mcp::stdio::StdioTransport;
    use rmcp::transport::Transport;
    use tokio_util::sync::CancellationToken;

    let (mut to_server, server_in) = tokio::io::duplex(64 * 1024);
    // A small pipe out: a refusal longer than it waits for the client to read.
    let (server_out, from_server) = tokio::io::duplex(32);
    let mut from_server = BufReader::new(from_server).lines();
    let mut t = StdioTransport::new(
        BufReader::new(server_in),
        server_out,
        4096,
        CancellationToken::new(),
        Duration::from_secs(1),
    );
    let short = Duration::from_millis(200);
    // The next message received (within 5 s) is a ping with this id.
    let ping = async |t: &mut StdioTransport<_>, id: i64, after: &str| {
        let message = tokio::time::timeout(Duration::from_secs(5), t.receive())
            .await
            .unwrap_or_else(|_| panic!("no message {after}"))
            .expect("a message, not the end");
        let v = serde_json::to_value(&message).unwrap();
        assert_eq!(v["method"], "ping", "{after}: {v}");
        assert_eq!(v["id"], id, "{after}: {v}");
    };

    // Half a line, then the receive is dropped; the other half completes the message.
    to_server.write_all(br#"{"jsonrpc":"2.0","#).await.unwrap();
    assert!(tokio::time::timeout(short, t.receive()).await.is_err());
    to_server
        .write_all(b"\"id\":7,\"method\":\"ping\"}\n")
        .await
        .unwrap();
    ping(&mut t, 7, "once the rest of the line came").await;

    // A refusal the client has not read yet when the receive is dropped: it arrives whole.
    to_server
        .write_all(
            b"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":{\"a\":\"\xff\"}}\n",
        )
        .await
        .unwrap();
    assert!(tokio::time::timeout(short, t.receive()).await.is_err());
    let refusal = tokio::time::timeout(Duration::from_secs(5), from_server.next_line())
        .await
        .expect("the refusal is written out")
        .unwrap()
        .expect("a line");
    let refusal: Value = serde_json::from_str(&refusal).expect("a whole JSON line");
    assert_eq!(refusal["id"], 8, "{refusal}");
    assert_eq!(refusal["error"]["code"], -32700, "{refusal}");

    // Positive control: the next message after both drops is served as usual.
    to_server
        .write_all(format!("{PING}\n").as_bytes())
        .await
        .unwrap();
    ping(&mut t, 1, "after both drops").await;
}

#[tokio::test]
async fn every_string_argument_is_bounded_and_checked_before_any_work() {
    let h = Harness::read_only().await;
    let tools = h.tools().await;
    // Schemas advertise only bounds tighter than the one every string is held to.
    let find = tools.iter().find(|t| t.name == "find").unwrap();
    assert_eq!(find.input_schema["properties"]["query"]["maxLength"], 200);
    let advertised: usize = tools
        .iter()
        .map(|t| serde_json::to_string(&t.input_schema).unwrap())
        .map(|s| {
            s.matches(&format!("\"maxLength\":{MAX_STRING_CHARS}"))
                .count()
        })
        .sum();
    assert_eq!(
        advertised, 0,
        "the default bound is not repeated in every schema"
    );
    // Over the limit: refused before any request; at the limit: served.
    h.sim.clear_requests();
    h.err_says(
        "find",
        json!({"query": "x".repeat(1_000_000)}),
        &["`query`", "longer than 200"],
    )
    .await;
    assert!(h.sim.requests().is_empty(), "no request for a refused call");
    let got = h.call("find", json!({"query": "é".repeat(200)})).await;
    assert_ne!(got.is_error, Some(true), "{}", text(&got));
    // The default bound, at the top level and nested (in a list, in an object), before any
    // request; a string just at it passes the check (and is then an unknown id).
    let long = "x".repeat(MAX_STRING_CHARS as usize + 1);
    h.sim.clear_requests();
    for (tool, args, field) in [
        (
            "get_incident",
            json!({"incident_id": long}),
            "`incident_id`",
        ),
        (
            "list_incidents",
            json!({"service_ids": ["P1", long]}),
            "`service_ids[1]`",
        ),
        (
            "list_log_entries",
            json!({"query_model": {"since": long}}),
            "`query_model.since`",
        ),
    ] {
        let msg = h.err(tool, args).await;
        assert!(
            msg.contains(field) && msg.contains(&format!("longer than {MAX_STRING_CHARS}")),
            "{tool}: {msg}"
        );
    }
    assert!(h.sim.requests().is_empty(), "no request for a refused call");
    let msg = h
        .err(
            "get_incident",
            json!({"incident_id": "x".repeat(MAX_STRING_CHARS as usize)}),
        )
        .await;
    assert!(!msg.contains("longer than"), "{msg}");
}

/// Peak resident memory of a process (Linux `VmHWM`), in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kb * 1024
}

#[tokio::test]
async fn four_hostile_200_mb_answers_at_once_stay_under_64_mb_and_say_why() {
    let s = HttpServer::start(&[], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    // Positive control first: the same tool works.
    call_ok(&c, "list_incidents", json!({"limit": 1})).await;
    for declared in [false, true, false, true] {
        s.sim.faults().add(
            FaultRule::new(FaultKind::Oversized {
                bytes: 200 << 20,
                declared,
            })
            .path("/incidents"),
        );
    }
    let c = std::sync::Arc::new(c);
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { call(&c, "list_incidents", json!({"limit": 1})).await })
        })
        .collect();
    for task in calls {
        let r = task.await.unwrap();
        assert_eq!(r.is_error, Some(true));
        assert!(
            text(&r).contains("larger than the 4096 KiB"),
            "{}",
            text(&r)
        );
    }
    let peak = peak_rss(s.child.id().unwrap());
    eprintln!("peak RSS with four hostile answers: {} MiB", peak >> 20);
    assert!(peak < 64 << 20, "peak RSS {} MiB", peak >> 20);
}

#[tokio::test]
async fn api_timeout_bounds_the_whole_call_over_http_and_in_doctor() {
    let s = HttpServer::start(&["--api-timeout", "2"], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    s.sim.faults().add(
        FaultRule::new(FaultKind::Drip {
            every: Duration::from_millis(300),
        })
        .path("/services")
        .always(),
    );
    let start = std::time::Instant::now();
    let r = call(&c, "list_services", json!({})).await;
    let took = start.elapsed();
    assert_eq!(r.is_error, Some(true));
    assert!(text(&r).contains("time budget of 2 s"), "{}", text(&r));
    assert!(took < Duration::from_secs(5), "{took:?}");

    s.sim.faults().add(
        FaultRule::new(FaultKind::Drip {
            every: Duration::from_millis(300),
        })
        .path("/users/me")
        .always(),
    );
    let out = tokio::time::timeout(
        Duration::from_secs(20),
        crate::harness::server_command()
            .env("PAGERDUTY_API_HOST", s.sim.base_url())
            .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
            .args(["--api-timeout", "2", "doctor"])
            .output(),
    )
    .await
    .expect("doctor honours --api-timeout")
    .unwrap();
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("time budget of 2 s"), "{report}");
}

#[tokio::test]
async fn metrics_are_served_in_prometheus_text_format() {
    let mut s = HttpServer::start(&["--metrics-addr", "127.0.0.1:0"], &[]).await;
    let _ = &mut s;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    let me = call(&c, "get_user_data", json!({})).await;
    assert_ne!(me.is_error, Some(true));
    s.sim
        .faults()
        .add(FaultRule::new(FaultKind::RateLimited { reset_secs: 0 }).path("/incidents"));
    let _ = call(&c, "list_incidents", json!({"limit": 1})).await;
    let metrics_url = s
        .metrics_url
        .clone()
        .expect("the metrics address is logged");
    let body = reqwest::get(format!("{metrics_url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        r#"mcp_tool_calls_total{tool="get_user_data",outcome="ok"} 1"#,
        r#"mcp_http_requests_total{status="200"}"#,
        r#"pagerduty_api_requests_total{status="200"}"#,
        r#"pagerduty_api_requests_total{status="429"} 1"#,
        "pagerduty_api_rate_limited_total 1",
        "pagerduty_api_request_duration_seconds_bucket{le=",
        "mcp_tool_calls_in_flight 0",
    ] {
        assert!(body.contains(needle), "{needle} missing from\n{body}");
    }
}

#[tokio::test]
async fn log_format_json_writes_one_object_a_line() {
    let h = Harness::with_args(&["--log-format", "json"]).await;
    h.ok("get_user_data", json!({})).await;
    let stderr = h.stderr();
    let first = stderr.lines().next().expect("a log line");
    let line: Value = serde_json::from_str(first).expect("JSON log line");
    assert_eq!(line["level"], "INFO");
    assert!(line["fields"]["message"].is_string(), "{line}");
}
