//! Incident tools: happy paths checked against the simulator's own answers, and bad input.

use serde_json::{Value, json};

use crate::harness::{Harness, all_have, array, ids, some_has};

fn since_days(h: &Harness, days: i64) -> String {
    let t = h.sim.now() - jiff::SignedDuration::from_hours(24 * days);
    t.to_string()
}

#[tokio::test]
async fn list_incidents_filters_and_matches_the_api() {
    let h = Harness::read_only().await;
    let (got, _) = h
        .list_matches(
            "list_incidents",
            json!({"statuses": ["triggered", "acknowledged"], "limit": 10}),
            "/incidents?statuses[]=triggered&statuses[]=acknowledged&sort_by=created_at:desc&limit=10",
        )
        .await;
    for i in array(&got["items"]) {
        assert!(i["status"] == "triggered" || i["status"] == "acknowledged");
        // Trimmed: no API links, no nulls; the page a person opens is kept.
        assert!(i.get("self").is_none());
        let link = i["html_url"].as_str().unwrap();
        assert!(
            link.starts_with("https://") && link.ends_with(i["id"].as_str().unwrap()),
            "{link}"
        );
        assert!(i.as_object().unwrap().values().all(|v| !v.is_null()));
    }
}

#[tokio::test]
async fn list_incidents_honours_limit_exactly_and_pages() {
    // A budget big enough for 150 whole incidents: this test is about PagerDuty's paging.
    let h = Harness::start(crate::harness::Options {
        args: &["--max-output-bytes", "1000000"],
        ..Default::default()
    })
    .await;
    let since = since_days(&h, 89);
    let first = h
        .ok("list_incidents", json!({"since": since, "limit": 7}))
        .await;
    assert_eq!(ids(&first).len(), 7);
    assert_eq!(first["more"], true);
    assert_eq!(first["next_offset"], 7);
    let second = h
        .ok(
            "list_incidents",
            json!({"since": since, "limit": 7, "offset": 7}),
        )
        .await;
    assert_eq!(ids(&second).len(), 7);
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
    // Across PagerDuty pages (max 100 each): exactly the limit, no duplicates.
    let big = h
        .ok("list_incidents", json!({"since": since, "limit": 150}))
        .await;
    let mut all = ids(&big);
    assert_eq!(all.len(), 150);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 150);
    // Asking for everything: more is false at the end.
    let rest = h
        .ok("list_incidents", json!({"since": since, "limit": 1000}))
        .await;
    assert_eq!(rest["more"], false);
    assert!(rest.get("next_offset").is_none());
}

#[tokio::test]
async fn list_incidents_by_service_team_and_scope() {
    let h = Harness::read_only().await;
    let since = since_days(&h, 89);
    let service = h.raw("/services?limit=1").await["services"][0].clone();
    let sid = service["id"].as_str().unwrap();
    let got = h
        .ok(
            "list_incidents",
            json!({"since": since, "service_ids": [sid], "limit": 50}),
        )
        .await;
    assert!(!ids(&got).is_empty());
    assert!(all_have(&got["items"], "/service/id", sid));

    let team = h.raw_first_id("/teams?limit=1").await;
    let got = h
        .ok(
            "list_incidents",
            json!({"since": since, "team_ids": [team], "limit": 50}),
        )
        .await;
    let raw = h
        .raw(&format!(
            "/incidents?since={since}&team_ids[]={team}&sort_by=created_at:desc&limit=50"
        ))
        .await;
    assert_eq!(array(&got["items"]).len(), array(&raw["incidents"]).len());

    let me = h.raw("/users/me").await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    h.lists_only_assigned_to(json!({"request_scope": "assigned", "limit": 100}), &me)
        .await;
}

#[tokio::test]
async fn get_incident_by_id_and_number() {
    let h = Harness::read_only().await;
    let raw = h.raw("/incidents?statuses[]=acknowledged&limit=1").await["incidents"][0].clone();
    let id = raw["id"].as_str().unwrap();
    let got = h.ok("get_incident", json!({"incident_id": id})).await;
    assert_eq!(got["id"], raw["id"]);
    assert_eq!(got["title"], raw["title"]);
    assert_eq!(got["status"], "acknowledged");
    assert_eq!(got["incident_number"], raw["incident_number"]);
    assert_eq!(got["service"]["id"], raw["service"]["id"]);
    assert!(!array(&got["acknowledgements"]).is_empty());
    let by_number = h
        .ok(
            "get_incident",
            json!({"incident_id": raw["incident_number"].to_string()}),
        )
        .await;
    assert_eq!(by_number["id"], raw["id"]);
}

