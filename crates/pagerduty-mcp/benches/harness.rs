//! The benchmark harness: starts the simulator and the real `pagerduty-mcp` binary and prints
//! the figures BENCHMARKS.md records. `cargo bench -p pagerduty-mcp --bench harness` for a
//! full run; add `-- --quick` for the short run CI uses to prove it works.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use pagerduty::api::incidents::IncidentQuery;
use pagerduty::{ApiHost, Client, Credential};
use pagerduty_sim::{SimConfig, Simulator, tokens};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout};

const BIN: &str = env!("CARGO_BIN_EXE_pagerduty-mcp");

struct Sizes {
    runs: usize,
    calls: usize,
    latency_samples: usize,
    http_seconds: u64,
    big_listing: usize,
}

#[tokio::main]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick {
        Sizes {
            runs: 3,
            calls: 100,
            latency_samples: 50,
            http_seconds: 1,
            big_listing: 2_000,
        }
    } else {
        Sizes {
            runs: 20,
            calls: 1_000,
            latency_samples: 1_000,
            http_seconds: 5,
            big_listing: 10_000,
        }
    };
    println!(
        "pagerduty-mcp benchmark ({} run)",
        if quick { "quick" } else { "full" }
    );
    println!("binary: {BIN}");
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |p| p.get()),
        cpu_model()
    );
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    // `-- --load-only`: just the hosted-load figure (the full listing run takes minutes).
    let load_only = std::env::args().any(|a| a == "--load-only");
    if !load_only {
        single_client_figures(&sim, &n).await;
    }
    load_figures(&sim, quick).await;
    if !load_only {
        let (took, peak_before, peak_after) = big_listing(n.big_listing).await;
        report(
            &format!("{}-incident listing, streamed by the client", n.big_listing),
            ms(took),
            "",
        );
        report(
            "  server RSS paging through it: start → end",
            format!("{peak_before:.1} MB → {peak_after:.1} MB"),
            "flat",
        );
    }
}

async fn single_client_figures(sim: &Simulator, n: &Sizes) {
    let size = std::fs::metadata(BIN).map_or(0, |m| m.len());
    report(
        "binary size (the release profile strips it)",
        format!("{:.1} MB", size as f64 / 1e6),
        "≤ 12 MB",
    );
    let (init, list) = cold_start(sim, n.runs).await;
    report(
        "cold start: spawn → initialize answered (median)",
        ms(init),
        "≤ 10 ms",
    );
    report(
        "cold start: spawn → tools/list answered (median)",
        ms(list),
        "",
    );
    report(
        "network requests during start-up",
        format!("{}", sim.requests().len()),
        "0",
    );

    let (read_only, with_writes) = (
        tools_list_bytes(sim, false).await,
        tools_list_bytes(sim, true).await,
    );
    report(
        "tools/list bytes, read-only",
        format!("{read_only}"),
        "≤ 27 KB",
    );
    report(
        "tools/list bytes, with write tools",
        format!("{with_writes}"),
        "≤ 60 KB",
    );

    let mut s = Server::spawn(sim, &[]).await;
    let incident = sim.state().incidents().last().unwrap().id.clone();
    let get_args = json!({"incident_id": incident});
    let list_args = json!({"limit": 20});
    let get_bytes = s.call("get_incident", &get_args).await.len();
    let list_bytes = s.call("list_incidents", &list_args).await.len();
    report("result bytes: get_incident", format!("{get_bytes}"), "");
    report(
        "result bytes: list_incidents(limit=20)",
        format!("{list_bytes}"),
        "",
    );
    let (ours, official) = beside_official(sim, &mut s, "get_incident", &get_args).await;
    report(
        "get_incident text vs PagerDuty's server (same record)",
        format!(
            "{ours} / {official} = {:.2}×",
            ours as f64 / official as f64
        ),
        "≤ 0.8×",
    );
    let (ours, official) = beside_official(sim, &mut s, "list_incidents", &list_args).await;
    report(
        "list_incidents(limit=20) text vs PagerDuty's server",
        format!(
            "{ours} / {official} = {:.2}×",
            ours as f64 / official as f64
        ),
        "≤ 0.8×",
    );

    for (tool, args, path) in [
        ("get_incident", &get_args, format!("/incidents/{incident}")),
        (
            "list_incidents",
            &list_args,
            "/incidents?limit=20&sort_by=created_at:desc".to_owned(),
        ),
    ] {
        let raw = raw_latencies(sim, &path, n.latency_samples).await;
        let mcp = s.latencies(tool, args, n.latency_samples).await;
        let (rp50, rp99) = (pct(&raw, 50), pct(&raw, 99));
        let (mp50, mp99) = (pct(&mcp, 50), pct(&mcp, 99));
        report(
            &format!("{tool}: raw HTTP GET p50 / p99"),
            format!("{} / {}", ms(rp50), ms(rp99)),
            "",
        );
        report(
            &format!("{tool}: MCP tool call p50 / p99"),
            format!("{} / {}", ms(mp50), ms(mp99)),
            "",
        );
        report(
            &format!("{tool}: overhead at p50"),
            ms(mp50.saturating_sub(rp50)),
            "≤ 1 ms",
        );
    }

    for i in 0..n.calls {
        let (tool, args) = if i % 2 == 0 {
            ("get_incident", &get_args)
        } else {
            ("list_incidents", &list_args)
        };
        s.call(tool, args).await;
    }
    report(
        &format!("peak RSS after {} stdio calls", n.calls),
        format!("{:.1} MB", s.peak_rss_mb()),
        "≤ 10 MB",
    );
    drop(s);

    let rate = http_throughput(sim, n.http_seconds).await;
    report(
        "HTTP mode: tool calls/s, 32 concurrent clients",
        format!("{rate:.0}"),
        "≥ 2,000",
    );
}

