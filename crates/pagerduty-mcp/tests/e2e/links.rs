//! Links a person can click, and the facts PagerDuty's own server returns: every object with a
//! page in PagerDuty keeps its `html_url`, as the simulator (like PagerDuty) gives it.

use serde_json::{Value, json};

use crate::harness::{Harness, array};

/// The object's `html_url`: https, on the account's domain, naming the object.
fn link(v: &Value, what: &str) -> String {
    let url = v["html_url"]
        .as_str()
        .unwrap_or_else(|| panic!("{what} has no html_url: {v}"));
    assert!(
        url.starts_with("https://") && url.contains(".pagerduty.com/"),
        "{what}: {url}"
    );
    let id = v["id"].as_str().unwrap();
    assert!(url.contains(id), "{what}: {url} does not name {id}");
    url.to_owned()
}

#[tokio::test]
async fn every_object_with_a_page_keeps_its_link() {
    let h = Harness::read_only().await;
    let st = h.sim.state();
    let incident = st
        .incidents()
        .into_iter()
        .find(|i| !i.alerts.is_empty())
        .expect("an incident with alerts");
    let got = h
        .ok("get_incident", json!({"incident_id": incident.id}))
        .await;
    // The simulator's own answer is the ground truth.
    let raw = h.raw(&format!("/incidents/{}", incident.id)).await;
    assert_eq!(link(&got, "incident"), raw["incident"]["html_url"]);
    // A reference inside stays a reference (id, type, summary).
    assert!(got["service"].get("html_url").is_none(), "{got}");

    let alerts = h
        .ok(
            "list_alerts_from_incident",
            json!({"incident_id": incident.id}),
        )
        .await;
    let alert = &alerts["items"][0];
    link(alert, "alert");
    assert_eq!(alert["suppressed"], false, "the flag is always given");
    let raw_alert = &h.raw(&format!("/incidents/{}/alerts", incident.id)).await["alerts"][0];
    assert_eq!(alert["integration"]["id"], raw_alert["integration"]["id"]);
    assert!(alert["integration"]["id"].is_string(), "{alert}");

    let service = h
        .ok("get_service", json!({"service_id": st.services()[0].id}))
        .await;
    link(&service, "service");
    let schedule = h
        .ok("get_schedule", json!({"schedule_id": st.schedules()[0].id}))
        .await;
    link(&schedule, "schedule");
    let listed = h.ok("list_schedules", json!({})).await;
    assert!(
        array(&listed["items"])
            .iter()
            .any(|s| s["html_url"].is_string()),
        "{listed}"
    );
    let ep = h
        .ok(
            "get_escalation_policy",
            json!({"policy_id": st.escalation_policies()[0].id}),
        )
        .await;
    link(&ep, "escalation policy");
    assert_eq!(
        ep["escalation_rules"][0]["escalation_rule_assignment_strategy"], "assign_to_everyone",
        "{ep}"
    );
    let me = h.ok("get_user_data", json!({})).await;
    link(&me, "user");
    let team = h.ok("get_team", json!({"team_id": st.teams()[0].id})).await;
    link(&team, "team");
    let entries = h
        .ok("list_log_entries", json!({"query_model": {"limit": 5}}))
        .await;
    let entry = &entries["items"][0];
    link(entry, "log entry");
    assert!(
        entry["event_details"].is_object(),
        "a log entry's event_details: {entry}"
    );
}
