//! Team tools: reads checked against the simulator, the write lifecycle, and bad input.

use serde_json::json;

use crate::harness::{Harness, array, ids, raw_ids};

#[tokio::test]
async fn teams_list_get_and_members() {
    let h = Harness::read_only().await;
    let raw = h.raw_list("/teams?limit=100").await;
    let all = h.ok("list_teams", json!({})).await;
    assert!(ids(&all).len() >= 4);

    let plat = h.ok("list_teams", json!({"query": "plat"})).await;
    assert_eq!(array(&plat["items"]).len(), 1);
    assert_eq!(plat["items"][0]["name"], "Platform");

    // scope=my: exactly the current user's teams.
    let me = h.raw("/users/me").await["user"].clone();
    let mut mine_raw = raw_ids(&me, "teams");
    mine_raw.sort();
    let mut mine = ids(&h.ok("list_teams", json!({"scope": "my"})).await);
    mine.sort();
    assert_eq!(mine, mine_raw);
    assert!(!mine.is_empty() && mine.len() < ids(&all).len());

    let team = &raw[0];
    let tid = team["id"].as_str().unwrap();
    let one = h.ok("get_team", json!({"team_id": tid})).await;
    assert_eq!(one["name"], team["name"]);
    assert_eq!(one["description"], team["description"]);
    assert_eq!(one["default_role"], "manager");

    // Members keep their team role (the official server drops it).
    let raw_members = h.raw(&format!("/teams/{tid}/members?limit=100")).await;
    let members = h.ok("list_team_members", json!({"team_id": tid})).await;
    let got = array(&members["items"]);
    let want = array(&raw_members["members"]);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g["user"]["id"], w["user"]["id"]);
        assert_eq!(g["role"], w["role"]);
        assert!(g["user"]["summary"].is_string());
    }
    assert!(got.iter().any(|m| m["role"] == "manager"));
}

#[tokio::test]
async fn team_lifecycle() {
    let h = Harness::with_writes().await;
    let created = h
        .ok(
            "create_team",
            json!({"create_model": {"team": {"name": "  SRE Guild ", "description": "Reliability practice", "default_role": "none"}}}),
        )
        .await;
    let tid = created["id"].as_str().unwrap().to_owned();
    let raw = h.raw_one(&format!("/teams/{tid}")).await;
    assert_eq!(raw["name"], "SRE Guild");
    assert_eq!(raw["default_role"], "none");
    assert_eq!(created["default_role"], "none");

    h.err_says(
        "create_team",
        json!({"create_model": {"team": {"name": "sre guild"}}}),
        &["Name has already been taken"],
    )
    .await;

    let updated = h
        .ok(
            "update_team",
            json!({"team_id": tid, "update_model": {"team": {"description": "Reliability guild", "default_role": "manager"}}}),
        )
        .await;
    assert_eq!(updated["name"], "SRE Guild");
    let raw = h.raw_one(&format!("/teams/{tid}")).await;
    assert_eq!(raw["description"], "Reliability guild");
    assert_eq!(raw["default_role"], "manager");

    // Members: add with a role, change the role, remove.
    let users = h.raw("/users?limit=3").await["users"].clone();
    let uid = users[1]["id"].as_str().unwrap().to_owned();
    let m = h
        .ok(
            "add_team_member",
            json!({"team_id": tid, "member_data": {"user_id": uid, "role": "responder"}}),
        )
        .await;
    assert_eq!(m["user"]["id"], uid.as_str());
    assert_eq!(m["role"], "responder");
    let m = h
        .ok(
            "add_team_member",
            json!({"team_id": tid, "member_data": {"user_id": uid, "role": "observer"}}),
        )
        .await;
    assert_eq!(m["role"], "observer");
    let raw = h.raw(&format!("/teams/{tid}/members")).await;
    assert_eq!(array(&raw["members"]).len(), 1);
    assert_eq!(raw["members"][0]["role"], "observer");
    let user_teams = h.raw(&format!("/users/{uid}")).await["user"]["teams"].clone();
    assert!(raw_ids(&json!({"t": user_teams}), "t").contains(&tid));

    h.done(
        "remove_team_member",
        json!({"team_id": tid, "user_id": uid}),
    )
    .await;
    let raw = h.raw(&format!("/teams/{tid}/members")).await;
    assert!(array(&raw["members"]).is_empty());
    h.err_says(
        "remove_team_member",
        json!({"team_id": tid, "user_id": uid}),
        &["was not found"],
    )
    .await;

    let done = h.ok("delete_team", json!({"team_id": tid})).await;
    assert!(done["message"].as_str().unwrap().contains(&tid));
    assert_eq!(h.status(&format!("/teams/{tid}")).await, 404);
}

#[tokio::test]
async fn team_writes_bad_input() {
    let h = Harness::with_writes().await;
    let platform = h.raw_first_id("/teams?query=Platform").await;
    h.err_table(&[
        (
            "update_team",
            json!({"team_id": platform, "update_model": {"team": {}}}),
            &["nothing to change"],
        ),
        // PagerDuty refuses to delete a team that still owns services.
        (
            "delete_team",
            json!({"team_id": platform}),
            &["cannot be deleted", "service"],
        ),
    ])
    .await;
    assert_eq!(h.status(&format!("/teams/{platform}")).await, 200);
    h.err_table(&[
        (
            "add_team_member",
            json!({"team_id": platform, "member_data": {"user_id": "PNOUSER", "role": "responder"}}),
            &["was not found"],
        ),
        (
            "add_team_member",
            json!({"team_id": platform, "member_data": {"user_id": "PNOUSER", "role": "admin"}}),
            &["`member_data.role`"],
        ),
    ])
    .await;
}

#[tokio::test]
async fn my_teams_need_a_user() {
    let h = Harness::start(crate::harness::Options {
        token: Some(pagerduty_sim::tokens::ACCOUNT_KEY),
        ..crate::harness::Options::default()
    })
    .await;
    h.err_says(
        "list_teams",
        json!({"scope": "my"}),
        &["`scope=my`", "PAGERDUTY_FROM_EMAIL"],
    )
    .await;
    // Listing all teams works with an account key.
    h.ok("list_teams", json!({"scope": "all", "limit": 2}))
        .await;
}
