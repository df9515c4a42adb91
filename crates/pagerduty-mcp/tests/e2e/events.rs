//! Events API v2: send_event (trigger → incident, dedup, resolve) and send_change_event,
//! through the MCP client against the simulator (which serves the Events API too).

use serde_json::{Value, json};

use crate::harness::{Harness, Options, array, ids_of, some_has};

/// (service id, its Events API v2 routing key) of the first seeded service.
fn service_key(h: &Harness) -> (String, String) {
    let svc = h.sim.state().services().into_iter().next().unwrap();
    let key = svc.integrations[0].integration_key.clone();
    (svc.id, key)
}

async fn open_with_key(h: &Harness, service_id: &str, dedup_key: &str) -> Vec<Value> {
    let list = h
        .ok(
            "list_incidents",
            json!({"service_ids": [service_id], "statuses": ["triggered", "acknowledged"], "limit": 100}),
        )
        .await;
    let keyed_path = format!(
        "/incidents?service_ids[]={service_id}&incident_key={dedup_key}&statuses[]=triggered&statuses[]=acknowledged"
    );
    let keyed = ids_of(&h.raw_list(&keyed_path).await);
    array(&list["items"])
        .iter()
        .filter(|i| keyed.iter().any(|k| i["id"] == k.as_str()))
        .cloned()
        .collect()
}

#[tokio::test]
async fn trigger_dedup_resolve_through_the_events_api() {
    let h = Harness::with_writes().await;
    let (service_id, key) = service_key(&h);
    let before = h.sim.state().incidents().len();
    let trigger = json!({
        "event_action": "trigger", "routing_key": key, "dedup_key": "disk/db-7",
        "summary": "Disk 97% full on db-7", "source": "db-7", "severity": "critical",
        "component": "postgres", "custom_details": {"free": "3%"},
        "links": [{"href": "https://grafana.example.com/d/db7", "text": "Dashboard"}],
    });
    let sent = h.ok("send_event", trigger.clone()).await;
    assert_eq!(sent["status"], "success");
    assert_eq!(sent["dedup_key"], "disk/db-7");
    assert!(
        !sent.to_string().contains(&key),
        "routing key echoed: {sent}"
    );

    let open = open_with_key(&h, &service_id, "disk/db-7").await;
    assert_eq!(open.len(), 1, "one open incident for the dedup key");
    let inc = &open[0];
    assert_eq!(inc["title"], "Disk 97% full on db-7");
    assert_eq!(inc["service"]["id"], service_id.as_str());
    assert_eq!(inc["status"], "triggered");
    let id = inc["id"].as_str().unwrap().to_owned();
    let stored = h
        .sim
        .state()
        .incidents()
        .into_iter()
        .find(|i| i.id == id)
        .unwrap();
    assert!(!stored.assignments.is_empty(), "assigned by the policy");
    assert_eq!(stored.alerts.len(), 1);
    assert_eq!(stored.alerts[0].severity, "critical");

    // The same dedup key again: no new incident.
    h.ok("send_event", trigger).await;
    assert_eq!(h.sim.state().incidents().len(), before + 1);
    assert_eq!(open_with_key(&h, &service_id, "disk/db-7").await.len(), 1);

    // Acknowledge, then resolve by dedup key.
    for (action, status) in [("acknowledge", "acknowledged"), ("resolve", "resolved")] {
        let event = json!({"event_action": action, "routing_key": key, "dedup_key": "disk/db-7"});
        h.ok("send_event", event).await;
        let got = h.ok("get_incident", json!({"incident_id": id})).await;
        assert_eq!(got["status"], status, "after {action}");
    }

    // Resolving an unknown key is accepted and dropped, as PagerDuty does.
    let dropped = h
        .ok(
            "send_event",
            json!({"event_action": "resolve", "routing_key": key, "dedup_key": "never-seen"}),
        )
        .await;
    assert_eq!(dropped["status"], "success");
    assert_eq!(h.sim.state().incidents().len(), before + 1);

    // No dedup key: PagerDuty makes one and returns it.
    let fresh = h
        .ok(
            "send_event",
            json!({"event_action": "trigger", "routing_key": key, "summary": "CPU hot",
                   "source": "web-1", "severity": "warning"}),
        )
        .await;
    assert_eq!(fresh["dedup_key"].as_str().unwrap().len(), 32);
    assert_eq!(h.sim.state().incidents().len(), before + 2);
}

