//! Secrets from files (`*_FILE`, the Docker and Kubernetes secrets convention): read at start,
//! read again at every use so a rotated secret applies without a restart, never logged, and a
//! clear start-up error when unreadable or set both ways.

use std::path::PathBuf;

use pagerduty_sim::tokens;
use serde_json::json;

use crate::harness::{Harness, Options};
use crate::http::{HttpServer, raw_post};

/// A scratch directory for one test, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("pd-secret-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `secret` (with a trailing newline, as `echo` does) the way Kubernetes updates a
    /// mounted secret: a new file renamed over the old one.
    fn put(&self, secret: &str) -> String {
        let next = self.0.join(".next");
        std::fs::write(&next, format!("{secret}\n")).unwrap();
        let path = self.0.join("secret");
        std::fs::rename(&next, &path).unwrap();
        path.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server (logging at debug level) whose only credential is `secret`, in a file of the
/// scratch directory `name` that `file_var` names; checked to work: `get_user_data` answers as
/// the demo user. The directory (to rotate the secret in), the file's path and the server.
async fn serving_from_file(name: &str, file_var: &str, secret: &str) -> (Dir, String, Harness) {
    let dir = Dir::new(name);
    let path = dir.put(secret);
    let h = Harness::start(Options {
        token: None,
        env: &[(file_var, &path), ("PAGERDUTY_MCP_LOG", "debug")],
        args: &[],
    })
    .await;
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["email"], tokens::DEMO_USER_EMAIL, "{file_var}");
    (dir, path, h)
}

#[tokio::test]
async fn a_rotated_api_key_file_takes_effect_without_a_restart() {
    let (dir, path, h) = serving_from_file(
        "rotate-key",
        "PAGERDUTY_USER_API_KEY_FILE",
        tokens::DEMO_USER_TOKEN,
    )
    .await;

    let other = h
        .sim
        .state()
        .users()
        .into_iter()
        .find(|u| u.email != tokens::DEMO_USER_EMAIL)
        .unwrap();
    let other_token = tokens::user_token(&other.email);
    dir.put(&other_token);
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(
        me["email"],
        other.email.as_str(),
        "the new token, and its own user"
    );

    // A file that turns bad fails the call with a message naming it, not with the old token.
    dir.put("two words");
    let err = h.err("get_user_data", json!({})).await;
    assert!(
        err.contains("PAGERDUTY_USER_API_KEY_FILE") && err.contains(&path),
        "{err}"
    );
    // Fixed again: the next call works.
    dir.put(tokens::DEMO_USER_TOKEN);
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["email"], tokens::DEMO_USER_EMAIL);

    let log = h.stderr();
    assert!(log.contains("tool result"), "debug logging is on: {log}");
    for secret in [tokens::DEMO_USER_TOKEN, other_token.as_str()] {
        assert!(!log.contains(secret), "{secret} logged: {log}");
    }
}

#[tokio::test]
async fn an_oauth_token_file_is_sent_as_bearer() {
    let (_dir, _, h) =
        serving_from_file("oauth", "PAGERDUTY_OAUTH_TOKEN_FILE", tokens::OAUTH_TOKEN).await;
    assert!(!h.stderr().contains(tokens::OAUTH_TOKEN));
}

#[tokio::test]
async fn a_rotated_routing_key_file_routes_the_next_event() {
    let services = pagerduty_sim::Simulator::start(crate::harness::sim_config())
        .await
        .unwrap()
        .state()
        .services();
    let (first, second) = (&services[0], &services[1]);
    let dir = Dir::new("routing");
    let path = dir.put(&first.integrations[0].integration_key);
    let h = Harness::start(Options {
        env: &[("PAGERDUTY_ROUTING_KEY_FILE", &path)],
        args: &["--enable-write-tools"],
        ..Options::default()
    })
    .await;
    let event = |dedup: &str| {
        json!({"event_action": "trigger", "dedup_key": dedup, "summary": "disk full",
               "source": "db-1", "severity": "error"})
    };
    let service_of = |dedup: &str| {
        h.sim
            .state()
            .incidents()
            .into_iter()
            .find(|i| i.incident_key == dedup)
            .map(|i| i.service_id)
    };
    h.ok("send_event", event("rotation-1")).await;
    assert_eq!(service_of("rotation-1").as_deref(), Some(first.id.as_str()));
    dir.put(&second.integrations[0].integration_key);
    h.ok("send_event", event("rotation-2")).await;
    assert_eq!(
        service_of("rotation-2").as_deref(),
        Some(second.id.as_str())
    );
}

