//! The tool contract: names, annotations and schemas are pinned by a snapshot, so any change
//! to what clients see is deliberate (`cargo insta review` to accept one).

use pagerduty_mcp::registry::Registry;
use serde_json::{Value, json};

#[test]
fn tool_contract_snapshot() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let tools: Vec<Value> = registry.iter().map(|t| json!(t.tool)).collect();
    insta::assert_json_snapshot!("tools", tools);
}

#[test]
fn tools_list_stays_small() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let read: Vec<Value> = registry
        .iter()
        .filter(|t| !t.access.is_write())
        .map(|t| json!(t.tool))
        .collect();
    let bytes = serde_json::to_string(&read).unwrap().len();
    // About 700 bytes a tool: descriptions and input schemas in full, bare output schemas.
    assert!(
        bytes < read.len() * 800,
        "read-only tools/list grew to {bytes} bytes"
    );
}

#[test]
fn readme_tool_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme
        .find("<!-- tools:start")
        .expect("README has the tool table markers");
    let start = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme.find("<!-- tools:end -->").unwrap();
    let expected = Registry::new(pagerduty_mcp::tools::all()).markdown_table();
    assert!(
        readme[start..end] == expected,
        "README.md's tool table is stale: replace it with the output of `cargo run -p pagerduty-mcp -- tools --markdown`"
    );
}
