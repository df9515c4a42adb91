//! The Claude Desktop bundle's manifest (packaging/mcpb/manifest.json) against the server: the
//! environment it builds from the user's configuration is what the server reads. The token
//! authenticates, the region is the API host, and the write switch is honoured both ways.

use std::collections::BTreeMap;

use pagerduty_sim::tokens;
use serde_json::{Value, json};

use crate::harness::{Harness, Options};

/// The manifest's `mcp_config.env` with `${user_config.*}` filled in as Claude Desktop does.
fn bundle_env(config: &Value) -> BTreeMap<String, String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packaging/mcpb/manifest.json"
    );
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let user_config = manifest["user_config"].as_object().unwrap();
    assert_eq!(
        user_config["api_token"]["sensitive"], true,
        "the token goes to the keychain"
    );
    let env = manifest["server"]["mcp_config"]["env"].as_object().unwrap();
    env.iter()
        .map(|(k, v)| {
            let v = v.as_str().unwrap();
            let key = v
                .strip_prefix("${user_config.")
                .and_then(|r| r.strip_suffix('}'))
                .unwrap_or_else(|| panic!("{k}: {v} is not a user_config value"));
            let value = config.get(key).unwrap_or(&user_config[key]["default"]);
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), value)
        })
        .collect()
}

async fn start(config: Value) -> Harness {
    let mut env = bundle_env(&config);
    // The region setting carries the API host; the harness points it at the simulator.
    assert_eq!(
        env.remove("PAGERDUTY_API_HOST").as_deref(),
        Some("https://api.pagerduty.com")
    );
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Harness::start(Options {
        token: None,
        env: &env,
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn the_bundles_settings_reach_the_server() {
    let read_only = start(json!({"api_token": tokens::DEMO_USER_TOKEN})).await;
    let me = read_only.ok("get_user_data", json!({})).await;
    assert_eq!(me["email"], tokens::DEMO_USER_EMAIL);
    let tools = read_only.tools().await;
    assert!(
        !tools.iter().any(|t| t.name == "manage_incidents"),
        "read-only by default"
    );

    let writes =
        start(json!({"api_token": tokens::DEMO_USER_TOKEN, "enable_write_tools": true})).await;
    assert!(
        writes
            .tools()
            .await
            .iter()
            .any(|t| t.name == "manage_incidents")
    );
}
