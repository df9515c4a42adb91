//! Property tests of argument decoding: any JSON arguments to any tool give a result or a
//! tool error naming the problem, never a panic, and nothing is sent for arguments that fail.

use pagerduty::{ApiHost, Client};
use pagerduty_mcp::context::Ctx;
use pagerduty_mcp::error::ToolError;
use pagerduty_mcp::registry::Registry;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::from),
        Just(Value::from("../users/me")),
        Just(Value::from("P1?x=#")),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,16}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Arguments named as `tool`'s own parameters (from its input schema), common ones and
/// random ones, with any JSON values.
fn arguments(own: Vec<String>) -> impl Strategy<Value = Map<String, Value>> {
    let common = [
        "incident_id",
        "limit",
        "statuses",
        "manage_request",
        "incident",
        "query_model",
        "service_id",
        "since",
    ];
    let known: Vec<String> = own
        .into_iter()
        .chain(common.iter().map(|s| (*s).to_owned()))
        .collect();
    let names = prop_oneof![
        3 => prop::sample::select(known),
        1 => "[a-z_]{1,12}",
    ];
    prop::collection::btree_map(names, json(), 0..4).prop_map(|m| m.into_iter().collect())
}

/// Cases per tool: every registered tool is exercised, not a sample of them.
const CASES_PER_TOOL: u32 = 12;

#[test]
fn any_arguments_to_any_tool_decode_or_fail_cleanly() {
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // No credential and an unroutable host: nothing can be sent, so every outcome is local.
    let client = Client::builder(ApiHost::parse("http://127.0.0.1:9", false).unwrap()).build();
    let mut tried = 0;
    for def in registry.iter() {
        let own: Vec<String> = def
            .tool()
            .input_schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut runner = TestRunner::new(ProptestConfig {
            cases: CASES_PER_TOOL,
            failure_persistence: None,
            ..ProptestConfig::default()
        });
        runner
            .run(&arguments(own), |args| {
                let outcome = rt.block_on(def.call(
                    Ctx {
                        pd: client.clone(),
                        routing_key: None,
                    },
                    args,
                ));
                match outcome {
                    Ok(v) => prop_assert!(v.is_object()),
                    Err(ToolError::InvalidArgument { message, .. }) => {
                        prop_assert!(!message.is_empty())
                    }
                    Err(ToolError::PagerDuty(pagerduty::Error::MissingCredential)) => {}
                    Err(ToolError::PagerDuty(pagerduty::Error::InvalidId(_))) => {}
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", def.name()));
        tried += 1;
    }
    // Positive control: the loop reached every tool the server defines.
    assert_eq!(tried, pagerduty_mcp::tools::all().len());
}
