//! Priorities.

use serde_json::json;

use crate::harness::{Harness, ids};

#[tokio::test]
async fn list_priorities_in_account_order() {
    let h = Harness::read_only().await;
    let got = h.ok("list_priorities", json!({})).await;
    let want: Vec<String> = h
        .sim
        .state()
        .priorities()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(ids(&got), want);
    assert_eq!(got["items"][0]["name"], "P1");
    assert_eq!(got["more"], false);
}