/// `pagerduty-mcp call get_user_data` with only these variables set.
async fn start_with(env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = crate::harness::server_command();
    let out = cmd
        .env("PAGERDUTY_API_HOST", "http://127.0.0.1:9")
        .envs(env.iter().copied())
        .args(["call", "get_user_data"])
        .output()
        .await
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code() == Some(2), text)
}

#[tokio::test]
async fn start_up_names_an_unreadable_file_or_both_forms_and_never_the_secret() {
    let dir = Dir::new("startup");
    let path = dir.put("canary-secret-0123456789");
    let missing = dir.0.join("missing").display().to_string();
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: [Case; 4] = [
        (
            &[("PAGERDUTY_USER_API_KEY_FILE", &missing)],
            &["cannot read PAGERDUTY_USER_API_KEY_FILE", &missing],
        ),
        (
            &[
                ("PAGERDUTY_USER_API_KEY", "canary-secret-0123456789"),
                ("PAGERDUTY_USER_API_KEY_FILE", &path),
            ],
            &["either PAGERDUTY_USER_API_KEY or PAGERDUTY_USER_API_KEY_FILE"],
        ),
        (
            &[
                ("PAGERDUTY_USER_API_KEY_FILE", &path),
                ("PAGERDUTY_OAUTH_TOKEN", "canary-secret-0123456789"),
            ],
            &["either PAGERDUTY_USER_API_KEY or PAGERDUTY_OAUTH_TOKEN"],
        ),
        (
            &[("PAGERDUTY_ROUTING_KEY_FILE", dir.0.to_str().unwrap())],
            &["cannot read PAGERDUTY_ROUTING_KEY_FILE"],
        ),
    ];
    for (env, says) in cases {
        let (refused, out) = start_with(env).await;
        assert!(refused, "{env:?}: {out}");
        for s in says {
            assert!(out.contains(s), "{env:?}: {out}");
        }
        assert!(!out.contains("canary-secret"), "{out}");
    }
    // Positive control: the file alone starts, and the call reaches (the unroutable) PagerDuty.
    let (refused, out) = start_with(&[("PAGERDUTY_USER_API_KEY_FILE", &path)]).await;
    assert!(!refused, "{out}");
    assert!(!out.contains("canary-secret"), "{out}");
}

async fn ping_status(url: &str, secret: &str) -> u16 {
    raw_post(url)
        .header("authorization", format!("Bearer {secret}"))
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_rotated_client_secret_file_admits_the_new_secret_only() {
    let dir = Dir::new("client-secret");
    let (old, new) = ("old-secret-0123456789", "new-secret-9876543210");
    let path = dir.put(old);
    let s = HttpServer::start(
        &["--auth", "shared-key"],
        &[
            ("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN),
            ("MCP_CLIENT_SECRET_FILE", &path),
        ],
    )
    .await;
    assert_eq!(ping_status(&s.url, old).await, 200);
    assert_eq!(ping_status(&s.url, new).await, 401);
    dir.put(new);
    assert_eq!(ping_status(&s.url, new).await, 200);
    assert_eq!(ping_status(&s.url, old).await, 401);
    // A secret file rotated to something too short locks callers out rather than weakening.
    dir.put("short");
    assert_eq!(ping_status(&s.url, "short").await, 503);
    let log = s.log.lock().unwrap().clone();
    assert!(log.contains("MCP_CLIENT_SECRET_FILE"), "{log}");
    for secret in [old, new] {
        assert!(!log.contains(secret), "{log}");
    }
}
