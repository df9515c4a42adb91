//! Event orchestration tools: reads checked against the simulator, router replace and
//! append (persisted), and bad input.

use serde_json::{Value, json};

use crate::harness::{Harness, array, ids, named, raw_ids};

async fn first_orchestration(h: &Harness) -> (String, Value) {
    let raw = h.raw("/event_orchestrations?limit=100").await;
    let eo = named(&raw["orchestrations"], "Storefront events").clone();
    (eo["id"].as_str().unwrap().to_owned(), raw)
}

fn rule_labels(path: &Value) -> Vec<String> {
    array(&path["sets"][0]["rules"])
        .iter()
        .map(|r| r["label"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn orchestrations_list_get_and_paths() {
    let h = Harness::read_only().await;
    let (id, raw) = first_orchestration(&h).await;
    let all = h.ok("list_event_orchestrations", json!({})).await;
    let raw_ids = raw_ids(&raw, "orchestrations");
    assert_eq!(ids(&all), raw_ids);
    assert_eq!(raw_ids.len(), 2);
    assert!(all["items"][0]["routes"].as_u64().unwrap() >= 1);
    // Sorted by name (default), and reversed with name:desc.
    let desc = h
        .ok(
            "list_event_orchestrations",
            json!({"sort_by": "name:desc", "limit": 1}),
        )
        .await;
    assert_eq!(ids(&desc), vec![id.clone()]);
    assert_eq!(desc["more"], true);

    let one = h
        .ok("get_event_orchestration", json!({"orchestration_id": id}))
        .await;
    let raw_one = h.raw_one(&format!("/event_orchestrations/{id}")).await;
    assert_eq!(one["name"], raw_one["name"]);
    assert_eq!(
        one["integrations"][0]["parameters"]["routing_key"],
        raw_one["integrations"][0]["parameters"]["routing_key"]
    );
    assert!(one.get("self").is_none());

    let router = h
        .ok(
            "get_event_orchestration_router",
            json!({"orchestration_id": id}),
        )
        .await;
    let raw_router =
        h.raw(&format!("/event_orchestrations/{id}/router")).await["orchestration_path"].clone();
    assert_eq!(router["type"], "router");
    assert_eq!(router["sets"][0]["id"], "start");
    assert_eq!(router["sets"][0]["rules"], raw_router["sets"][0]["rules"]);
    let checkout = &router["sets"][0]["rules"][0];
    assert_eq!(
        checkout["conditions"][0]["expression"],
        "event.summary matches part 'checkout'"
    );
    let services = h.raw("/services?limit=100").await;
    let checkout_api = named(&services["services"], "Checkout API");
    assert_eq!(checkout["actions"]["route_to"], checkout_api["id"]);

    let global = h
        .ok(
            "get_event_orchestration_global",
            json!({"orchestration_id": id}),
        )
        .await;
    assert_eq!(global["type"], "global");
    assert_eq!(
        rule_labels(&global),
        rule_labels(
            &h.raw(&format!("/event_orchestrations/{id}/global")).await["orchestration_path"]
        )
    );

    let sid = checkout_api["id"].as_str().unwrap();
    let svc = h
        .ok(
            "get_event_orchestration_service",
            json!({"service_id": sid}),
        )
        .await;
    assert_eq!(svc["type"], "service");
    assert_eq!(svc["parent"]["id"], sid);
    assert!(rule_labels(&svc).contains(&"Warnings are low priority".to_owned()));
}

#[tokio::test]
async fn router_replace_and_append_persist() {
    let h = Harness::with_writes().await;
    let (id, _) = first_orchestration(&h).await;
    let services = h.raw("/services?limit=100").await;
    let sid = |name: &str| {
        named(&services["services"], name)["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before =
        h.raw(&format!("/event_orchestrations/{id}/router")).await["orchestration_path"].clone();
    let keep = before["sets"][0]["rules"][0].clone();

    // Replace: keep the first rule (by id), add a new one, route the rest to Search.
    let replaced = h
        .ok(
            "update_event_orchestration_router",
            json!({"orchestration_id": id, "router_update": {"orchestration_path": {
                "type": "router",
                "sets": [{"id": "start", "rules": [
                    keep,
                    {"label": "Auth errors", "conditions": [{"expression": "event.summary matches part 'login'"}], "actions": {"route_to": sid("Auth Service")}},
                ]}],
                "catch_all": {"actions": {"route_to": sid("Search")}},
            }}}),
        )
        .await;
    let after =
        h.raw(&format!("/event_orchestrations/{id}/router")).await["orchestration_path"].clone();
    assert_eq!(replaced["sets"], after["sets"]);
    let rules = array(&after["sets"][0]["rules"]);
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["id"], keep["id"]);
    assert_eq!(rules[1]["label"], "Auth errors");
    assert!(rules[1]["id"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(after["catch_all"]["actions"]["route_to"], sid("Search"));
    let eo = h.raw(&format!("/event_orchestrations/{id}")).await;
    assert_eq!(eo["orchestration"]["routes"], 2);

    // Append keeps every rule and the catch-all, and adds one at the end.
    let appended = h
        .ok(
            "append_event_orchestration_router_rule",
            json!({"orchestration_id": id, "new_rule": {
                "label": "Mobile crashes",
                "conditions": [{"expression": "event.summary matches part 'crash'"}],
                "actions": {"route_to": sid("Mobile Backend")},
            }}),
        )
        .await;
    let after2 =
        h.raw(&format!("/event_orchestrations/{id}/router")).await["orchestration_path"].clone();
    assert_eq!(appended["sets"], after2["sets"]);
    assert_eq!(
        rule_labels(&after2),
        vec![
            rules[0]["label"].as_str().unwrap().to_owned(),
            "Auth errors".to_owned(),
            "Mobile crashes".to_owned()
        ]
    );
    assert_eq!(after2["sets"][0]["rules"][1]["id"], rules[1]["id"]);
    assert_eq!(after2["sets"][0]["rules"][2]["disabled"], false);
    assert_eq!(after2["catch_all"]["actions"]["route_to"], sid("Search"));
}

#[tokio::test]
async fn router_writes_bad_input() {
    let h = Harness::with_writes().await;
    let (id, _) = first_orchestration(&h).await;
    let before = h.raw(&format!("/event_orchestrations/{id}/router")).await;
    // Unknown service: refused before anything is written.
    h.err_table(&[
        (
            "append_event_orchestration_router_rule",
            json!({"orchestration_id": id, "new_rule": {
            "conditions": [{"expression": "event.summary matches part 'x'"}],
            "actions": {"route_to": "PNOSVC1"},
        }}),
            &["new_rule.actions.route_to", "PNOSVC1"],
        ),
        (
            "update_event_orchestration_router",
            json!({"orchestration_id": id, "router_update": {"orchestration_path": {
            "sets": [{"id": "first", "rules": []}],
            "catch_all": {"actions": {}},
        }}}),
            &["sets[0].id", "start"],
        ),
        (
            "update_event_orchestration_router",
            json!({"orchestration_id": id, "router_update": {"orchestration_path": {
                "sets": [{"id": "start", "rules": [{"conditions": [{"expression": " "}], "actions": {"route_to": "PX"}}]}],
                "catch_all": {"actions": {}},
            }}}),
            &["expression"],
        ),
    ])
    .await;
    assert_eq!(
        h.raw(&format!("/event_orchestrations/{id}/router")).await,
        before
    );
}
