use serde_json::json;

use crate::harness::Harness;

#[tokio::test]
async fn alerts_of_an_incident_match_the_api() {
    let h = Harness::read_only().await;
    let id = h.raw_first_id("/incidents?limit=1").await;
    let (got, _) = h
        .list_matches(
            "list_alerts_from_incident",
            json!({"incident_id": id}),
            &format!("/incidents/{id}/alerts?limit=100"),
        )
        .await;
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
    let id = h.raw_first_id("/incidents?limit=1").await;
    h.err_table(&[
        (
            "get_alert_from_incident",
            json!({"incident_id": id, "alert_id": "PNOALERT"}),
            &["PNOALERT", "not found"],
        ),
        (
            "list_alerts_from_incident",
            json!({"incident_id": id, "limit": 5000}),
            &["`limit`"],
        ),
        (
            "get_alert_from_incident",
            json!({"incident_id": id}),
            &["missing field `alert_id`"],
        ),
    ])
    .await;
}
