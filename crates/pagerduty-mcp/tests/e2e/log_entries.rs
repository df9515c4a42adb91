//! Log entries: the account-wide timeline.

use serde_json::json;

use crate::harness::{Harness, array, ids, raw_ids};

#[tokio::test]
async fn list_log_entries_matches_the_api_with_filters() {
    let h = Harness::read_only().await;
    let team = h.sim.state().teams()[0].id.clone();
    let since = (h.sim.now() - jiff::SignedDuration::from_hours(72)).to_string();
    let got = h
        .ok(
            "list_log_entries",
            json!({"query_model": {"since": since, "is_overview": true, "team_ids": [team], "limit": 40, "total": true, "time_zone": "Asia/Tokyo"}}),
        )
        .await;
    let raw = h
        .raw(&format!(
            "/log_entries?since={since}&is_overview=true&team_ids[]={team}&limit=40&total=true"
        ))
        .await;
    let raw_ids = raw_ids(&raw, "log_entries");
    assert!(!raw_ids.is_empty());
    assert_eq!(ids(&got), raw_ids);
    assert_eq!(got["total"], raw["total"]);
    for e in array(&got["items"]) {
        assert!(
            [
                "trigger_log_entry",
                "acknowledge_log_entry",
                "resolve_log_entry",
                "assign_log_entry",
                "escalate_log_entry"
            ]
            .contains(&e["type"].as_str().unwrap()),
            "{e}"
        );
        assert!(e["created_at"].as_str().unwrap().ends_with("+09:00"), "{e}");
        assert!(e["incident"].get("self").is_none());
    }
    // include=incidents embeds the incident (its status), trimmed of links.
    let inc = h
        .ok(
            "list_log_entries",
            json!({"query_model": {"limit": 1, "include": ["incidents"]}}),
        )
        .await;
    assert!(inc["items"][0]["incident"]["status"].is_string(), "{inc}");
    assert!(inc["items"][0]["incident"].get("html_url").is_none());
}

#[tokio::test]
async fn get_log_entry_by_id() {
    let h = Harness::read_only().await;
    let entry = h
        .sim
        .state()
        .account()
        .log_entries
        .iter()
        .rev()
        .find(|e| e.kind == "notify_log_entry")
        .unwrap()
        .clone();
    let got = h
        .ok("get_log_entry", json!({"log_entry_id": entry.id}))
        .await;
    assert_eq!(got["type"], "notify_log_entry");
    assert_eq!(got["summary"], entry.summary.as_str());
    assert_eq!(got["incident"]["id"], entry.incident_id.as_str());
    assert_eq!(got["user"]["id"], entry.user_id.unwrap().as_str());
}
