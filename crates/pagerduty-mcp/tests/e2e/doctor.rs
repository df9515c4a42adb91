//! `pagerduty-mcp doctor` against the simulator: each check, its fix, and the exit code.

use pagerduty_sim::{Simulator, tokens};

async fn doctor(sim: &Simulator, token: Option<&str>, args: &[&str]) -> (bool, String) {
    let mut cmd = crate::harness::server_command();
    cmd.env("PAGERDUTY_API_HOST", sim.base_url())
        .args(args)
        .arg("doctor");
    if let Some(t) = token {
        cmd.env("PAGERDUTY_USER_API_KEY", t);
    }
    let out = cmd.output().await.unwrap();
    let text = crate::harness::all_output(&out);
    if let Some(t) = token {
        assert!(!text.contains(t), "doctor printed the token");
    }
    (out.status.success(), text)
}

#[tokio::test]
async fn doctor_checks_and_explains() {
    let sim = Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    let (ok, text) = doctor(&sim, Some(tokens::DEMO_USER_TOKEN), &[]).await;
    assert!(ok, "{text}");
    assert!(
        text.contains("acts as Morgan Lee <morgan.lee@example.com>, role Admin"),
        "{text}"
    );

    let (ok, text) = doctor(&sim, Some("u+revoked-token-123"), &[]).await;
    assert!(!ok);
    assert!(
        text.contains("[FAIL] PagerDuty answers") && text.contains("401") && text.contains("fix:"),
        "{text}"
    );

    let observer = sim
        .state()
        .users()
        .into_iter()
        .find(|u| u.role == "observer")
        .unwrap();
    let (ok, text) = doctor(
        &sim,
        Some(&tokens::user_token(&observer.email)),
        &["--enable-write-tools"],
    )
    .await;
    assert!(!ok);
    assert!(
        text.contains("[FAIL] write tools") && text.contains("cannot change"),
        "{text}"
    );

    let (ok, text) = doctor(&sim, None, &[]).await;
    assert!(!ok);
    assert!(
        text.contains("[FAIL] credential: none set") && text.contains("PAGERDUTY_USER_API_KEY"),
        "{text}"
    );

    let (ok, text) = doctor(
        &sim,
        Some("tok_EVILHOSTCANARY"),
        &["--api-host", "https://evil.example"],
    )
    .await;
    assert!(!ok);
    assert!(text.contains("[FAIL] API host"), "{text}");
}

/// The HTTP client is set up on the first request, not at start: without root certificates
/// the server still starts, and doctor's first request says what is missing.
#[tokio::test]
async fn doctor_explains_a_machine_without_root_certificates() {
    let sim = Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    let empty = std::env::temp_dir().join(format!("pd-no-certs-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let run = |certs: bool| {
        let mut cmd = crate::harness::server_command();
        cmd.env("PAGERDUTY_API_HOST", sim.base_url())
            .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
            .arg("doctor");
        if !certs {
            cmd.env("SSL_CERT_FILE", empty.join("none.pem"))
                .env("SSL_CERT_DIR", &empty);
        }
        async move { cmd.output().await.unwrap() }
    };
    let with = run(true).await;
    assert!(with.status.success(), "{with:?}");
    let without = run(false).await;
    let text = String::from_utf8_lossy(&without.stdout);
    assert_eq!(without.status.code(), Some(1), "{without:?}");
    assert!(
        text.contains("[FAIL] PagerDuty answers: could not set up the HTTP client")
            && text.contains("No CA certificates")
            && text.contains("fix: install the system's CA certificates"),
        "{text}"
    );
    std::fs::remove_dir_all(&empty).ok();
}

#[tokio::test]
async fn doctor_works_in_demo_mode() {
    let out = crate::harness::server_command()
        .args(["--demo", "doctor"])
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("[ok]   mode: demo"));
}