#[tokio::test]
async fn change_events_show_up_in_the_lists() {
    let h = Harness::with_writes().await;
    let (service_id, key) = service_key(&h);
    let sent = h
        .ok(
            "send_change_event",
            json!({"routing_key": key, "summary": "Deploy checkout v9.9.9", "source": "ci",
                   "custom_details": {"commit": "abc123"},
                   "links": [{"href": "https://ci.example.com/9", "text": "Build"}]}),
        )
        .await;
    assert_eq!(sent["status"], "success");
    let got = h.ok("list_change_events", json!({"limit": 5})).await;
    let first = &got["items"][0];
    assert_eq!(first["summary"], "Deploy checkout v9.9.9");
    assert_eq!(first["services"][0]["id"], service_id.as_str());
    let raw = h
        .raw(&format!("/services/{service_id}/change_events?limit=5"))
        .await;
    assert!(some_has(
        &raw["change_events"],
        "/summary",
        "Deploy checkout v9.9.9"
    ));
}

#[tokio::test]
async fn bad_events_get_clear_errors() {
    let h = Harness::with_writes().await;
    let (_, key) = service_key(&h);
    let before = h.sim.state().incidents().len();
    h.err_table(&[
        (
            "send_event",
            json!({"event_action": "trigger", "routing_key": key, "source": "x", "severity": "info"}),
            &["`summary`", "required"],
        ),
        (
            "send_event",
            json!({"event_action": "acknowledge", "routing_key": key}),
            &["`dedup_key`"],
        ),
        (
            "send_event",
            json!({"event_action": "trigger", "routing_key": key, "summary": "s", "source": "x", "severity": "fatal"}),
            &["severity", "fatal"],
        ),
        (
            "send_event",
            json!({"event_action": "trigger", "routing_key": key, "summary": "x".repeat(1025), "source": "x", "severity": "info"}),
            &["1024"],
        ),
        (
            "send_event",
            json!({"event_action": "trigger", "routing_key": key, "summary": "s", "source": "x", "severity": "info",
                   "custom_details": {"blob": "x".repeat(600 * 1024)}}),
            &["512 KB"],
        ),
    ])
    .await;
    // A well-formed key no integration has: PagerDuty's own 400, worded.
    let unknown = "0".repeat(32);
    let msg = h.err_says(
        "send_event",
        json!({"event_action": "trigger", "routing_key": unknown, "summary": "s", "source": "x", "severity": "info"}),
        &["400", "does not match any Events API v2 integration"],
    )
    .await;
    assert!(!msg.contains(&unknown), "routing key echoed: {msg}");
    assert_eq!(h.sim.state().incidents().len(), before);
}

#[tokio::test]
async fn dry_run_masks_the_routing_key_and_sends_nothing() {
    let h0 = Harness::read_only().await;
    let (_, key) = service_key(&h0);
    drop(h0);
    // Seeds are deterministic: the same key routes on the next simulator too.
    let h = Harness::start(Options {
        args: &["--enable-write-tools"],
        env: &[("PAGERDUTY_ROUTING_KEY", key.as_str())],
        ..Options::default()
    })
    .await;
    let before = h.sim.state().incidents().len();
    h.sim.clear_requests();
    let plan = h
        .ok(
            "send_event",
            json!({"event_action": "trigger", "summary": "Planned only", "source": "x",
                   "severity": "error", "dry_run": true}),
        )
        .await;
    assert_eq!(plan["dry_run"], true);
    let req = &plan["would_send"][0];
    assert_eq!(req["method"], "POST");
    assert_eq!(req["path"], "/v2/enqueue");
    assert_eq!(req["body"]["payload"]["summary"], "Planned only");
    assert_eq!(req["body"]["event_action"], "trigger");
    assert!(req["headers"].get("Authorization").is_none());
    let shown = req["body"]["routing_key"].as_str().unwrap();
    assert!(
        shown.starts_with("<redacted>") && shown.ends_with(&key[28..]),
        "{shown}"
    );
    assert!(
        !plan.to_string().contains(&key),
        "routing key leaked: {plan}"
    );
    assert_eq!(
        h.sim.requests().count("POST", "/v2/enqueue"),
        0,
        "a dry run sends nothing"
    );
    assert_eq!(h.sim.state().incidents().len(), before);

    // The default key from the environment is used for real sends too.
    let sent = h
        .ok(
            "send_change_event",
            json!({"summary": "Config change", "timestamp": "2026-03-02T11:00:00Z"}),
        )
        .await;
    assert_eq!(sent["status"], "success");
    assert!(!h.stderr().contains(&key), "routing key logged");
}
