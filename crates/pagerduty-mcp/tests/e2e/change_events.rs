//! Change events: lists against the simulator's answers, correlation with incidents.

use serde_json::json;

use crate::harness::{Harness, array, ids, newest_incident};

fn ago(h: &Harness, days: i64) -> String {
    (h.sim.now() - jiff::SignedDuration::from_hours(24 * days)).to_string()
}

#[tokio::test]
async fn list_change_events_matches_the_api_and_counts() {
    let h = Harness::read_only().await;
    let since = ago(&h, 7);
    let (got, raw) = h
        .list_matches(
            "list_change_events",
            json!({"since": since, "limit": 30, "total": true}),
            &format!("/change_events?since={since}&limit=30"),
        )
        .await;
    let expected_total = h
        .sim
        .state()
        .account()
        .change_events
        .iter()
        .filter(|e| e.timestamp >= since.parse::<jiff::Timestamp>().unwrap())
        .count();
    assert_eq!(got["total"], expected_total);
    let first = &got["items"][0];
    assert!(first.get("routing_key").is_none() && first.get("self").is_none());
    assert!(first["summary"].as_str().unwrap().len() > 5);

    // One by id.
    let one = h
        .ok("get_change_event", json!({"change_event_id": raw[0]["id"]}))
        .await;
    assert_eq!(one["summary"], raw[0]["summary"]);
    assert_eq!(one["services"][0]["id"], raw[0]["services"][0]["id"]);

    h.err_says(
        "list_change_events",
        json!({"since": ago(&h, 1), "until": ago(&h, 2)}),
        &["`until`", "after `since`"],
    )
    .await;
}

#[tokio::test]
async fn service_change_events_only_that_service() {
    let h = Harness::read_only().await;
    let svc = h.sim.state().service_by_name("Search").unwrap();
    let got = h
        .ok(
            "list_service_change_events",
            json!({"service_id": svc.id, "since": ago(&h, 30), "limit": 200}),
        )
        .await;
    let expected = h
        .sim
        .state()
        .account()
        .change_events
        .iter()
        .filter(|e| {
            e.service_ids.contains(&svc.id)
                && e.timestamp >= ago(&h, 30).parse::<jiff::Timestamp>().unwrap()
        })
        .count();
    assert_eq!(ids(&got).len(), expected);
    assert!(
        array(&got["items"])
            .iter()
            .all(|e| e["services"][0]["id"] == svc.id.as_str())
    );
}

#[tokio::test]
async fn incident_change_events_explain_the_correlation() {
    let h = Harness::read_only().await;
    let account = h.sim.state().account();
    // Every third seeded incident had a deploy on its service shortly before.
    let inc = newest_incident(&h.sim, |i| i.number % 3 == 1);
    let got = h
        .ok(
            "list_incident_change_events",
            json!({"incident_id": inc.id}),
        )
        .await;
    let items = array(&got["items"]);
    assert!(!items.is_empty());
    let own: Vec<_> = items
        .iter()
        .filter(|e| e["correlation_reason"]["reason"] == "most_recent")
        .collect();
    assert!(!own.is_empty(), "{got}");
    for e in &own {
        assert_eq!(e["services"][0]["id"], inc.service_id.as_str());
        let at: jiff::Timestamp = e["timestamp"].as_str().unwrap().parse().unwrap();
        assert!(at <= inc.created_at && inc.created_at.duration_since(at).as_hours() < 4);
    }
    // Changes on services it depends on are marked as such.
    let supporting = account.supporting_technical_services(&inc.service_id);
    for e in items
        .iter()
        .filter(|e| e["correlation_reason"]["reason"] == "related_service")
    {
        assert!(supporting.contains(&e["services"][0]["id"].as_str().unwrap().to_owned()));
    }
    h.err_says(
        "list_incident_change_events",
        json!({"incident_id": inc.id, "limit": 500}),
        &["between 1 and 100"],
    )
    .await;
}
