//! MCP resources: templates for incidents, services, schedules and escalation policies, read
//! as the matching read tool's JSON, and the open incidents as a resource list.

use std::collections::BTreeSet;

use rmcp::model::{CacheScope, ErrorCode, ReadResourceRequestParams, ResourceContents};
use serde_json::{Value, json};

use crate::harness::Harness;

async fn read(h: &Harness, uri: &str) -> Result<(Value, rmcp::model::ReadResourceResult), String> {
    let r = h
        .client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await
        .map_err(|e| e.to_string())?;
    let ResourceContents::TextResourceContents {
        text,
        mime_type,
        uri: got,
        ..
    } = &r.contents[0]
    else {
        panic!("text contents: {r:?}")
    };
    assert_eq!(got, uri);
    assert_eq!(mime_type.as_deref(), Some("application/json"));
    assert!(!text.contains('\n'), "compact JSON");
    Ok((serde_json::from_str(text).unwrap(), r))
}

#[tokio::test]
async fn each_template_reads_what_its_tool_returns() {
    let h = Harness::read_only().await;
    let version = h.client.peer_info().unwrap().protocol_version.clone();
    let modern = version.as_str() >= "2026-07-28";
    let templates = h.client.list_all_resource_templates().await.unwrap();
    let uris: Vec<_> = templates.iter().map(|t| t.uri_template.as_str()).collect();
    assert_eq!(
        uris,
        [
            "pagerduty://incidents/{id}",
            "pagerduty://services/{id}",
            "pagerduty://schedules/{id}",
            "pagerduty://escalation_policies/{id}"
        ]
    );
    let state = h.sim.state();
    let incident = state.incidents()[0].id.clone();
    let service = state.services()[0].id.clone();
    let schedule = state.schedules()[0].id.clone();
    let policy = state.escalation_policies()[0].id.clone();
    // Each template, its object's id, and the read tool with the argument naming that id.
    for (kind, id, tool, key) in [
        ("incidents", incident, "get_incident", "incident_id"),
        ("services", service, "get_service", "service_id"),
        ("schedules", schedule, "get_schedule", "schedule_id"),
        (
            "escalation_policies",
            policy,
            "get_escalation_policy",
            "policy_id",
        ),
    ] {
        let uri = format!("pagerduty://{kind}/{id}");
        let (value, r) = read(&h, &uri).await.unwrap();
        assert_eq!(value, h.ok(tool, json!({ key: id })).await, "{uri}");
        // Caching hints are a 2026-07-28 feature: private, short for incidents.
        if modern {
            assert_eq!(r.cache_scope, Some(CacheScope::Private), "{uri}");
            let ttl = r.ttl_ms.unwrap();
            let most = if tool == "get_incident" {
                5_000
            } else {
                60_000
            };
            assert!((1..=most).contains(&ttl), "{uri}: {ttl}");
        } else {
            assert_eq!((r.ttl_ms, r.cache_scope), (None, None), "{uri}");
        }
    }
}

#[tokio::test]
async fn unknown_ids_and_uris_are_not_found() {
    let h = Harness::read_only().await;
    for uri in [
        "pagerduty://incidents/QZZZZZZZZZZZZZ",
        "pagerduty://services/PNOSUCH",
        "pagerduty://users/P1",
        "pagerduty://incidents/../users/me",
    ] {
        let err = read(&h, uri).await.unwrap_err();
        // 2026-07-28 turns the resource-not-found code into invalid params (SEP-2164).
        let codes = [ErrorCode::RESOURCE_NOT_FOUND.0, ErrorCode::INVALID_PARAMS.0];
        assert!(
            codes.iter().any(|c| err.contains(&c.to_string())),
            "{uri}: {err}"
        );
    }
    // Positive control: a real id reads.
    let id = h.sim.state().services()[0].id.clone();
    assert!(
        read(&h, &format!("pagerduty://services/{id}"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_resource_list_is_every_open_incident() {
    let h = Harness::read_only().await;
    let listed: BTreeSet<String> = h
        .client
        .list_all_resources()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.uri.clone())
        .collect();
    let open: BTreeSet<String> = h
        .sim
        .state()
        .incidents()
        .into_iter()
        .filter(|i| i.is_open())
        .map(|i| format!("pagerduty://incidents/{}", i.id))
        .collect();
    assert!(!open.is_empty());
    assert_eq!(listed, open);
}

#[tokio::test]
async fn toolsets_without_the_reading_tools_offer_no_resources() {
    let h = Harness::with_args(&["--toolsets", "people"]).await;
    assert!(
        h.client
            .list_all_resource_templates()
            .await
            .unwrap()
            .is_empty()
    );
    assert!(h.client.list_all_resources().await.unwrap().is_empty());
    let id = h.sim.state().services()[0].id.clone();
    let err = read(&h, &format!("pagerduty://services/{id}"))
        .await
        .unwrap_err();
    assert!(err.contains("--toolsets"), "{err}");
}
