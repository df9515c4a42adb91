use serde_json::json;

use crate::harness::{Harness, array};

#[tokio::test]
async fn oncalls_now_match_the_api() {
    let h = Harness::read_only().await;
    let raw = h.raw("/oncalls?earliest=true&limit=100").await;
    let got = h.ok("list_oncalls", json!({})).await;
    let key = |o: &serde_json::Value| {
        format!(
            "{}/{}/{}",
            o["escalation_policy"]["id"], o["escalation_level"], o["user"]["id"]
        )
    };
    let mut want: Vec<String> = array(&raw["oncalls"]).iter().map(key).collect();
    let mut have: Vec<String> = array(&got["items"]).iter().map(key).collect();
    want.sort();
    have.sort();
    assert!(!have.is_empty());
    assert_eq!(have, want);
}

#[tokio::test]
async fn oncalls_for_a_service_follow_its_policy() {
    let h = Harness::read_only().await;
    let service = h.raw("/services?limit=1").await["services"][0].clone();
    let ep = service["escalation_policy"]["id"].clone();
    let got = h
        .ok(
            "list_oncalls",
            json!({"service_ids": [service["id"]], "time_zone": "Asia/Tokyo"}),
        )
        .await;
    let items = array(&got["items"]);
    assert!(!items.is_empty());
    assert!(items.iter().all(|o| o["escalation_policy"]["id"] == ep));
    assert!(items.iter().any(|o| o["escalation_level"] == 1));
}
