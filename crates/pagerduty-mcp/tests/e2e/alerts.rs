use serde_json::json;

use crate::harness::{Harness, ids};

#[tokio::test]
async fn alerts_of_an_incident_match_the_api() {
    let h = Harness::read_only().await;
    let id = h.raw("/incidents?limit=1").await["incidents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let raw = h.raw(&format!("/incidents/{id}/alerts?limit=100")).await;
    let got = h
        .ok("list_alerts_from_incident", json!({"incident_id": id}))
        .await;
    let raw_ids: Vec<String> = raw["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&got), raw_ids);
    let first = &got["items"][0];
    assert_eq!(first["incident"]["id"], id.as_str());
    assert!(
        first["body"].is_object(),
        "monitoring payload is passed through: {first}"
    );

    let alert = first["id"].as_str().unwrap();
    let one = h
        .ok(
            "get_alert_from_incident",
            json!({"incident_id": id, "alert_id": alert}),
        )
        .await;
    assert_eq!(&one, first);
}

#[tokio::test]
async fn alerts_bad_input() {
    let h = Harness::read_only().await;
    let id = h.raw("/incidents?limit=1").await["incidents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let msg = h
        .err(
            "get_alert_from_incident",
            json!({"incident_id": id, "alert_id": "PNOALERT"}),
        )
        .await;
    assert!(
        msg.contains("PNOALERT") && msg.contains("not found"),
        "{msg}"
    );
    let msg = h
        .err(
            "list_alerts_from_incident",
            json!({"incident_id": id, "limit": 5000}),
        )
        .await;
    assert!(msg.contains("`limit`"), "{msg}");
    let msg = h
        .err("get_alert_from_incident", json!({"incident_id": id}))
        .await;
    assert!(msg.contains("missing field `alert_id`"), "{msg}");
}
