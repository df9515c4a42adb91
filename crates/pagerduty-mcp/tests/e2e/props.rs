//! Property tests of argument decoding: any JSON arguments to any tool give a result or a
//! tool error naming the problem, never a panic, and nothing is sent for arguments that fail.

use pagerduty::{ApiHost, Client};
use pagerduty_mcp::context::Ctx;
use pagerduty_mcp::error::ToolError;
use pagerduty_mcp::registry::Registry;
use proptest::prelude::*;
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

fn arguments() -> impl Strategy<Value = Map<String, Value>> {
    let names = prop_oneof![
        Just("incident_id".to_owned()),
        Just("limit".to_owned()),
        Just("statuses".to_owned()),
        Just("manage_request".to_owned()),
        Just("incident".to_owned()),
        Just("query_model".to_owned()),
        Just("service_id".to_owned()),
        Just("since".to_owned()),
        "[a-z_]{1,12}",
    ];
    prop::collection::btree_map(names, json(), 0..4).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_arguments_to_any_tool_decode_or_fail_cleanly(tool in 0usize..64, args in arguments()) {
        let registry = Registry::new(pagerduty_mcp::tools::all());
        let defs: Vec<_> = registry.iter().collect();
        let def = defs[tool % defs.len()];
        // No credential and an unroutable host: nothing can be sent, so every outcome is local.
        let client = Client::builder(ApiHost::parse("http://127.0.0.1:9", false).unwrap()).build().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = rt.block_on(def.call(
            Ctx {
                pd: client,
                routing_key: None,
            },
            args,
        ));
        match outcome {
            Ok(v) => prop_assert!(v.is_object()),
            Err(ToolError::InvalidArgument { message, .. }) => prop_assert!(!message.is_empty()),
            Err(ToolError::PagerDuty(pagerduty::Error::MissingCredential)) => {}
            Err(ToolError::PagerDuty(pagerduty::Error::InvalidId(_))) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
