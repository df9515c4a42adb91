//! Context economy: --toolsets loads only some domains; the output budget cuts big results
//! and says how to get the rest.

use serde_json::json;

use crate::harness::{Harness, ids, raw_ids};

#[tokio::test]
async fn toolsets_filter_the_tool_list() {
    let h = Harness::with_args(&["--toolsets", "oncall,people"]).await;
    let names: Vec<String> = h.tools().await.iter().map(|t| t.name.to_string()).collect();
    assert!(
        names.contains(&"list_oncalls".to_owned()) && names.contains(&"get_user_data".to_owned())
    );
    assert!(!names.contains(&"list_incidents".to_owned()), "{names:?}");
    h.err_says(
        "list_incidents",
        json!({}),
        &["`incidents` toolset", "--toolsets"],
    )
    .await;
}

#[tokio::test]
async fn big_results_are_cut_to_the_budget_with_a_way_on() {
    let h = Harness::with_args(&["--max-output-bytes", "4000"]).await;
    let r = h
        .call("list_incidents", json!({"limit": 40, "offset": 3}))
        .await;
    let text = crate::harness::text(&r);
    assert!(text.len() <= 4000, "{} bytes", text.len());
    let v = r.structured_content.unwrap();
    let kept = ids(&v).len();
    assert!(kept > 0 && kept < 40);
    assert_eq!(v["more"], true);
    assert_eq!(v["next_offset"], 3 + kept as u64);
    assert!(
        v["truncated"]
            .as_str()
            .unwrap()
            .contains(&format!("offset={}", 3 + kept))
    );
    // The kept items are the head of the real page, and next_offset continues right after them.
    let raw = h
        .raw("/incidents?sort_by=created_at:desc&offset=3&limit=40")
        .await;
    let raw_ids = raw_ids(&raw, "incidents");
    assert_eq!(ids(&v), raw_ids[..kept]);
    let next = h
        .ok("list_incidents", json!({"limit": 1, "offset": 3 + kept}))
        .await;
    assert_eq!(ids(&next)[0], raw_ids[kept]);
}
