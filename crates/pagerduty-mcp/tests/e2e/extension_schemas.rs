use serde_json::json;

use crate::harness::{Harness, ids, ids_of, strs};

#[tokio::test]
async fn extension_schemas_list_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw_list("/extension_schemas?limit=100").await;
    let all = h.ok("list_extension_schemas", json!({})).await;
    let labels = strs(&all["items"], "label");
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
    assert_eq!(ids(&two), ids_of(&raw[..2]));
    assert_eq!(two["next_offset"], 2);
}
