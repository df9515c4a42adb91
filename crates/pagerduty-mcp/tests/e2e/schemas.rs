//! The tool contract: names, annotations and schemas are pinned by a snapshot, so any change
//! to what clients see is deliberate (`cargo insta review` to accept one).

use pagerduty_mcp::registry::Registry;
use serde_json::{Value, json};

#[test]
fn tool_contract_snapshot() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let tools: Vec<Value> = registry.iter().map(|t| json!(t.tool())).collect();
    insta::assert_json_snapshot!("tools", tools);
}

#[test]
fn tools_list_stays_small() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let read: Vec<Value> = registry
        .iter()
        .filter(|t| !t.access.is_write())
        .map(|t| json!(t.tool()))
        .collect();
    let bytes = serde_json::to_string(&read).unwrap().len();
    // About 770 bytes a tool: descriptions, input schemas, output schemas naming the
    // top-level fields (about 190 of the 770).
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

/// Every tool's real results are checked against its output schema by the harness
/// (`harness::check_output`), in whichever test calls it; this makes sure every tool is called
/// by some test other than the ones that only list names.
#[test]
fn every_tool_is_called_so_its_result_is_checked_against_its_output_schema() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e");
    let mut sources = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Lists of names only: the tool contract and the official server's tools.
        if name.ends_with(".rs") && !["protocol.rs", "parity.rs", "schemas.rs"].contains(&&*name) {
            sources.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let uncalled: Vec<&str> = registry
        .iter()
        .map(|t| t.name())
        .filter(|n| !sources.contains(&format!("\"{n}\"")))
        .collect();
    assert!(uncalled.is_empty(), "tools no test calls: {uncalled:?}");
    // Positive control: a checked result that does not match is refused.
    let bad = std::panic::catch_unwind(|| {
        crate::harness::check_output("list_incidents", &json!({"items": "not a list"}))
    });
    assert!(bad.is_err(), "a wrong result type is caught");
    crate::harness::check_output("list_incidents", &json!({"items": [], "more": false}));
}

#[test]
fn output_schemas_name_the_top_level_fields_and_no_schema_is_a_boolean() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    fn booleans(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, sub) in o {
                    // `additionalProperties: false` is the one boolean every back end takes.
                    if sub.is_boolean() && k != "additionalProperties" && !is_keyword_value(k) {
                        out.push(format!("{path}.{k}"));
                    }
                    booleans(sub, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(a) => {
                for (i, sub) in a.iter().enumerate() {
                    if sub.is_boolean() && path.ends_with("Of") {
                        out.push(format!("{path}[{i}]"));
                    }
                    booleans(sub, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    // Keywords whose value is a boolean by definition, not a subschema.
    fn is_keyword_value(k: &str) -> bool {
        matches!(
            k,
            "uniqueItems" | "readOnly" | "writeOnly" | "deprecated" | "default" | "const"
        )
    }
    let mut found = Vec::new();
    for t in registry.iter() {
        let tool = json!(t.tool());
        booleans(
            &tool["inputSchema"],
            &format!("{}.input", t.name()),
            &mut found,
        );
        booleans(
            &tool["outputSchema"],
            &format!("{}.output", t.name()),
            &mut found,
        );
    }
    assert!(found.is_empty(), "boolean subschemas: {found:?}");
    let tool = |n: &str| json!(registry.get(n).unwrap().tool());
    let list = &tool("list_incidents")["outputSchema"]["properties"];
    assert_eq!(list["items"], json!({"type": "array"}));
    assert_eq!(list["more"], json!({"type": "boolean"}));
    assert_eq!(list["next_offset"], json!({"type": "integer"}));
    let incident = &tool("get_incident")["outputSchema"]["properties"];
    assert_eq!(incident["id"], json!({"type": "string"}));
    assert_eq!(incident["assignments"], json!({"type": "array"}));
    assert_eq!(incident["service"], json!({"type": "object"}));
    assert_eq!(incident["incident_number"], json!({"type": "integer"}));
}
