//! merge_incidents and snooze_incident change what later reads show.

use serde_json::json;

use crate::harness::{Harness, array, fixed_now};

fn open_by_title(h: &Harness, title: &str) -> (String, usize) {
    let inc = h
        .sim
        .state()
        .incidents()
        .into_iter()
        .find(|i| i.title == title && i.is_open())
        .unwrap();
    (inc.id, inc.alerts.len())
}

#[tokio::test]
async fn merge_moves_alerts_and_resolves_the_source() {
    let h = Harness::with_writes().await;
    // The two seeded open Checkout API incidents: the crash loop delays the emails.
    let (target, target_alerts) = open_by_title(&h, "Order confirmation emails delayed");
    let (source, source_alerts) = open_by_title(&h, "Checkout API pods crash-looping in eu-west-1");

    let planned = h
        .ok(
            "merge_incidents",
            json!({"target_incident_id": target, "source_incident_ids": [source], "dry_run": true}),
        )
        .await;
    assert_eq!(
        planned["would_send"][0]["path"],
        format!("/incidents/{target}/merge")
    );
    let still = h.raw(&format!("/incidents/{source}")).await;
    assert_eq!(
        still["incident"]["status"], "triggered",
        "dry run sent nothing"
    );

    let merged = h
        .ok(
            "merge_incidents",
            json!({"target_incident_id": target, "source_incident_ids": [source]}),
        )
        .await;
    assert_eq!(merged["target"]["id"], target.as_str());
    assert_eq!(merged["merged"], json!([source]));

    let src = h.ok("get_incident", json!({"incident_id": source})).await;
    assert_eq!(src["status"], "resolved");
    let alerts = h
        .ok(
            "list_alerts_from_incident",
            json!({"incident_id": target, "limit": 100}),
        )
        .await;
    assert_eq!(array(&alerts["items"]).len(), target_alerts + source_alerts);

    h.err_table(&[
        (
            "merge_incidents",
            json!({"target_incident_id": target, "source_incident_ids": [source]}),
            &["resolved and cannot be merged"],
        ),
        (
            "merge_incidents",
            json!({"target_incident_id": target, "source_incident_ids": [target]}),
            &["cannot be merged into itself"],
        ),
    ])
    .await;
}

#[tokio::test]
async fn snooze_only_acknowledged_incidents() {
    let h = Harness::with_writes().await;
    let (acked, _) = open_by_title(&h, "Mobile API 5xx rate above 2%");
    let (triggered, _) = open_by_title(&h, "Index rebuild job stuck");

    h.err_says(
        "snooze_incident",
        json!({"incident_id": triggered, "duration_minutes": 60}),
        &["must be acknowledged"],
    )
    .await;

    let snoozed = h
        .ok(
            "snooze_incident",
            json!({"incident_id": acked, "duration_minutes": 90}),
        )
        .await;
    assert_eq!(snoozed["id"], acked.as_str());
    assert_eq!(snoozed["status"], "acknowledged");
    let log = h
        .raw(&format!("/incidents/{acked}/log_entries?limit=100"))
        .await;
    let summaries: Vec<&str> = array(&log["log_entries"])
        .iter()
        .filter(|e| e["type"] == "snooze_log_entry")
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries.len(), 1, "{log}");
    assert!(
        summaries[0].starts_with("Snoozed for 90 minutes by "),
        "{summaries:?}"
    );

    // 89 minutes on it is still quiet; after 90 it triggers again.
    h.sim
        .set_now(fixed_now() + jiff::SignedDuration::from_mins(89));
    let inc = h.ok("get_incident", json!({"incident_id": acked})).await;
    assert_eq!(inc["status"], "acknowledged");
    h.sim
        .set_now(fixed_now() + jiff::SignedDuration::from_mins(91));
    let inc = h.ok("get_incident", json!({"incident_id": acked})).await;
    assert_eq!(inc["status"], "triggered");
}

#[tokio::test]
async fn status_updates_reach_the_incident() {
    let h = Harness::with_writes().await;
    let (id, _) = open_by_title(&h, "Order confirmation emails delayed");
    let demo = h.sim.state().demo_user().unwrap();
    let sent = h
        .ok(
            "send_status_update",
            json!({"incident_id": id, "message": "Emails are queued, not lost; the backlog clears by 11:00 UTC."}),
        )
        .await;
    assert_eq!(
        sent["message"],
        "Emails are queued, not lost; the backlog clears by 11:00 UTC."
    );
    assert_eq!(sent["sender"]["id"], demo.id.as_str());
    assert_eq!(sent["created_at"], crate::harness::FIXED_NOW);
    let email = h
        .ok(
            "send_status_update",
            json!({"incident_id": id, "message": "Resolved", "subject": "Order emails restored",
                   "html_message": "<p>All queued emails were sent.</p>"}),
        )
        .await;
    assert_eq!(email["subject"], "Order emails restored");
    let stored: Vec<(String, String)> = h
        .sim
        .state()
        .account()
        .status_updates
        .iter()
        .map(|u| (u.incident_id.clone(), u.message.clone()))
        .collect();
    assert_eq!(
        stored,
        [
            (
                id.clone(),
                "Emails are queued, not lost; the backlog clears by 11:00 UTC.".to_owned()
            ),
            (id.clone(), "Resolved".to_owned())
        ]
    );
    h.err_says(
        "send_status_update",
        json!({"incident_id": id, "message": "x", "subject": "only a subject"}),
        &["both subject and html_message"],
    )
    .await;
    assert_eq!(
        h.sim.state().account().status_updates.len(),
        2,
        "nothing sent"
    );
}
