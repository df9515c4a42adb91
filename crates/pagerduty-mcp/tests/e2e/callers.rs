//! HTTP callers in per-request mode are untrusted: the server's own routing key is never spent
//! on them, `From` cannot make "me" someone else, and the audit log says who wrote (user and a
//! credential fingerprint, never the credential). Start-up names a misconfigured variable.

use pagerduty_sim::tokens;
use serde_json::{Value, json};

use crate::harness::{Harness, Options, text};
use crate::http::{HttpServer, call, call_ok};

/// A client with `token` and `From: from`, and the user `get_user_data` answers it with.
async fn me_with_from(
    s: &HttpServer,
    token: &str,
    from: &str,
) -> (rmcp::service::RunningService<rmcp::RoleClient, ()>, Value) {
    let c = s
        .client(&[
            ("authorization", &format!("Token token={token}")),
            ("from", from),
        ])
        .await;
    let me = call_ok(&c, "get_user_data", json!({})).await;
    let me = me.structured_content.unwrap();
    (c, me)
}

/// Adds a note to the account's first incident over `c`, which must succeed: its id.
async fn note_on_the_first_incident(
    s: &HttpServer,
    c: &rmcp::service::RunningService<rmcp::RoleClient, ()>,
) -> String {
    let incident = s.sim.state().incidents().into_iter().next().unwrap().id;
    call_ok(
        c,
        "add_note_to_incident",
        json!({"incident_id": incident, "note": "on it"}),
    )
    .await;
    incident
}

fn first_key(sim: &pagerduty_sim::Simulator) -> String {
    let svc = sim.state().services().into_iter().next().unwrap();
    svc.integrations[0].integration_key.clone()
}