async fn incident_with_notes(h: &Harness) -> (String, Value) {
    let since = since_days(h, 89);
    let list = h.raw(&format!("/incidents?since={since}&limit=100")).await;
    for i in array(&list["incidents"]) {
        let id = i["id"].as_str().unwrap();
        let notes = h.raw(&format!("/incidents/{id}/notes")).await;
        if !array(&notes["notes"]).is_empty() {
            return (id.to_owned(), notes);
        }
    }
    panic!("the seed has incidents with notes");
}

#[tokio::test]
async fn list_incident_notes_matches_the_api() {
    let h = Harness::read_only().await;
    let (id, raw) = incident_with_notes(&h).await;
    let got = h
        .ok("list_incident_notes", json!({"incident_id": id}))
        .await;
    let contents: Vec<&Value> = array(&got["items"]).iter().map(|n| &n["content"]).collect();
    let raw_contents: Vec<&Value> = array(&raw["notes"]).iter().map(|n| &n["content"]).collect();
    assert_eq!(contents, raw_contents);
    assert_eq!(got["more"], false);
}

#[tokio::test]
async fn create_incident_then_find_it() {
    let h = Harness::with_writes().await;
    let service = h.raw_first_id("/services?limit=1").await;
    let created = h
        .ok(
            "create_incident",
            json!({"incident": {"title": "Checkout latency p99 > 2s", "service": {"id": service},
                   "urgency": "low", "body": {"details": "Seen on the dashboard since 10:02"}}}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["status"], "triggered");
    assert_eq!(created["urgency"], "low");
    let got = h.ok("get_incident", json!({"incident_id": id})).await;
    assert_eq!(got["title"], "Checkout latency p99 > 2s");
    let open = h
        .ok(
            "list_incidents",
            json!({"statuses": ["triggered"], "limit": 5}),
        )
        .await;
    assert_eq!(ids(&open)[0], id, "newest first");
    assert_eq!(h.sim.requests().count("POST", "/incidents"), 1);
}

#[tokio::test]
async fn manage_incidents_acknowledge_resolve_reassign() {
    let h = Harness::with_writes().await;
    let raw = h.raw("/incidents?statuses[]=triggered&limit=2").await;
    let a = raw["incidents"][0]["id"].as_str().unwrap().to_owned();
    let b = raw["incidents"][1]["id"].as_str().unwrap().to_owned();
    let out = h
        .ok(
            "manage_incidents",
            json!({"manage_request": {"incident_ids": [a, b], "status": "acknowledged"}}),
        )
        .await;
    assert_eq!(array(&out["incidents"]).len(), 2);
    let got = h.ok("get_incident", json!({"incident_id": a})).await;
    assert_eq!(got["status"], "acknowledged");

    let user = h.raw_id("/users?limit=3", 2).await;
    // The official misspelling `assignement` is accepted.
    h.ok(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [a], "assignement": {"id": user}}}),
    )
    .await;
    let got = h.ok("get_incident", json!({"incident_id": a})).await;
    assert!(
        some_has(&got["assignments"], "/assignee/id", user.as_str()),
        "{got}"
    );

    h.ok(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [b], "status": "resolved", "urgency": "low"}}),
    )
    .await;
    let got = h.ok("get_incident", json!({"incident_id": b})).await;
    assert_eq!(got["status"], "resolved");
    assert!(got.get("resolved_at").is_some());
}

#[tokio::test]
async fn add_note_then_list_it() {
    let h = Harness::with_writes().await;
    let id = h.raw_first_id("/incidents?limit=1").await;
    let note = h
        .ok(
            "add_note_to_incident",
            json!({"incident_id": id, "note": "Rolled back deploy 4512; errors dropping."}),
        )
        .await;
    assert_eq!(note["content"], "Rolled back deploy 4512; errors dropping.");
    let notes = h
        .ok("list_incident_notes", json!({"incident_id": id}))
        .await;
    let last = array(&notes["items"]).last().unwrap().clone();
    assert_eq!(last["content"], "Rolled back deploy 4512; errors dropping.");
    assert_eq!(last["user"]["id"], h.raw("/users/me").await["user"]["id"]);
}

#[tokio::test]
async fn add_responders_requests_help() {
    let h = Harness::with_writes().await;
    let id = h
        .raw_first_id("/incidents?statuses[]=triggered&limit=1")
        .await;
    let user = h.raw_id("/users?limit=5", 4).await;
    let out = h
        .ok(
            "add_responders",
            json!({"incident_id": id, "request": {"message": "Need a DB expert",
                   "responder_request_targets": [{"responder_request_target": {"id": user, "type": "user_reference"}}]}}),
        )
        .await;
    assert_eq!(out["message"], "Need a DB expert");
    assert_eq!(
        out["requester"]["id"],
        h.raw("/users/me").await["user"]["id"]
    );
    assert_eq!(out["responder_request_targets"][0]["id"], user.as_str());
    let got = h.ok("get_incident", json!({"incident_id": id})).await;
    assert!(
        some_has(&got["incidents_responders"], "/user/id", user.as_str()),
        "{got}"
    );
}
