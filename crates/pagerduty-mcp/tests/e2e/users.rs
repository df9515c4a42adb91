use serde_json::json;

use crate::harness::{Harness, Options};

#[tokio::test]
async fn get_user_data_is_the_token_owner() {
    let h = Harness::read_only().await;
    let raw = h.raw("/users/me").await["user"].clone();
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["id"], raw["id"]);
    assert_eq!(me["email"], raw["email"]);
    assert_eq!(me["time_zone"], raw["time_zone"]);
    assert!(!me["teams"].as_array().unwrap().is_empty());
    let msg = h.err("get_user_data", json!({"user_id": "P1"})).await;
    assert!(msg.contains("unknown field `user_id`"), "{msg}");
}

#[tokio::test]
async fn account_key_acts_as_the_from_user() {
    use pagerduty_sim::tokens::{ACCOUNT_KEY, DEMO_USER_EMAIL};
    let h = Harness::start(Options {
        token: Some(ACCOUNT_KEY),
        env: &[("PAGERDUTY_FROM_EMAIL", DEMO_USER_EMAIL)],
        ..Options::default()
    })
    .await;
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["email"], DEMO_USER_EMAIL);
    let mine = h
        .ok("list_incidents", json!({"request_scope": "assigned"}))
        .await;
    for i in mine["items"].as_array().unwrap() {
        let assignees = i["assignments"].as_array().unwrap();
        assert!(
            assignees.iter().any(|a| a["assignee"]["id"] == me["id"]),
            "{i}"
        );
    }
}

#[tokio::test]
async fn account_key_explains_what_needs_a_user() {
    let h = Harness::start(Options {
        token: Some(pagerduty_sim::tokens::ACCOUNT_KEY),
        env: &[("PAGERDUTY_FROM_EMAIL", "nobody@example.com")],
        ..Options::default()
    })
    .await;
    let msg = h
        .err("list_incidents", json!({"request_scope": "assigned"}))
        .await;
    assert!(
        msg.contains("no PagerDuty user") && msg.contains("nobody@example.com"),
        "{msg}"
    );
    // Plain reads work with an account key.
    h.ok("list_services", json!({"limit": 2})).await;

    // Without PAGERDUTY_FROM_EMAIL the key is taken for a user token, and /users/me says otherwise.
    let h = Harness::start(Options {
        token: Some(pagerduty_sim::tokens::ACCOUNT_KEY),
        ..Options::default()
    })
    .await;
    let msg = h
        .err("list_incidents", json!({"request_scope": "teams"}))
        .await;
    assert!(
        msg.contains("account-level API key") && msg.contains("PAGERDUTY_FROM_EMAIL"),
        "{msg}"
    );
}
