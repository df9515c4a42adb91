use serde_json::json;

use crate::harness::{Harness, array, ids};

#[tokio::test]
async fn services_list_search_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw("/services?limit=100&sort_by=name").await;
    let all = h.ok("list_services", json!({})).await;
    assert_eq!(ids(&all).len(), array(&raw["services"]).len());
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
async fn create_and_update_service() {
    let h = Harness::with_writes().await;
    let ep =
        h.raw("/escalation_policies?query=Payments").await["escalation_policies"][0]["id"].clone();
    let team = h.raw("/teams?query=Payments").await["teams"][0]["id"].clone();
    let s = h
        .ok(
            "create_service",
            json!({"service_data": {"service": {
                "name": "Refunds API", "description": "Refund processing",
                "escalation_policy": {"id": ep}, "teams": [{"id": team}],
                "acknowledgement_timeout": 900, "auto_resolve_timeout": 0,
                "incident_urgency_rule": {"type": "constant", "urgency": "low"}
            }}}),
        )
        .await;
    let sid = s["id"].as_str().unwrap().to_owned();
    let raw = h.raw_one(&format!("/services/{sid}")).await;
    assert_eq!(raw["name"], "Refunds API");
    assert_eq!(raw["escalation_policy"]["id"], ep);
    assert_eq!(raw["teams"][0]["id"], team);
    assert_eq!(raw["acknowledgement_timeout"], 900);
    assert!(raw["auto_resolve_timeout"].is_null());
    assert_eq!(raw["status"], "active");
    assert_eq!(s["incident_urgency_rule"]["urgency"], "low");

    // New incidents on it follow its urgency rule.
    let inc = h
        .ok(
            "create_incident",
            json!({"incident": {"title": "Refund job stuck", "service": {"id": sid}}}),
        )
        .await;
    assert_eq!(inc["urgency"], "low");

    let u = h
        .ok(
            "update_service",
            json!({"service_id": sid, "service_data": {"service": {"name": "Refunds", "status": "disabled"}}}),
        )
        .await;
    assert_eq!(u["name"], "Refunds");
    let raw = h.raw_one(&format!("/services/{sid}")).await;
    assert_eq!(raw["status"], "disabled");
    assert_eq!(raw["name"], "Refunds");
    assert_eq!(raw["description"], "Refund processing");
    assert_eq!(raw["escalation_policy"]["id"], ep);
}

#[tokio::test]
async fn service_writes_bad_input() {
    let h = Harness::with_writes().await;
    let existing = h.raw("/services?limit=1").await["services"][0].clone();
    h.err_table(&[
        (
            "create_service",
            json!({"service_data": {"service": {"name": existing["name"], "escalation_policy": {"id": existing["escalation_policy"]["id"]}}}}),
            &["Name has already been taken"],
        ),
        (
            "update_service",
            json!({"service_id": existing["id"], "service_data": {"service": {"incident_urgency_rule": {"type": "use_support_hours", "urgency": "high"}}}}),
            &["incident_urgency_rule"],
        ),
        (
            "update_service",
            json!({"service_id": "PNOSVC1", "service_data": {"service": {"name": "Y"}}}),
            &["Service PNOSVC1 was not found"],
        ),
    ])
    .await;
}