/// The hosted-load figure: many connections served while slow-header sockets are held.
async fn load_figures(sim: &Simulator, quick: bool) {
    // Long enough for the server's header-read time-out to close every slow socket once.
    let (conns, slow, secs, header_timeout) = if quick {
        (100, 20, 2, 1)
    } else {
        (1_000, 200, 12, 10)
    };
    let load = load_with_slow_headers(sim, conns, slow, secs, header_timeout).await;
    report(
        &format!("HTTP load, {conns} conns + {slow} slow-header sockets: calls/s"),
        format!("{:.0}", load.rate),
        "",
    );
    report(
        &format!("  ({secs} s, header-read time-out {header_timeout} s) calls p50 / p99"),
        format!("{} / {}", ms(load.p50), ms(load.p99)),
        "",
    );
    report(
        "  failed calls / slow sockets closed by the server",
        format!("{} / {}", load.failed, load.slow_closed),
        "0 / all",
    );
}

fn report(what: &str, value: impl std::fmt::Display, target: &str) {
    if target.is_empty() {
        println!("{what:<58} {value:>18}");
    } else {
        println!("{what:<58} {value:>18}   target {target}");
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn pct(samples: &[Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut s = samples.to_vec();
    s.sort();
    s[(s.len() * p / 100).min(s.len() - 1)]
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// The bytes of a result's text, and of the text PagerDuty's own server would answer with for
/// the same records: its incident model (the fields it keeps, `null` for absent ones, in its
/// order), its list envelope, JSON indented by 2 as it prints it. The records are the
/// simulator's own answers for the incidents our result holds.
async fn beside_official(
    sim: &Simulator,
    s: &mut Server,
    tool: &str,
    args: &Value,
) -> (usize, usize) {
    let line: Value = serde_json::from_str(&s.call(tool, args).await).unwrap();
    let text = line["result"]["content"][0]["text"].as_str().unwrap();
    let ours: Value = serde_json::from_str(text).unwrap();
    let ids: Vec<&str> = match ours.get("items") {
        Some(items) => items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect(),
        None => vec![ours["id"].as_str().unwrap()],
    };
    let http = reqwest::Client::new();
    let mut records = Vec::new();
    for id in ids {
        let raw: Value = sim_get(&http, sim, &format!("/incidents/{id}"))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        records.push(official_incident(&raw["incident"]));
    }
    let official = if ours.get("items").is_some() {
        let n = records.len();
        json!({
            "response": records,
            "response_summary": format!("ListResponseModel<Incident>:\n- Returned {n} record(s) of type 'Incident'."),
        })
    } else {
        records.remove(0)
    };
    (
        text.len(),
        serde_json::to_string_pretty(&official).unwrap().len(),
    )
}

/// The official server's `Incident`: id, summary, incident_number, status, title, created_at,
/// updated_at, resolved_at, service, assignments (at, assignee), priority, type; references as
/// {id, summary, type}.
fn official_incident(raw: &Value) -> Value {
    let field = |k: &str| raw.get(k).cloned().unwrap_or(Value::Null);
    let reference = |v: &Value| {
        if v.is_object() {
            json!({"id": v["id"], "summary": v["summary"], "type": v["type"]})
        } else {
            Value::Null
        }
    };
    let assignments: Vec<Value> = raw["assignments"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|a| json!({"at": a["at"], "assignee": reference(&a["assignee"])}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "id": field("id"),
        "summary": field("summary"),
        "incident_number": field("incident_number"),
        "status": field("status"),
        "title": field("title"),
        "created_at": field("created_at"),
        "updated_at": field("updated_at"),
        "resolved_at": field("resolved_at"),
        "service": reference(&raw["service"]),
        "assignments": assignments,
        "priority": reference(&raw["priority"]),
        "type": field("type"),
    })
}

/// A server on stdio, driven with raw JSON-RPC lines (the thinnest possible client).
struct Server {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    next_id: u64,
}

impl Server {
    async fn spawn(sim: &Simulator, args: &[&str]) -> Self {
        let token = [("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)];
        let stdio = [Stdio::piped(), Stdio::piped(), Stdio::null()];
        let mut child = spawn_server(sim, "warn", &token, args, stdio);
        let stdin = child.stdin.take().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut s = Self {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        s.request("initialize", json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}})).await;
        s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        s
    }

    async fn send(&mut self, msg: &Value) {
        let mut line = serde_json::to_vec(msg).unwrap();
        line.push(b'\n');
        self.stdin.write_all(&line).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// Sends a request and returns the raw answer line.
    async fn request(&mut self, method: &str, params: Value) -> String {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let line = self
                .lines
                .next_line()
                .await
                .unwrap()
                .expect("server answers");
            if line.contains(&format!("\"id\":{id}")) {
                return line;
            }
        }
    }

    async fn call(&mut self, tool: &str, args: &Value) -> String {
        let line = self
            .request("tools/call", json!({"name": tool, "arguments": args}))
            .await;
        assert!(!line.contains("\"isError\":true"), "{tool} failed: {line}");
        line
    }

    async fn latencies(&mut self, tool: &str, args: &Value, n: usize) -> Vec<Duration> {
        for _ in 0..10 {
            self.call(tool, args).await;
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            self.call(tool, args).await;
            out.push(t.elapsed());
        }
        out
    }

    fn peak_rss_mb(&self) -> f64 {
        let pid = self.child.id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

async fn cold_start(sim: &Simulator, runs: usize) -> (Duration, Duration) {
    let mut init = Vec::new();
    let mut list = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut s = Server::spawn(sim, &[]).await;
        init.push(start.elapsed());
        s.request("tools/list", json!({})).await;
        list.push(start.elapsed());
    }
    (pct(&init, 50), pct(&list, 50))
}

async fn tools_list_bytes(sim: &Simulator, writes: bool) -> usize {
    let args: &[&str] = if writes {
        &["--enable-write-tools"]
    } else {
        &[]
    };
    let mut s = Server::spawn(sim, args).await;
    let line = s.request("tools/list", json!({})).await;
    let v: Value = serde_json::from_str(&line).unwrap();
    serde_json::to_string(&v["result"]).unwrap().len()
}

/// `GET path` on the simulator as the demo user, the way a REST client asks.
fn sim_get(http: &reqwest::Client, sim: &Simulator, path: &str) -> reqwest::RequestBuilder {
    http.get(format!("{}{path}", sim.base_url()))
        .header(
            "Authorization",
            format!("Token token={}", tokens::DEMO_USER_TOKEN),
        )
        .header("Accept", "application/vnd.pagerduty+json;version=2")
}

async fn raw_latencies(sim: &Simulator, path: &str, n: usize) -> Vec<Duration> {
    let http = reqwest::Client::new();
    let get = || sim_get(&http, sim, path).send();
    for _ in 0..10 {
        get().await.unwrap().bytes().await.unwrap();
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        get().await.unwrap().bytes().await.unwrap();
        out.push(t.elapsed());
    }
    out
}

/// The server binary against `sim`, logging at `log`, with `env` and `args`, and stdin, stdout
/// and stderr as given; killed when dropped.
fn spawn_server(
    sim: &Simulator,
    log: &str,
    env: &[(&str, &str)],
    args: &[&str],
    [stdin, stdout, stderr]: [Stdio; 3],
) -> Child {
    tokio::process::Command::new(BIN)
        .env("PAGERDUTY_API_HOST", sim.base_url())
        .env("PAGERDUTY_MCP_LOG", log)
        .envs(env.iter().copied())
        .args(args)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(stderr)
        .kill_on_drop(true)
        .spawn()
        .expect("server spawns")
}

/// An HTTP server on an ephemeral port: the process and its `host:port`.
async fn http_server(sim: &Simulator, args: &[&str]) -> (Child, String) {
    let args = [&["--http", "--port", "0"], args].concat();
    let stdio = [Stdio::null(), Stdio::null(), Stdio::piped()];
    let mut child = spawn_server(sim, "info,rmcp=warn", &[], &args, stdio);
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next_line().await.unwrap().expect("server starts");
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, addr)
}

struct Load {
    rate: f64,
    p50: Duration,
    p99: Duration,
    failed: u64,
    slow_closed: u64,
}

/// `conns` clients, each on its own connection, call `get_incident` in a loop for `seconds`
/// while an attacker holds `slow` sockets that send half a request's headers (reopening each
/// one the server closes after its header-read time-out).
async fn load_with_slow_headers(
    sim: &Simulator,
    conns: usize,
    slow: usize,
    seconds: u64,
    header_timeout: u64,
) -> Load {
    let header_timeout = header_timeout.to_string();
    let (_child, addr) = http_server(
        sim,
        &[
            "--max-connections",
            "4096",
            "--header-read-timeout",
            &header_timeout,
        ],
    )
    .await;
    let url = format!("http://{addr}/mcp");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let slow_closed = Arc::new(AtomicU64::new(0));
    let mut attackers = Vec::new();
    for _ in 0..slow {
        let (addr, closed) = (addr.clone(), slow_closed.clone());
        attackers.push(tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            while Instant::now() < deadline {
                let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
                    continue;
                };
                let _ = s
                    .write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .await;
                let mut buf = [0u8; 256];
                let left = deadline.saturating_duration_since(Instant::now());
                if let Ok(Ok(_)) = tokio::time::timeout(left, s.read(&mut buf)).await {
                    closed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    // Let the slow sockets take their places first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let incident = sim.state().incidents().last().unwrap().id.clone();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "get_incident", "arguments": {"incident_id": incident}}})
    .to_string();
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    // One client (building one is costly), whose pool opens a connection per concurrent call.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(conns)
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (url, body, failed, http) = (url.clone(), body.clone(), failed.clone(), http.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let sent = http
                    .post(&url)
                    .header(
                        "Authorization",
                        format!("Token token={}", tokens::DEMO_USER_TOKEN),
                    )
                    .header("content-type", "application/json")
                    .header("accept", "application/json, text/event-stream")
                    .header("mcp-protocol-version", "2025-11-25")
                    .body(body.clone())
                    .send()
                    .await;
                match sent {
                    Ok(resp) if resp.status().is_success() => {
                        let ok = resp.bytes().await.is_ok();
                        if ok {
                            latencies.push(t.elapsed());
                        } else {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    other => {
                        if failed.fetch_add(1, Ordering::Relaxed) == 0 {
                            eprintln!("first failed call: {other:?}");
                        }
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let took = start.elapsed();
    for a in attackers {
        a.await.unwrap();
    }
    Load {
        rate: all.len() as f64 / took.as_secs_f64(),
        p50: pct(&all, 50),
        p99: pct(&all, 99),
        failed: failed.load(Ordering::Relaxed),
        slow_closed: slow_closed.load(Ordering::Relaxed),
    }
}

async fn http_throughput(sim: &Simulator, seconds: u64) -> f64 {
    let (_child, addr) = http_server(sim, &[]).await;
    let url = format!("http://{addr}/mcp");
    let users = sim.state().users();
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let incident = sim.state().incidents().last().unwrap().id.clone();
    let mut tasks = Vec::new();
    for i in 0..32 {
        let token = tokens::user_token(&users[i % users.len()].email);
        let (url, done, incident) = (url.clone(), done.clone(), incident.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                              "params": {"name": "get_incident", "arguments": {"incident_id": incident}}})
            .to_string();
            while Instant::now() < deadline {
                let resp = http
                    .post(&url)
                    .header("Authorization", format!("Token token={token}"))
                    .header("content-type", "application/json")
                    .header("accept", "application/json, text/event-stream")
                    .header("mcp-protocol-version", "2025-11-25")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert!(resp.status().is_success());
                resp.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

async fn big_listing(count: usize) -> (Duration, f64, f64) {
    let sim = Simulator::start(SimConfig {
        incident_count: count,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = Client::builder(ApiHost::parse(&sim.base_url(), false).unwrap())
        .credential(Some(Credential::user_token(tokens::DEMO_USER_TOKEN)))
        .build();
    let q = IncidentQuery {
        all_time: true,
        ..IncidentQuery::default()
    };
    let start = Instant::now();
    let seen = client
        .stream_incidents(&q, count)
        .filter(|r| std::future::ready(r.is_ok()))
        .count()
        .await;
    let took = start.elapsed();
    assert_eq!(seen, count.min(pagerduty::MAX_OFFSET_WINDOW as usize));

    // The server pages through the same listing 1,000 at a time; its peak memory should not grow with the total.
    // Ten pages of a slow (unindexed) simulator per call: a budget to match.
    let mut s = Server::spawn(&sim, &["--api-timeout", "600"]).await;
    // PagerDuty caps a query's time range at 6 months; the seeded incidents span 90 days.
    let since = (sim.now() - jiff::SignedDuration::from_hours(24 * 170)).to_string();
    let first = json!({"limit": 1000, "since": since, "offset": 0});
    s.call("list_incidents", &first).await;
    let before = s.peak_rss_mb();
    let mut offset = 1000;
    while offset + 1000 <= count.min(10_000) {
        s.call(
            "list_incidents",
            &json!({"limit": 1000, "since": since, "offset": offset}),
        )
        .await;
        offset += 1000;
    }
    (took, before, s.peak_rss_mb())
}
