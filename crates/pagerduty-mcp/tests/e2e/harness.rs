use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex, OnceLock};

use pagerduty_sim::faults::{FaultKind, FaultRule};
use pagerduty_sim::store::Incident;
use pagerduty_sim::{SimConfig, Simulator, tokens};
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::RunningService;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;
use tokio::io::AsyncReadExt;

pub const BIN: &str = env!("CARGO_BIN_EXE_pagerduty-mcp");

/// The "now" every harness runs at unless a test picks another: simulator and server agree
/// on it (`PAGERDUTY_MCP_NOW`), so no test depends on today's date. A Wednesday mid-morning,
/// away from DST changes.
pub const FIXED_NOW: &str = "2026-11-18T10:00:00Z";

pub fn fixed_now() -> jiff::Timestamp {
    FIXED_NOW.parse().expect("FIXED_NOW is RFC 3339")
}

/// The server binary at [`FIXED_NOW`] (with `--demo` too: its simulator is seeded at that
/// now), with none of the test machine's `PAGERDUTY_*`/`MCP_*`/`RUST_LOG` settings.
pub fn server_command() -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("PAGERDUTY_") || k.starts_with("MCP_") || k == "RUST_LOG" {
            cmd.env_remove(k);
        }
    }
    cmd.env("PAGERDUTY_MCP_NOW", FIXED_NOW);
    cmd
}

/// The server binary against the PagerDuty API at `api`, with `env` and `args`, stdin and
/// stdout as given, stderr piped; killed when dropped.
pub fn spawn_server(
    api: &str,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Stdio,
    stdout: Stdio,
) -> tokio::process::Child {
    server_command()
        .env("PAGERDUTY_API_HOST", api)
        .envs(env.iter().copied())
        .args(args)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("server spawns")
}

/// What a finished process wrote, stdout then stderr.
pub fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The most recent triggered incident of the simulator's account.
pub fn last_triggered(sim: &Simulator) -> String {
    newest_incident(sim, |i| i.status == "triggered").id
}

/// The most recent incident of the simulator's account that `pred` accepts.
pub fn newest_incident(sim: &Simulator, pred: impl Fn(&Incident) -> bool) -> Incident {
    sim.state()
        .incidents()
        .into_iter()
        .rev()
        .find(|i| pred(i))
        .expect("a matching incident")
}

/// A simulator configuration at [`FIXED_NOW`], for tests that start their own simulator.
pub fn sim_config() -> SimConfig {
    SimConfig {
        now: Some(fixed_now()),
        ..SimConfig::default()
    }
}

/// A simulator plus the server binary connected to it through an MCP client.
pub struct Harness {
    pub sim: Simulator,
    pub client: RunningService<RoleClient, ()>,
    stderr: Arc<Mutex<Vec<u8>>>,
    token: String,
}

pub struct Options<'a> {
    pub args: &'a [&'a str],
    /// `None`: no credential at all.
    pub token: Option<&'a str>,
    pub env: &'a [(&'a str, &'a str)],
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self {
            args: &[],
            token: Some(tokens::DEMO_USER_TOKEN),
            env: &[],
        }
    }
}

impl Harness {
    /// Read-only server with the demo user's token.
    pub async fn read_only() -> Self {
        Self::start(Options::default()).await
    }

    pub async fn with_writes() -> Self {
        Self::with_args(&["--enable-write-tools"]).await
    }

    /// The demo user's token and these flags.
    pub async fn with_args(args: &[&str]) -> Self {
        Self::start(Options {
            args,
            ..Options::default()
        })
        .await
    }

    pub async fn start(opts: Options<'_>) -> Self {
        Self::start_at(opts, fixed_now()).await
    }

    /// Simulator and server both at `now`.
    pub async fn start_at(opts: Options<'_>, now: jiff::Timestamp) -> Self {
        let sim = Simulator::start(SimConfig {
            now: Some(now),
            ..sim_config()
        })
        .await
        .expect("simulator starts");
        let (client, captured) = connect(&sim.base_url(), &opts, now).await;
        Self {
            sim,
            client,
            stderr: captured,
            token: opts.token.unwrap_or_default().to_owned(),
        }
    }

