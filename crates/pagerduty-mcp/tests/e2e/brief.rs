//! get_incident_brief gathers the incident's context in one call, bounded in size.

use serde_json::{Value, json};

use crate::harness::{Harness, array, newest_incident};

fn ids_of(v: &Value, field: &str) -> Vec<Value> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].clone())
        .collect()
}

#[tokio::test]
async fn brief_gathers_what_a_responder_reads_first() {
    let h = Harness::read_only().await;
    // An incident with notes and a deploy shortly before it.
    let incident = newest_incident(&h.sim, |i| !i.notes.is_empty() && i.number % 3 == 1);
    let id = incident.id.clone();
    let b = h
        .ok(
            "get_incident_brief",
            json!({"incident_id": id, "max_items": 3}),
        )
        .await;
    assert_eq!(b["incident"]["id"], id.as_str());
    let raw_alerts = h.raw(&format!("/incidents/{id}/alerts?limit=3")).await;
    assert_eq!(
        ids_of(&b["alerts"], "id"),
        ids_of(&raw_alerts["alerts"], "id")
    );
    let raw_notes = h.raw(&format!("/incidents/{id}/notes")).await["notes"]
        .as_array()
        .unwrap()
        .clone();
    let last: Vec<Value> = raw_notes
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(ids_of(&b["notes"], "id"), last);
    let raw_timeline = h
        .raw(&format!(
            "/incidents/{id}/log_entries?is_overview=true&limit=3"
        ))
        .await;
    assert_eq!(
        ids_of(&b["timeline"], "id"),
        ids_of(&raw_timeline["log_entries"], "id")
    );
    assert!(!array(&b["timeline"]).is_empty());
    let raw_changes = h
        .raw(&format!("/incidents/{id}/related_change_events?limit=3"))
        .await;
    assert_eq!(
        ids_of(&b["recent_changes"], "id"),
        ids_of(&raw_changes["change_events"], "id")
    );
    assert!(
        !array(&b["recent_changes"]).is_empty(),
        "a deploy preceded it"
    );
    let raw_past = h
        .raw(&format!("/incidents/{id}/past_incidents?limit=3"))
        .await;
    assert_eq!(
        array(&b["past_incidents"]).len(),
        array(&raw_past["past_incidents"]).len()
    );
    assert!(b.get("unavailable").is_none(), "{}", b["unavailable"]);
}

#[tokio::test]
async fn brief_names_missing_sections_and_rejects_bad_input() {
    let h = Harness::read_only().await;
    let id = h.sim.state().incidents().last().unwrap().id.clone();
    // Plans without Event Intelligence answer 402 for past incidents: the brief still comes.
    h.sim.faults().add(
        pagerduty_sim::faults::FaultRule::new(pagerduty_sim::faults::FaultKind::Status(402))
            .path(format!("/incidents/{id}/past_incidents")),
    );
    let b = h.ok("get_incident_brief", json!({"incident_id": id})).await;
    assert_eq!(b["incident"]["id"], id.as_str());
    assert!(
        b["unavailable"][0]
            .as_str()
            .unwrap()
            .starts_with("past_incidents"),
        "{b}"
    );
    h.err_says(
        "get_incident_brief",
        json!({"incident_id": id, "max_items": 0}),
        &["`max_items`"],
    )
    .await;
}
