use serde_json::json;

use crate::harness::{Harness, ids};

#[tokio::test]
async fn services_list_search_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw("/services?limit=100&sort_by=name").await;
    let all = h.ok("list_services", json!({})).await;
    assert_eq!(ids(&all).len(), raw["services"].as_array().unwrap().len());
    assert!(ids(&all).len() >= 6);
    let first = &raw["services"][0];
    let word = first["name"].as_str().unwrap().split(' ').next().unwrap();
    let found = h.ok("list_services", json!({"query": word})).await;
    assert!(ids(&found).contains(&first["id"].as_str().unwrap().to_owned()));
    let one = h
        .ok("get_service", json!({"service_id": first["id"]}))
        .await;
    assert_eq!(one["name"], first["name"]);
    assert_eq!(
        one["escalation_policy"]["id"],
        first["escalation_policy"]["id"]
    );

    // `teams_ids`, the official server's spelling, is accepted.
    let team = first["teams"][0]["id"].as_str().unwrap();
    let by_team = h.ok("list_services", json!({"teams_ids": [team]})).await;
    assert!(ids(&by_team).contains(&first["id"].as_str().unwrap().to_owned()));
    assert!(ids(&by_team).len() < ids(&all).len());
}

#[tokio::test]
async fn services_bad_input() {
    let h = Harness::read_only().await;
    let msg = h.err("get_service", json!({"service_id": "PNOSVC1"})).await;
    assert!(msg.contains("Service PNOSVC1 was not found"), "{msg}");
    let msg = h.err("list_services", json!({"team_ids": "PT1"})).await;
    assert!(msg.contains("`team_ids`"), "{msg}");
}