    pub async fn tools(&self) -> Vec<Tool> {
        self.client.list_all_tools().await.expect("tools/list")
    }

    pub async fn call(&self, tool: &str, args: Value) -> CallToolResult {
        let Value::Object(args) = args else {
            panic!("arguments must be an object")
        };
        let r = self
            .client
            .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
            .await
            .expect("tools/call answers");
        if r.is_error != Some(true)
            && let Some(result) = &r.structured_content
        {
            check_output(tool, result);
        }
        r
    }

    /// Calls a tool that must succeed and returns its structured result.
    pub async fn ok(&self, tool: &str, args: Value) -> Value {
        let r = self.call(tool, args).await;
        assert_ne!(r.is_error, Some(true), "{tool} failed: {}", text(&r));
        let structured = r.structured_content.clone().expect("structured content");
        let echoed: Value = serde_json::from_str(&text(&r)).expect("text content is the same JSON");
        assert_eq!(echoed, structured, "text and structured content agree");
        structured
    }

    /// Calls a tool that must succeed with `{"ok": true}` (a delete, a removal).
    pub async fn done(&self, tool: &str, args: Value) {
        let done = self.ok(tool, args).await;
        assert_eq!(done["ok"], true, "{tool}: {done}");
    }

    /// Acknowledges incident `id` with `manage_incidents`, which must succeed.
    pub async fn acknowledge(&self, id: &str) {
        let args =
            serde_json::json!({"manage_request": {"incident_ids": [id], "status": "acknowledged"}});
        self.ok("manage_incidents", args).await;
    }

    /// Calls a tool that must fail and returns the error text.
    pub async fn err(&self, tool: &str, args: Value) -> String {
        let r = self.call(tool, args).await;
        assert_eq!(
            r.is_error,
            Some(true),
            "{tool} should have failed, got {}",
            text(&r)
        );
        text(&r)
    }

    /// Calls a tool that must fail with an error that says each of `needles`; the error text,
    /// for the checks that go further.
    pub async fn err_says(&self, tool: &str, args: Value, needles: &[&str]) -> String {
        let msg = self.err(tool, args).await;
        says(&msg, needles);
        msg
    }