#[tokio::test]
async fn per_request_callers_cannot_page_with_the_servers_routing_key() {
    let probe = pagerduty_sim::Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    // Every simulator seeds the same account, so this is the key of the server's simulator too.
    let key = first_key(&probe);
    let event = json!({"event_action": "trigger", "summary": "disk full", "source": "db-7", "severity": "error"});
    let s = HttpServer::start(
        &["--enable-write-tools"],
        &[("PAGERDUTY_ROUTING_KEY", &key)],
    )
    .await;
    assert_eq!(first_key(&s.sim), key);
    for token in ["garbage", tokens::DEMO_USER_TOKEN] {
        let c = s.with_token(token).await;
        for tool in ["send_event", "send_change_event"] {
            let r = call(&c, tool, event.clone()).await;
            assert_eq!(r.is_error, Some(true), "{tool}: {}", text(&r));
            assert!(text(&r).contains("`routing_key`"), "{}", text(&r));
        }
    }
    assert_eq!(
        s.sim.requests().count_prefix("POST", "/v2/"),
        0,
        "nothing was sent"
    );
    // The caller's own key works.
    let c = s.with_token("garbage").await;
    let mut own = event.clone();
    own["routing_key"] = json!(key);
    call_ok(&c, "send_event", own).await;
    assert_eq!(s.sim.requests().count_prefix("POST", "/v2/"), 1);

    // Positive control: local and shared-key deployments keep the server's default key.
    let local = HttpServer::start(
        &["--enable-write-tools", "--auth", "local"],
        &[
            ("PAGERDUTY_ROUTING_KEY", &key),
            ("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN),
        ],
    )
    .await;
    let c = local.client(&[]).await;
    call_ok(&c, "send_event", event.clone()).await;
    let h = Harness::start(Options {
        args: &["--enable-write-tools"],
        env: &[("PAGERDUTY_ROUTING_KEY", &key)],
        ..Options::default()
    })
    .await;
    h.ok("send_change_event", json!({"summary": "deployed v2"}))
        .await;
}

#[tokio::test]
async fn from_does_not_change_who_me_is_for_a_user_token() {
    let s = HttpServer::start(&["--enable-write-tools"], &[]).await;
    let demo = s.sim.state().demo_user().unwrap();
    let other = s
        .sim
        .state()
        .users()
        .into_iter()
        .find(|u| u.id != demo.id)
        .unwrap();
    let (c, me) = me_with_from(&s, tokens::DEMO_USER_TOKEN, &other.email).await;
    assert_eq!(me["id"], demo.id.as_str());
    // A write with that user token is the token's user's: no `From` goes to PagerDuty.
    note_on_the_first_incident(&s, &c).await;
    let last = s.sim.requests();
    let note = last.iter().filter(|r| r.method == "POST").last().unwrap();
    assert!(!note.from_present, "{note:?}");

    // Positive control: an account key has no user, so `From` names who acts.
    let (_, me) = me_with_from(&s, tokens::ACCOUNT_KEY, &other.email).await;
    assert_eq!(me["id"], other.id.as_str());
}

#[tokio::test]
async fn http_writes_are_audited_with_the_callers_user_and_a_fingerprint() {
    let audit = crate::harness::fresh_audit_log("callers");
    let s = HttpServer::start(&["--enable-write-tools", "--audit-log", &audit], &[]).await;
    let c = s.with_token(tokens::DEMO_USER_TOKEN).await;
    let incident = note_on_the_first_incident(&s, &c).await;
    // An invalid dry run is an attempt too.
    let r = call(
        &c,
        "add_note_to_incident",
        json!({"incident_id": incident, "note": "x", "dry_run": "yes"}),
    )
    .await;
    assert_eq!(r.is_error, Some(true));
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(!text.contains(tokens::DEMO_USER_TOKEN), "{text}");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    let caller = &lines[0]["caller"];
    assert_eq!(caller["transport"], "http");
    assert_eq!(caller["user"]["email"], tokens::DEMO_USER_EMAIL);
    assert_eq!(caller["credential"], "user API token");
    let fingerprint = caller["fingerprint"].as_str().unwrap();
    assert!(
        fingerprint.starts_with("sha256:") && fingerprint.len() == 23,
        "{fingerprint}"
    );
    assert_eq!(lines[1]["outcome"], "error");
    assert_eq!(lines[1]["caller"]["fingerprint"], fingerprint);
    // Another caller's token has another fingerprint.
    let c = s.with_token(tokens::OAUTH_TOKEN).await;
    let _ = call(
        &c,
        "add_note_to_incident",
        json!({"incident_id": incident, "note": "x", "dry_run": 1}),
    )
    .await;
    let text = std::fs::read_to_string(&audit).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_ne!(last["caller"]["fingerprint"], fingerprint);
}

async fn doctor_with(env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = crate::harness::server_command();
    let out = cmd
        .envs(env.iter().copied())
        .arg("doctor")
        .output()
        .await
        .unwrap();
    let text = crate::harness::all_output(&out);
    (out.status.success(), text)
}

#[tokio::test]
async fn start_up_names_the_variable_at_fault() {
    let sim = pagerduty_sim::Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    let host = sim.base_url();
    let bell = format!("{}\u{7}", tokens::DEMO_USER_TOKEN);
    let spaced = format!(" {} ", tokens::DEMO_USER_TOKEN);
    for (var, value, says) in [
        ("PAGERDUTY_USER_API_KEY", bell.as_str(), "control character"),
        (
            "PAGERDUTY_USER_API_KEY",
            spaced.as_str(),
            "whitespace around it",
        ),
        ("PAGERDUTY_OAUTH_TOKEN", "tok\tabc", "control character"),
    ] {
        let (ok, out) = doctor_with(&[("PAGERDUTY_API_HOST", &host), (var, value)]).await;
        assert!(!ok, "{out}");
        assert!(out.contains(var) && out.contains(says), "{var}: {out}");
        assert!(!out.contains("An API key is required"), "{out}");
    }
    // Positive control: the same token, clean, passes.
    let (ok, out) = doctor_with(&[
        ("PAGERDUTY_API_HOST", &host),
        ("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN),
    ])
    .await;
    assert!(ok, "{out}");

    for secret in ["                    ", "short-secret", "0123456789 abcd "] {
        let out = crate::harness::server_command()
            .env("PAGERDUTY_API_HOST", &host)
            .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
            .env("MCP_CLIENT_SECRET", secret)
            .args(["--http", "--port", "0", "--auth", "shared-key"])
            .output()
            .await
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{secret:?}: {err}");
        assert!(err.contains("MCP_CLIENT_SECRET"), "{secret:?}: {err}");
    }
    // Positive control: 16 visible characters serve, and callers presenting them get in.
    let secret = "0123456789abcdef";
    let s = HttpServer::start(
        &["--auth", "shared-key"],
        &[
            ("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN),
            ("MCP_CLIENT_SECRET", secret),
        ],
    )
    .await;
    let c = s
        .client(&[("authorization", &format!("Bearer {secret}"))])
        .await;
    call_ok(&c, "get_user_data", json!({})).await;
}
