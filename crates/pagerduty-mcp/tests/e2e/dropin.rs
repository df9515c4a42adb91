//! A true drop-in for PagerDuty's own server: references in the shapes it accepts, scalars as
//! strings, ids as numbers; and filters PagerDuty does not declare are applied here.

use serde_json::json;

use crate::harness::{Harness, array, ids};

fn first_service(h: &Harness) -> (String, String) {
    let s = h.sim.state().services()[0].clone();
    (s.id, s.name)
}

#[tokio::test]
async fn references_in_every_shape_are_accepted() {
    let h = Harness::with_writes().await;
    let (sid, sname) = first_service(&h);
    let me = h.sim.state().demo_user().unwrap();
    // As a read result gives them: id, type, summary, self, html_url.
    let full = |id: &str, kind: &str, summary: &str| {
        json!({"id": id, "type": kind, "summary": summary,
               "self": format!("https://api.pagerduty.com/x/{id}"),
               "html_url": format!("https://acme.pagerduty.com/x/{id}")})
    };
    for service in [
        json!({"id": sid}),
        json!({"id": sid, "summary": sname}),
        json!({"id": sid, "type": "service_reference", "summary": sname}),
        full(&sid, "service_reference", &sname),
    ] {
        let made = h
            .ok(
                "create_incident",
                json!({"incident": {"title": "Shapes", "service": service,
                       "assignments": [{"assignee": {"id": me.id, "type": "user_reference", "summary": me.name}}]}}),
            )
            .await;
        assert_eq!(made["service"]["id"], sid.as_str());
        let iid = made["id"].as_str().unwrap();
        let managed = h
            .ok(
                "manage_incidents",
                json!({"manage_request": {"incident_ids": [iid],
                       "assignment": full(&me.id, "user_reference", &me.name)}}),
            )
            .await;
        assert_eq!(managed["incidents"][0]["id"], iid);
    }
    let ep = h.sim.state().escalation_policies()[0].clone();
    let team = h.sim.state().teams()[0].clone();
    let svc = h
        .ok(
            "create_service",
            json!({"service_data": {"service": {"name": "Shapes svc",
                   "escalation_policy": {"id": ep.id, "type": "escalation_policy_reference", "summary": ep.name},
                   "teams": [{"id": team.id, "type": "team_reference", "summary": team.name}]}}}),
        )
        .await;
    assert_eq!(svc["escalation_policy"]["id"], ep.id.as_str());

    // The negative control: a reference still needs its id.
    h.err_says(
        "create_incident",
        json!({"incident": {"title": "x", "service": {"idd": sid, "summary": sname}}}),
        &["missing field `id`"],
    )
    .await;
}

#[tokio::test]
async fn numbers_and_booleans_as_strings_and_ids_as_numbers() {
    let h = Harness::with_writes().await;
    let got = h.ok("list_incidents", json!({"limit": "2"})).await;
    assert_eq!(ids(&got).len(), 2);
    let as_number = h.ok("list_incidents", json!({"limit": 2})).await;
    assert_eq!(ids(&got), ids(&as_number));

    // An incident number given as a JSON number (the MCP Inspector CLI's habit).
    let number = h.sim.state().incidents()[0].number;
    let one = h.ok("get_incident", json!({"incident_id": number})).await;
    assert_eq!(one["incident_number"], number);

    // A boolean as a string: a dry run plans and sends nothing.
    let (sid, _) = first_service(&h);
    let before = h.sim.state().incidents().len();
    let plan = h
        .ok(
            "create_incident",
            json!({"incident": {"title": "Planned", "service": {"id": sid}}, "dry_run": "true"}),
        )
        .await;
    assert_eq!(plan["dry_run"], true, "{plan}");
    assert_eq!(h.sim.state().incidents().len(), before);

    // Negative controls: ambiguous strings are still refused.
    for bad in [json!({"limit": "twenty"}), json!({"limit": "2.5"})] {
        h.err_says("list_incidents", bad, &["limit"]).await;
    }
    h.err_says(
        "create_incident",
        json!({"incident": {"title": "x", "service": {"id": sid}}, "dry_run": "yes"}),
        &["dry_run"],
    )
    .await;
}

#[tokio::test]
async fn the_priority_filter_is_applied_here() {
    // The spec still declares no priority filter on GET /incidents (if it ever does, send it).
    let Some(spec) = crate::harness::rest_spec("the priority filter check") else {
        return;
    };
    let params = spec["paths"]["/incidents"]["get"]["parameters"].to_string();
    assert!(params.contains("statuses_incidents"), "positive control");
    assert!(
        !params.contains("priorit"),
        "GET /incidents now declares a priority filter"
    );

    let h = Harness::read_only().await;
    let all = h.ok("list_incidents", json!({"limit": 1000})).await;
    let items = array(&all["items"]);
    let pid = items
        .iter()
        .find_map(|i| i["priority"]["id"].as_str())
        .expect("a seeded incident with a priority")
        .to_owned();
    let expected: Vec<&str> = items
        .iter()
        .filter(|i| i["priority"]["id"] == pid.as_str())
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(expected.len() < items.len(), "the filter removes something");
    h.sim.clear_requests();
    let got = h
        .ok(
            "list_incidents",
            json!({"priority_ids": [pid], "limit": 1000}),
        )
        .await;
    assert_eq!(ids(&got), expected);
    assert!(
        got["priority_filter"]
            .as_str()
            .unwrap()
            .contains("applied by this server"),
        "{got}"
    );
    let log = h.sim.requests();
    assert!(log.count("GET", "/incidents") >= 1);
    assert!(
        log.entries
            .iter()
            .all(|r| !r.query.as_deref().unwrap_or("").contains("priority")),
        "no undeclared priority parameter is sent"
    );
    // Paging counts filtered incidents.
    if expected.len() > 1 {
        let page = h
            .ok(
                "list_incidents",
                json!({"priority_ids": [pid], "limit": 1, "offset": 1}),
            )
            .await;
        assert_eq!(ids(&page), vec![expected[1].to_owned()]);
        assert_eq!(page["more"], expected.len() > 2);
    }
}
