//! The server on stdio with raw pipes, for tests that write bytes no MCP client would: a
//! wait for an answer names the request it waits for and, if none comes, shows what stdout
//! and stderr carried so far.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagerduty_sim::tokens;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

pub struct StdioServer {
    pub sim: pagerduty_sim::Simulator,
    pub child: tokio::process::Child,
    pub stdin: tokio::process::ChildStdin,
    pub out: Answers,
}

/// The server's stdout, a line at a time, and its stderr as it comes (read all along, so the
/// server never blocks on a full pipe).
pub struct Answers {
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    /// Every stdout line read so far.
    read: Vec<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// An `initialize` request with id 1.
pub fn initialize_request() -> String {
    json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
        "protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}})
    .to_string()
}

impl StdioServer {
    pub async fn start(args: &[&str]) -> Self {
        let sim = pagerduty_sim::Simulator::start(crate::harness::sim_config())
            .await
            .unwrap();
        let env = [
            ("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN),
            // Debug: each refused line is logged, so a missing answer shows whether it was read.
            ("PAGERDUTY_MCP_LOG", "debug"),
        ];
        let mut child = crate::harness::spawn_server(
            &sim.base_url(),
            &env,
            args,
            Stdio::piped(),
            Stdio::piped(),
        );
        let stdin = child.stdin.take().unwrap();
        let out = Answers {
            lines: BufReader::new(child.stdout.take().unwrap()).lines(),
            read: Vec::new(),
            stderr: crate::harness::capture(child.stderr.take().unwrap()),
        };
        Self {
            sim,
            child,
            stdin,
            out,
        }
    }

    /// Writes `line` and a newline, flushed.
    pub async fn send(&mut self, line: &[u8]) {
        self.stdin.write_all(line).await.unwrap();
        self.stdin.write_all(b"\n").await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// The next line on stdout, as JSON: the answer to `request`.
    pub async fn answer(&mut self, request: &str) -> Value {
        self.out.answer(request).await
    }

    /// `initialize` (id 1), its answer, then `notifications/initialized`.
    pub async fn initialize(&mut self) {
        self.send(initialize_request().as_bytes()).await;
        assert_eq!(self.answer("initialize").await["id"], 1);
        self.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            .await;
    }
}

impl Answers {
    /// The next line on stdout, as JSON: the answer to `request`. Waits 30 s at most (a debug
    /// build on a loaded machine).
    pub async fn answer(&mut self, request: &str) -> Value {
        let line = match tokio::time::timeout(Duration::from_secs(30), self.lines.next_line()).await
        {
            Ok(line) => line.unwrap(),
            Err(_) => None,
        };
        let Some(line) = line else {
            panic!(
                "no answer to {request} within 30 s (or stdout closed)\nstdout so far:\n{}\nstderr:\n{}",
                self.read.join("\n"),
                String::from_utf8_lossy(&self.stderr.lock().unwrap())
            );
        };
        self.read.push(line.clone());
        serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout carries only JSON-RPC, not {line:?} ({e})"))
    }
}
