//! The on-call handoff for seeded shifts: the override shift on now (with a note added over
//! MCP on the incident still open), a past weekly shift with its incidents, a business-hours
//! shift whose next shift leaves the night uncovered, and the escalation-policy form.

use serde_json::{Value, json};

use crate::harness::{Harness, array};

fn numbers(list: &Value) -> Vec<u64> {
    array(&list["items"])
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_current_shift_with_the_latest_note() {
    let h = Harness::with_writes().await;
    h.ok(
        "add_note_to_incident",
        json!({"incident_id": "236", "note": "Reindex job restarted; watching shard 3"}),
    )
    .await;
    let got = h
        .ok(
            "get_oncall_handoff",
            json!({"schedule": "Platform Primary"}),
        )
        .await;
    // Samuel's override (08:00-20:00) is the shift on now; Yuki's rotation follows.
    assert_eq!(
        got["shift"],
        json!({"user": {"id": got["shift"]["user"]["id"], "name": "Samuel Okafor"},
               "start": "2026-11-18T08:00:00Z", "end": "2026-11-18T20:00:00Z"})
    );
    assert_eq!(
        got["handover"],
        json!({"from": "Samuel Okafor", "to": "Yuki Tanaka", "at": "2026-11-18T20:00:00Z"})
    );
    // Yuki until Morgan's override on the 21st.
    assert_eq!(got["next_shift"]["end"], "2026-11-21T10:00:00Z");
    assert_eq!(got["next_shift_gaps"], json!([]));
    assert_eq!(got["created_during"]["count"], 0);
    assert_eq!(got["still_open"]["count"], 1);
    let open = &got["still_open"]["items"][0];
    assert_eq!(
        (open["number"].as_u64(), open["service"].as_str()),
        (Some(236), Some("Search"))
    );
    assert_eq!(
        open["latest_note"]["text"],
        "Reindex job restarted; watching shard 3"
    );
    assert_eq!(open["latest_note"]["by"], "Morgan Lee");
    // The escalation policy form reads its first level's schedule: the same shift.
    let by_policy = h
        .ok(
            "get_oncall_handoff",
            json!({"escalation_policy": "Platform Escalation"}),
        )
        .await;
    assert_eq!(by_policy["shift"], got["shift"]);
    assert_eq!(by_policy["still_open"]["count"], 1);
}

#[tokio::test]
async fn a_past_weekly_shift_and_its_incidents() {
    let h = Harness::read_only().await;
    let got = h
        .ok(
            "get_oncall_handoff",
            json!({"schedule": "Platform Primary", "at": "2026-11-12T12:00:00Z", "max_items": 3}),
        )
        .await;
    assert_eq!(got["shift"]["user"]["name"], "Morgan Lee");
    assert_eq!(
        (got["shift"]["start"].as_str(), got["shift"]["end"].as_str()),
        (Some("2026-11-09T09:00:00Z"), Some("2026-11-16T09:00:00Z"))
    );
    assert_eq!(got["handover"]["to"], "Yuki Tanaka");
    // The ground truth: Search and Auth Service incidents (Platform Escalation's services).
    let state = h.sim.state();
    let ids: Vec<String> = state
        .services()
        .into_iter()
        .filter(|s| s.name == "Search" || s.name == "Auth Service")
        .map(|s| s.id)
        .collect();
    let raw = h
        .raw(&format!(
            "/incidents?service_ids[]={}&service_ids[]={}&since=2026-11-02T09:00:00Z&until=2026-11-16T09:00:00Z&limit=100",
            ids[0], ids[1]
        ))
        .await;
    let within = |v: &Value| {
        v.as_str()
            .is_some_and(|t| ("2026-11-09T09:00:00Z"..="2026-11-16T08:59:59Z").contains(&t))
    };
    let incidents = array(&raw["incidents"]);
    let created: Vec<u64> = incidents
        .iter()
        .filter(|i| within(&i["created_at"]))
        .map(|i| i["incident_number"].as_u64().unwrap())
        .collect();
    let resolved = incidents
        .iter()
        .filter(|i| within(&i["resolved_at"]))
        .count();
    assert_eq!(got["created_during"]["count"], created.len());
    assert_eq!(got["resolved_during"]["count"], resolved);
    assert!(created.len() > 3, "a busy week: {created:?}");
    // Bounded: the newest three, with the count of all.
    let mut newest = created.clone();
    newest.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(numbers(&got["created_during"]), newest[..3]);
}

#[tokio::test]
async fn business_hours_leave_the_night_uncovered() {
    let h = Harness::read_only().await;
    let got = h
        .ok(
            "get_oncall_handoff",
            json!({"schedule": "Data Business Hours", "at": "2026-11-17T12:00:00Z"}),
        )
        .await;
    assert_eq!(got["shift"]["user"]["name"], "Hannah Schmidt");
    assert_eq!(got["shift"]["end"], "2026-11-17T16:00:00Z");
    // Nobody takes over at 16:00: the handover names no one, and the gap is the night.
    assert!(got["handover"].get("to").is_none(), "{got}");
    assert_eq!(
        got["next_shift_gaps"],
        json!([{"start": "2026-11-17T16:00:00Z", "end": "2026-11-18T08:00:00Z"}])
    );
    assert_eq!(got["next_shift"]["start"], "2026-11-18T08:00:00Z");
}
