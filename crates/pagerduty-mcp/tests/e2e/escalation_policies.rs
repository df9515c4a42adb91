use serde_json::json;

use crate::harness::{Harness, ids};

#[tokio::test]
async fn escalation_policies_list_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw("/escalation_policies?limit=100&sort_by=name").await;
    let got = h.ok("list_escalation_policies", json!({})).await;
    let raw_ids: Vec<String> = raw["escalation_policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&got), raw_ids);
    let first = &raw["escalation_policies"][0];
    let one = h
        .ok("get_escalation_policy", json!({"policy_id": first["id"]}))
        .await;
    assert_eq!(one["name"], first["name"]);
    let levels = one["escalation_rules"].as_array().unwrap();
    assert_eq!(
        levels.len(),
        first["escalation_rules"].as_array().unwrap().len()
    );
    assert!(!levels[0]["targets"].as_array().unwrap().is_empty());

    // Policies notifying a user.
    let user = levels[0]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "user_reference")
        .map(|t| t["id"].as_str().unwrap().to_owned());
    if let Some(user) = user {
        let by_user = h
            .ok("list_escalation_policies", json!({"user_ids": [user]}))
            .await;
        assert!(ids(&by_user).contains(&first["id"].as_str().unwrap().to_owned()));
    }
}

#[tokio::test]
async fn escalation_policies_bad_input() {
    let h = Harness::read_only().await;
    let msg = h
        .err("get_escalation_policy", json!({"policy_id": "PNOPOL1"}))
        .await;
    assert!(
        msg.contains("PNOPOL1") && msg.contains("not found"),
        "{msg}"
    );
    let msg = h
        .err("list_escalation_policies", json!({"include": ["owners"]}))
        .await;
    assert!(
        msg.contains("include[0]") && msg.contains("targets"),
        "{msg}"
    );
}
