//! Safety around writes and outputs: dry runs, the audit log, redaction.

use serde_json::{Value, json};

use crate::harness::{Harness, array};

async fn open_incident(h: &Harness) -> String {
    h.raw_first_id("/incidents?statuses[]=triggered&limit=1")
        .await
}

#[tokio::test]
async fn dry_run_returns_the_exact_request_and_sends_nothing() {
    let h = Harness::with_writes().await;
    let id = open_incident(&h).await;
    let plan = h
        .ok(
            "manage_incidents",
            json!({"manage_request": {"incident_ids": [id], "status": "resolved", "resolution": "rolled back"}, "dry_run": true}),
        )
        .await;
    assert_eq!(plan["dry_run"], true);
    let req = &plan["would_send"][0];
    assert_eq!(req["method"], "PUT");
    assert_eq!(req["path"], "/incidents");
    assert_eq!(req["body"]["incidents"][0]["id"], id.as_str());
    assert_eq!(req["body"]["incidents"][0]["status"], "resolved");
    assert_eq!(req["body"]["incidents"][0]["resolution"], "rolled back");
    assert_eq!(req["headers"]["Authorization"], "Token token=<redacted>");
    assert!(!plan.to_string().contains(h.token()));
    assert_eq!(
        h.sim.requests().count("PUT", "/incidents"),
        0,
        "nothing was sent"
    );
    assert_eq!(
        h.raw(&format!("/incidents/{id}")).await["incident"]["status"],
        "triggered"
    );

    // A tool that reads before it writes: the read runs, the write is only planned.
    let user = h.raw_id("/users?limit=2", 1).await;
    let plan = h
        .ok(
            "add_responders",
            json!({"incident_id": id, "dry_run": true, "request": {"message": "help",
                   "responder_request_targets": [{"responder_request_target": {"id": user, "type": "user_reference"}}]}}),
        )
        .await;
    assert_eq!(array(&plan["would_send"]).len(), 1);
    assert_eq!(
        plan["would_send"][0]["path"],
        format!("/incidents/{id}/responder_requests")
    );
    assert_eq!(h.sim.requests().count_prefix("POST", "/incidents"), 0);

    h.err_table(&[
        (
            "add_note_to_incident",
            json!({"incident_id": id, "note": "x", "dry_run": "yes"}),
            &["`dry_run`"],
        ),
        // Read tools do not take dry_run.
        (
            "get_incident",
            json!({"incident_id": id, "dry_run": true}),
            &["unknown field `dry_run`"],
        ),
    ])
    .await;
}

#[tokio::test]
async fn audit_log_records_every_write_attempt_without_secrets() {
    let path = crate::harness::fresh_audit_log("audit");
    let h = Harness::with_args(&["--enable-write-tools", "--audit-log", &path]).await;
    let id = open_incident(&h).await;
    h.acknowledge(&id).await;
    h.err(
        "add_note_to_incident",
        json!({"incident_id": "PNOPE00", "note": "x"}),
    )
    .await;
    h.ok(
        "add_note_to_incident",
        json!({"incident_id": id, "note": "planned", "dry_run": true}),
    )
    .await;
    h.ok("list_incidents", json!({"limit": 1})).await;

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(h.token()), "token in audit log");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one line per write attempt, none for reads: {text}"
    );
    assert_eq!(lines[0]["tool"], "manage_incidents");
    assert_eq!(lines[0]["outcome"], "ok");
    assert_eq!(lines[0]["targets"], json!([id]));
    assert_eq!(lines[0]["requests"][0]["method"], "PUT");
    assert_eq!(lines[0]["requests"][0]["status"], 200);
    assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lines[1]["outcome"], "error");
    assert_eq!(lines[1]["requests"][0]["status"], 404);
    assert!(lines[1]["error"].as_str().unwrap().contains("not found"));
    assert_eq!(lines[2]["outcome"], "dry_run");
    assert_eq!(lines[2]["dry_run"], true);
}

#[tokio::test]
async fn redaction_masks_emails_phones_and_patterns() {
    let h = Harness::with_args(&["--redact-pattern", "Morgan"]).await;
    let me = h.ok("get_user_data", json!({})).await;
    assert_eq!(me["email"], "[email redacted]");
    assert_eq!(me["name"], "[redacted] Lee");
    // Ids and times are untouched.
    assert!(me["id"].as_str().unwrap().starts_with('P'));
    let plain = Harness::read_only().await;
    assert!(
        plain.ok("get_user_data", json!({})).await["email"]
            .as_str()
            .unwrap()
            .contains('@')
    );
}