    /// A table of calls that must each fail with an error that says each of its needles. Every
    /// case is tried; the failure lists each case that did not, by its tool and arguments.
    pub async fn err_table(&self, cases: &[(&str, Value, &[&str])]) {
        let mut wrong = Vec::new();
        for (tool, args, needles) in cases {
            let r = self.call(tool, args.clone()).await;
            let msg = text(&r);
            if r.is_error != Some(true) {
                wrong.push(format!("{tool} {args} should have failed, got {msg}"));
            }
            for needle in needles.iter().filter(|n| !msg.contains(*n)) {
                wrong.push(format!("{tool} {args}: {needle:?} missing from: {msg}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// `GET path` on the simulator with the demo user's token, as a client would send it.
    pub async fn raw_get(&self, path: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}{path}", self.sim.base_url()))
            .header(
                "Authorization",
                format!("Token token={}", tokens::DEMO_USER_TOKEN),
            )
            .header("Accept", "application/vnd.pagerduty+json;version=2")
            .send()
            .await
            .expect("simulator answers")
    }

    /// The simulator's own answer for `path`, as ground truth.
    pub async fn raw(&self, path: &str) -> Value {
        let resp = self.raw_get(path).await;
        assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
        resp.json().await.expect("json")
    }

    /// The one object the simulator answers `GET path` with (`/teams/P1` → its `team`), as
    /// ground truth.
    pub async fn raw_one(&self, path: &str) -> Value {
        match self.raw(path).await {
            Value::Object(answer) if answer.len() == 1 => answer.into_iter().next().unwrap().1,
            other => panic!("GET {path}: not one object but {other}"),
        }
    }

    /// The simulator's HTTP status for `GET path` (to check that something is gone).
    pub async fn status(&self, path: &str) -> u16 {
        self.raw_get(path).await.status().as_u16()
    }

    /// The list the simulator answers `GET path` with: the array under the key named by the
    /// path's last segment (`/incidents/P1/alerts?…` → `alerts`).
    pub async fn raw_list(&self, path: &str) -> Vec<Value> {
        let key = path.split('?').next().unwrap().rsplit('/').next().unwrap();
        match self.raw(path).await.get_mut(key).map(Value::take) {
            Some(Value::Array(items)) => items,
            other => panic!("GET {path}: no `{key}` list but {other:?}"),
        }
    }

    /// Calls the list tool `tool` and asserts that its items are the simulator's list at
    /// `raw_path` (not empty), by id and in order: the tool's result and that list.
    pub async fn list_matches(
        &self,
        tool: &str,
        args: Value,
        raw_path: &str,
    ) -> (Value, Vec<Value>) {
        let raw = self.raw_list(raw_path).await;
        let got = self.ok(tool, args).await;
        assert!(!raw.is_empty(), "GET {raw_path} lists nothing to compare");
        assert_eq!(ids(&got), ids_of(&raw), "{tool} against GET {raw_path}");
        (got, raw)
    }

    /// Asserts that `list_incidents` with `args` lists some incidents, and that each is
    /// assigned to the user `user_id`.
    pub async fn lists_only_assigned_to(&self, args: Value, user_id: &str) {
        let got = self.ok("list_incidents", args).await;
        let items = array(&got["items"]);
        assert!(!items.is_empty(), "no incidents assigned to {user_id}");
        for i in items {
            assert!(
                some_has(&i["assignments"], "/assignee/id", user_id),
                "not assigned to {user_id}: {i}"
            );
        }
    }

    /// The id of the first item of [`Self::raw_list`]`(path)`.
    pub async fn raw_first_id(&self, path: &str) -> String {
        self.raw_id(path, 0).await
    }

    /// The id of item `n` (from 0) of [`Self::raw_list`]`(path)`.
    pub async fn raw_id(&self, path: &str, n: usize) -> String {
        let list = self.raw_list(path).await;
        let item = list
            .get(n)
            .unwrap_or_else(|| panic!("GET {path}: no item {n} in {list:?}"));
        item["id"].as_str().expect("id").to_owned()
    }

    /// From now on every request to `path` gets `kind` from the simulator.
    pub fn always_fault(&self, path: &str, kind: FaultKind) {
        self.sim
            .faults()
            .add(FaultRule::new(kind).path(path).always());
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Stderr once it records that `calls` tool calls finished (each logs its result or its
    /// failure at debug level): the positive control that the log a test reads is complete.
    /// Fails after 10 s.
    pub async fn stderr_after_calls(&self, calls: usize) -> String {
        for _ in 0..500 {
            let stderr = self.stderr();
            let finished = stderr
                .lines()
                .filter(|l| l.contains("tool result") || l.contains("tool call failed"))
                .count();
            if finished >= calls {
                return stderr;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!(
            "stderr never logged {calls} finished tool calls (is debug logging on?):\n{}",
            self.stderr()
        );
    }

    pub fn token(&self) -> &str {
        &self.token
    }
}

/// Starts the server binary against the PagerDuty API at `base` and connects an MCP client to
/// it; also returns what the server writes to stderr, as it comes.
pub async fn connect(
    base: &str,
    opts: &Options<'_>,
    now: jiff::Timestamp,
) -> (RunningService<RoleClient, ()>, Arc<Mutex<Vec<u8>>>) {
    let cmd = server_command().configure(|c| {
        c.env("PAGERDUTY_API_HOST", base);
        c.env("PAGERDUTY_MCP_NOW", now.to_string());
        if let Some(t) = opts.token {
            c.env("PAGERDUTY_USER_API_KEY", t);
        }
        for (k, v) in opts.env {
            c.env(k, v);
        }
        c.args(opts.args);
    });
    let (transport, stderr) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::piped())
        .spawn()
        .expect("server spawns");
    (
        ().serve(transport).await.expect("MCP initialize succeeds"),
        capture(stderr.expect("stderr is piped")),
    )
}

/// Everything `pipe` carries, as it comes: read all along, so the writer never blocks on a
/// full pipe.
pub fn capture(
    mut pipe: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> Arc<Mutex<Vec<u8>>> {
    let captured = Arc::new(Mutex::new(Vec::new()));
    let sink = captured.clone();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf).await {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    captured
}

/// The path of an empty audit log for one test (`name`) of this test run, in the temp dir.
pub fn fresh_audit_log(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pd-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let audit = dir.join("audit.jsonl");
    let _ = std::fs::remove_file(&audit);
    audit.to_str().expect("a UTF-8 temp dir").to_owned()
}

/// Every successful result a test gets is checked against its tool's output schema (the
/// in-process registry's, which is what tools/list serves).
pub fn check_output(tool: &str, result: &Value) {
    static VALIDATORS: OnceLock<HashMap<String, jsonschema::Validator>> = OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        pagerduty_mcp::registry::Registry::new(pagerduty_mcp::tools::all())
            .iter()
            .map(|t| {
                let schema = Value::Object((**t.tool().output_schema.as_ref().unwrap()).clone());
                let v = jsonschema::validator_for(&schema)
                    .unwrap_or_else(|e| panic!("{}'s output schema: {e}", t.name()));
                (t.name().to_owned(), v)
            })
            .collect()
    });
    let validator = validators
        .get(tool)
        .unwrap_or_else(|| panic!("{tool} has no output schema"));
    let errors: Vec<String> = validator
        .iter_errors(result)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{tool}'s result does not match its output schema: {errors:?}\n{result}"
    );
}

/// PagerDuty's REST OpenAPI document, or `None` after a visible `SKIPPED` line when it is
/// missing outside CI (see `pagerduty_sim::spec::load`).
pub fn rest_spec(test: &str) -> Option<Value> {
    pagerduty_sim::spec::load(test, "rest-openapiv3.json").unwrap_or_else(|e| panic!("{e}"))
}

pub fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `id`s of a tool's list result (its `items`), in order.
pub fn ids(list: &Value) -> Vec<String> {
    ids_of(list["items"].as_array().expect("items"))
}

/// The `id`s of a list of API objects, in order.
pub fn ids_of(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The string `field` of each object in `list` (a JSON array), in order.
pub fn strs<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|i| {
            i[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string `{field}` in {i}"))
        })
        .collect()
}

/// The `id`s of the list under `key` in a raw API answer, in order.
pub fn raw_ids(answer: &Value, key: &str) -> Vec<String> {
    ids_of(
        answer[key]
            .as_array()
            .unwrap_or_else(|| panic!("no `{key}` list in {answer}")),
    )
}

/// Asserts that `msg` says each of `needles`, showing the whole message when not.
pub fn says(msg: &str, needles: &[&str]) {
    for needle in needles {
        assert!(msg.contains(needle), "{needle:?} missing from: {msg}");
    }
}

/// The JSON array `v`; a panic that shows what `v` is instead.
pub fn array(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// The object of the JSON array `list` whose `name` is `name`.
pub fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    array(list)
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no {name:?} in {list}"))
}

/// Whether some item of the JSON array `list` holds the string `want` at the JSON pointer `at`.
pub fn some_has(list: &Value, at: &str, want: &str) -> bool {
    array(list).iter().any(|i| holds(i, at, want))
}

/// Whether the JSON array `list` has items and each holds the string `want` at `at` (an empty
/// list is no evidence).
pub fn all_have(list: &Value, at: &str, want: &str) -> bool {
    let items = array(list);
    !items.is_empty() && items.iter().all(|i| holds(i, at, want))
}

fn holds(item: &Value, at: &str, want: &str) -> bool {
    item.pointer(at).and_then(Value::as_str) == Some(want)
}
