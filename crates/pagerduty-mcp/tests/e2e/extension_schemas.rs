use serde_json::json;

use crate::harness::{Harness, ids};

#[tokio::test]
async fn extension_schemas_list_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw("/extension_schemas?limit=100").await["extension_schemas"].clone();
    let all = h.ok("list_extension_schemas", json!({})).await;
    let raw_ids: Vec<&str> = raw
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&all), raw_ids);
    let labels: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Slack V2") && labels.contains(&"ServiceNow (v7)"),
        "{labels:?}"
    );

    let first = &raw[0];
    let one = h
        .ok("get_extension_schema", json!({"schema_id": first["id"]}))
        .await;
    assert_eq!(one["key"], first["key"]);
    assert_eq!(one["send_types"], first["send_types"]);
    assert!(one.get("self").is_none() && one.get("icon_url").is_none());

    let two = h.ok("list_extension_schemas", json!({"limit": 2})).await;
    assert_eq!(ids(&two), raw_ids[..2]);
    assert_eq!(two["next_offset"], 2);
}

#[tokio::test]
async fn extension_schemas_bad_input() {
    let h = Harness::read_only().await;
    let msg = h
        .err("get_extension_schema", json!({"schema_id": "PNOPE00"}))
        .await;
    assert!(
        msg.contains("Extension schema PNOPE00 was not found"),
        "{msg}"
    );
    let msg = h
        .err("list_extension_schemas", json!({"limit": 5000}))
        .await;
    assert!(msg.contains("`limit`"), "{msg}");
}
