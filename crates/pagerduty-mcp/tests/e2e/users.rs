use serde_json::{Value, json};

use crate::harness::{Harness, Options, array, ids_of};

#[tokio::test]
async fn get_user_data_is_the_token_owner() {
    let h = Harness::read_only().await;
    let raw = h.raw("/users/me").await["user"].clone();
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["id"], raw["id"]);
    assert_eq!(me["email"], raw["email"]);
    assert_eq!(me["time_zone"], raw["time_zone"]);
    assert!(!array(&me["teams"]).is_empty());
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
    h.lists_only_assigned_to(
        json!({"request_scope": "assigned"}),
        me["id"].as_str().unwrap(),
    )
    .await;
}

#[tokio::test]
async fn account_key_explains_what_needs_a_user() {
    // With PAGERDUTY_FROM_EMAIL naming nobody; without it, the key is taken for a user token
    // and /users/me says otherwise.
    type Env<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Env, Value, &[&str]); 2] = [
        (
            &[("PAGERDUTY_FROM_EMAIL", "nobody@example.com")],
            json!({"request_scope": "assigned"}),
            &["no PagerDuty user", "nobody@example.com"],
        ),
        (
            &[],
            json!({"request_scope": "teams"}),
            &["account-level API key", "PAGERDUTY_FROM_EMAIL"],
        ),
    ];
    for (env, args, says) in cases {
        let h = Harness::start(Options {
            token: Some(pagerduty_sim::tokens::ACCOUNT_KEY),
            env,
            ..Options::default()
        })
        .await;
        h.err_says("list_incidents", args, says).await;
        // Plain reads work with an account key.
        h.ok("list_services", json!({"limit": 2})).await;
    }
}

#[tokio::test]
async fn list_users_filters_and_pages() {
    let h = Harness::read_only().await;
    let raw = h.raw_list("/users?limit=100").await;
    let all = h.ok("list_users", json!({})).await;
    assert_eq!(all["items"][0]["email"], raw[0]["email"]);

    let found = h.ok("list_users", json!({"query": "okafor"})).await;
    assert_eq!(array(&found["items"]).len(), 1);
    assert_eq!(found["items"][0]["name"], "Samuel Okafor");

    let team = h.raw_first_id("/teams?query=Data").await;
    let raw_team = h.raw(&format!("/users?team_ids[]={team}")).await;
    // `teams_ids`, the official spelling, is accepted.
    let by_team = h.ok("list_users", json!({"teams_ids": [team]})).await;
    assert_eq!(
        array(&by_team["items"]).len(),
        array(&raw_team["users"]).len()
    );
    for u in array(&by_team["items"]) {
        assert!(array(&u["teams"]).iter().any(|t| t["id"] == team));
    }

    let page = h.ok("list_users", json!({"limit": 5, "offset": 5})).await;
    assert_eq!(crate::harness::ids(&page), ids_of(&raw[5..10]));
    assert_eq!(page["next_offset"], 10);
}

#[tokio::test]
async fn create_user_adds_a_user() {
    let h = Harness::with_writes().await;
    let u = h
        .ok(
            "create_user",
            json!({"request": {"name": "Rosa Diaz", "email": "rosa.diaz@example.com", "role": "limited_user", "time_zone": "America/Lima"}}),
        )
        .await;
    let raw = h.raw("/users?query=rosa.diaz").await["users"][0].clone();
    assert_eq!(raw["id"], u["id"]);
    assert_eq!(raw["role"], "limited_user");
    assert_eq!(raw["time_zone"], "America/Lima");
    assert_eq!(u["email"], "rosa.diaz@example.com");

    h.err_says(
        "create_user",
        json!({"request": {"name": "Rosa Again", "email": "ROSA.DIAZ@example.com"}}),
        &["Email has already been taken"],
    )
    .await;
}

#[tokio::test]
async fn create_user_with_an_account_key_needs_from() {
    use pagerduty_sim::tokens::{ACCOUNT_KEY, DEMO_USER_EMAIL};
    let req = json!({"request": {"name": "Jake Peralta", "email": "jake@example.com"}});
    let h = Harness::start(Options {
        args: &["--enable-write-tools"],
        token: Some(ACCOUNT_KEY),
        ..Options::default()
    })
    .await;
    h.err_says("create_user", req.clone(), &["PAGERDUTY_FROM_EMAIL"])
        .await;

    let h = Harness::start(Options {
        args: &["--enable-write-tools"],
        token: Some(ACCOUNT_KEY),
        env: &[("PAGERDUTY_FROM_EMAIL", DEMO_USER_EMAIL)],
    })
    .await;
    let u = h.ok("create_user", req).await;
    assert_eq!(u["role"], "user");
    assert_eq!(u["time_zone"], "UTC");
    let from = h
        .sim
        .requests()
        .entries
        .iter()
        .any(|r| r.method == "POST" && r.path == "/users" && r.from_present && r.status == 201);
    assert!(from, "POST /users carried From");
}
