//! Fuzzes what a client can send on stdio: one JSON-RPC line. Parsing must never panic, and a
//! `tools/call` must decode its arguments into a result or a clean tool error.
//! Run: `cargo fuzz run jsonrpc` from the repository root (see README, Security).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pagerduty::{ApiHost, Client};
use pagerduty_mcp::context::Ctx;
use pagerduty_mcp::registry::Registry;
use rmcp::model::{ClientJsonRpcMessage, ClientRequest, JsonRpcMessage};

fuzz_target!(|data: &[u8]| {
    let Ok(message) = serde_json::from_slice::<ClientJsonRpcMessage>(data) else { return };
    let JsonRpcMessage::Request(request) = message else { return };
    let ClientRequest::CallToolRequest(call) = request.request else { return };
    let registry = Registry::new(pagerduty_mcp::tools::all());
    let Some(def) = registry.get(&call.params.name) else { return };
    // No credential: every call ends locally, in decoding or in "An API key is required".
    let Ok(host) = ApiHost::parse("http://127.0.0.1:9", false) else { return };
    let client = Client::builder(host).build();
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
    let _ = rt.block_on(def.call(Ctx { pd: client }, call.params.arguments.unwrap_or_default()));
});
