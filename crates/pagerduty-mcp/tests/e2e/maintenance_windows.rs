//! Maintenance windows: the seeded ones, and a window created over MCP silencing a service's
//! events until it is deleted.

use serde_json::{Value, json};

use crate::harness::{Harness, array, ids, raw_ids, strs};

fn service(h: &Harness, name: &str) -> (String, String) {
    let svc = h.sim.state().service_by_name(name).unwrap();
    let key = svc.integrations[0].integration_key.clone();
    (svc.id, key)
}

/// Whether the service has a triggered incident titled `title`.
async fn is_open(h: &Harness, service_id: &str, title: &str) -> bool {
    let raw = h
        .raw(&format!(
            "/incidents?service_ids[]={service_id}&statuses[]=triggered&limit=100"
        ))
        .await;
    array(&raw["incidents"]).iter().any(|i| i["title"] == title)
}

fn trigger(key: &str, summary: &str) -> Value {
    json!({"event_action": "trigger", "routing_key": key, "summary": summary,
           "source": "deploy-bot", "severity": "error"})
}

#[tokio::test]
async fn seeded_windows_by_state() {
    let h = Harness::read_only().await;
    let open = h.ok("list_maintenance_windows", json!({})).await;
    let descriptions = strs(&open["items"], "description");
    assert_eq!(
        descriptions,
        [
            "Kafka broker upgrade to 3.9",
            "Checkout and payments deploy freeze window"
        ]
    );
    let ongoing = h
        .ok("list_maintenance_windows", json!({"state": "ongoing"}))
        .await;
    assert_eq!(array(&ongoing["items"]).len(), 1);
    assert_eq!(
        ongoing["items"][0]["services"][0]["summary"],
        "Data Pipeline"
    );
    assert_eq!(ongoing["items"][0]["teams"][0]["summary"], "Data");
    let past = h
        .ok("list_maintenance_windows", json!({"state": "past"}))
        .await;
    assert_eq!(past["items"][0]["description"], "Search cluster reindex");
    let (checkout, _) = service(&h, "Checkout API");
    let for_checkout = h
        .ok(
            "list_maintenance_windows",
            json!({"state": "all", "service_ids": [checkout]}),
        )
        .await;
    assert_eq!(
        for_checkout["items"][0]["description"],
        "Checkout and payments deploy freeze window"
    );
    let raw = h.raw("/maintenance_windows?filter=open").await;
    let raw_ids = raw_ids(&raw, "maintenance_windows");
    assert_eq!(ids(&open), raw_ids);
}

#[tokio::test]
async fn a_window_silences_a_service_until_deleted() {
    let h = Harness::with_writes().await;
    let (search, search_key) = service(&h, "Search");
    let (auth, auth_key) = service(&h, "Auth Service");

    // Seeded: Data Pipeline is in maintenance, so its event opens nothing.
    let (pipeline, pipeline_key) = service(&h, "Data Pipeline");
    h.ok("send_event", trigger(&pipeline_key, "Lag on topic orders"))
        .await;
    assert!(!is_open(&h, &pipeline, "Lag on topic orders").await);

    let planned = h
        .ok(
            "create_maintenance_window",
            json!({"service_ids": [search], "description": "Search v8 rollout",
                   "duration_minutes": 60, "dry_run": true}),
        )
        .await;
    assert_eq!(planned["dry_run"], true);
    assert_eq!(planned["would_send"][0]["method"], "POST");
    assert_eq!(
        h.ok("list_maintenance_windows", json!({"state": "ongoing"}))
            .await["items"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "dry run created nothing"
    );

    let created = h
        .ok(
            "create_maintenance_window",
            json!({"service_ids": [search], "description": "Search v8 rollout",
                   "duration_minutes": 60}),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["services"][0]["id"], search.as_str());
    assert_eq!(created["created_by"]["type"], "user_reference");

    h.ok("send_event", trigger(&search_key, "Search p99 over 2s"))
        .await;
    // Positive control: a service not in maintenance still opens an incident.
    h.ok("send_event", trigger(&auth_key, "Login errors spiking"))
        .await;
    assert!(!is_open(&h, &search, "Search p99 over 2s").await);
    assert!(is_open(&h, &auth, "Login errors spiking").await);

    h.done(
        "delete_maintenance_window",
        json!({"maintenance_window_id": id}),
    )
    .await;
    h.ok("send_event", trigger(&search_key, "Search p99 over 2s"))
        .await;
    assert!(is_open(&h, &search, "Search p99 over 2s").await);

    // The deleted window ended now: deleting it again is refused.
    h.err_table(&[
        (
            "delete_maintenance_window",
            json!({"maintenance_window_id": id}),
            &["already ended"],
        ),
        (
            "create_maintenance_window",
            json!({"service_ids": [search], "description": "x", "duration_minutes": 0}),
            &["`duration_minutes`"],
        ),
    ])
    .await;
}
