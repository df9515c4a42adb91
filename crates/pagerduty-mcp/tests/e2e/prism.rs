//! The second oracle: every tool, called through the real server binary, against Stoplight
//! Prism mocking PagerDuty's published REST and Events specs (`.ci/prism.sh` starts it and sets
//! `PAGERDUTY_PRISM_URL`). Our simulator and our client could share a misreading of PagerDuty;
//! Prism shares none. A small recording proxy between the server and Prism keeps, per tool
//! call, each request and what Prism said about it: the violations in its `sl-violations`
//! header and its own error answers (no such path, not acceptable, …). Any of them fails the
//! test, except the few known spec bugs in `ALLOWED`, each with its reason.
//!
//! The calls are in `prism-calls.json` beside this file: one entry per tool (a list for several
//! calls), so a new tool without a call fails here too.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rmcp::model::CallToolRequestParams;
use serde_json::{Map, Value};

use crate::harness::{Options, connect, fixed_now, text};

/// Known bugs of the spec that the client is right about.
const ALLOWED: &[Allowed] = &[
    Allowed {
        location: "request.body.incident.body.details",
        message: "",
        reason: "IncidentBody.details is declared as an object, but PagerDuty takes (and its \
                 examples and UI send) the incident's details as a string",
        repair: Repair::None,
    },
    Allowed {
        location: "request.query.since",
        message: "must match pattern",
        reason: "the change-event lists declare since/until with a pattern that is literal text \
                 from the prose docs, which no date-time matches",
        repair: Repair::DropQuery("since"),
    },
    Allowed {
        location: "request.query.until",
        message: "must match pattern",
        reason: "as for since",
        repair: Repair::DropQuery("until"),
    },
    Allowed {
        location: "request.header",
        message: "required property 'from'",
        reason: "the spec requires From on writes, but PagerDuty needs it only with an account \
                 API key; a user token (as here) already names the user",
        repair: Repair::AddHeader("From", "prism@example.com"),
    },
];

struct Allowed {
    /// The violation's `location` joined with dots, as a prefix.
    location: &'static str,
    /// A part of its message ("" for any).
    message: &'static str,
    /// Why the client is right, shown in the test's summary.
    reason: &'static str,
    /// Prism answers a flagged request with an error, which would stop a tool that makes more
    /// calls; when every violation of a request is allowed, the proxy sends it again repaired
    /// so the tool goes on (a mock has no state, so the repeat changes nothing).
    repair: Repair,
}

#[derive(Clone, Copy)]
enum Repair {
    /// Nothing to repair: the tool gets Prism's error.
    None,
    AddHeader(&'static str, &'static str),
    DropQuery(&'static str),
}

impl Allowed {
    fn find(v: &Violation) -> Option<&'static Allowed> {
        ALLOWED
            .iter()
            .find(|a| v.location.starts_with(a.location) && v.message.contains(a.message))
    }
}

#[derive(Clone, Debug)]
struct Violation {
    location: String,
    message: String,
}

/// One request as Prism judged it.
#[derive(Clone, Debug)]
struct Exchange {
    request: String,
    status: u16,
    violations: Vec<Violation>,
    /// Prism's own error answer (`application/problem+json`), e.g. no such path.
    problem: Option<String>,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Exchange>>>,
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path_and_query = uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let request = format!("{method} {path_and_query}");
    let mut headers: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| *name != "host" && *name != "content-length")
        .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_owned())))
        .collect();
    let mut target = path_and_query;
    let mut first = true;
    loop {
        let judged = match send(&p, &method, &target, &headers, &body).await {
            Ok(j) => j,
            Err(e) => return (StatusCode::BAD_GATEWAY, format!("prism: {e}")).into_response(),
        };
        let repairs: Option<Vec<Repair>> = (!judged.violations.is_empty())
            .then(|| {
                judged
                    .violations
                    .iter()
                    .map(|v| Allowed::find(v).map(|a| a.repair))
                    .collect::<Option<Vec<_>>>()
            })
            .flatten()
            .filter(|r| r.iter().all(|r| !matches!(r, Repair::None)));
        p.log.lock().unwrap().push(Exchange {
            request: if first {
                request.clone()
            } else {
                format!("{request} (repaired)")
            },
            status: judged.status.as_u16(),
            violations: judged.violations,
            problem: judged.problem,
        });
        match repairs {
            Some(repairs) if first => {
                for r in repairs {
                    match r {
                        Repair::AddHeader(n, v) => headers.push((n.to_owned(), v.to_owned())),
                        Repair::DropQuery(name) => target = drop_query(&target, name),
                        Repair::None => {}
                    }
                }
                first = false;
            }
            _ => {
                let mut response = (judged.status, judged.body).into_response();
                if let Some(ct) = judged.content_type {
                    response.headers_mut().insert("content-type", ct);
                }
                return response;
            }
        }
    }
}

struct Judged {
    status: StatusCode,
    body: Bytes,
    content_type: Option<axum::http::HeaderValue>,
    violations: Vec<Violation>,
    problem: Option<String>,
}

/// Sends one request to Prism and reads its verdict: the `sl-violations` header, or the
/// `validation` list of its own 422, and any other error of its own (`application/problem+json`).
async fn send(
    p: &Proxy,
    method: &Method,
    target: &str,
    headers: &[(String, String)],
    body: &Bytes,
) -> Result<Judged, reqwest::Error> {
    let mut req = p
        .http
        .request(method.clone(), format!("{}{target}", p.upstream))
        .body(body.clone());
    for (n, v) in headers {
        req = req.header(n, v);
    }
    let resp = req.send().await?;
    let status = resp.status();
    let content_type = resp.headers().get("content-type").cloned();
    let header: Vec<Value> = resp
        .headers()
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    let body = resp.bytes().await?;
    let is_problem = content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"));
    let mut listed = header;
    let mut problem = None;
    if is_problem {
        let v: Value = serde_json::from_slice(&body).unwrap_or_default();
        match v["validation"].as_array() {
            Some(list) if !list.is_empty() => listed.extend(list.iter().cloned()),
            _ => problem = Some(String::from_utf8_lossy(&body).into_owned()),
        }
    }
    let violations = listed
        .into_iter()
        .filter_map(|v| {
            let mut location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect();
            match location.first().map(String::as_str) {
                Some("request") => {}
                // Prism also checks its own answers (the spec's examples) against the spec's
                // schemas: what PagerDuty's spec says of itself, not of our requests.
                Some("response") => return None,
                // The 422's list leaves out the leading "request".
                _ => location.insert(0, "request".into()),
            }
            Some(Violation {
                location: location.join("."),
                message: v["message"].as_str().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    Ok(Judged {
        status,
        body,
        content_type,
        violations,
        problem,
    })
}

fn drop_query(target: &str, name: &str) -> String {
    let Some((path, query)) = target.split_once('?') else {
        return target.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| kv.split('=').next() != Some(name))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn prism_url() -> Option<String> {
    match std::env::var("PAGERDUTY_PRISM_URL") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("PAGERDUTY_PRISM_URL is required in CI: .ci/run starts Prism with .ci/prism.sh")
        }
        _ => {
            eprintln!(
                "SKIPPED: the Prism contract test needs Stoplight Prism; run \
                 `PAGERDUTY_PRISM_URL=\"$(bash .ci/prism.sh $$)\" cargo test -p pagerduty-mcp --test e2e prism`"
            );
            None
        }
    }
}

/// The calls to make: tool name -> arguments (an object, or a list of them). A call whose
/// arguments hold `"__expect_error": "text"` must fail with that text, and one with
/// `"__no_request"` may send nothing; `"__reason"` says why.
fn calls() -> Map<String, Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/prism-calls.json");
    let text = std::fs::read_to_string(path).expect("prism-calls.json");
    match serde_json::from_str(&text).expect("prism-calls.json is JSON") {
        Value::Object(o) => o,
        _ => panic!("prism-calls.json must be an object"),
    }
}

#[tokio::test]
async fn every_tool_passes_prism() {
    let Some(upstream) = prism_url() else { return };
    let proxy = Proxy {
        upstream,
        http: reqwest::Client::new(),
        log: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The positive control: requests the spec forbids are caught (a bad query parameter; an
    // update_team body without the name, as this server once sent).
    let http = reqwest::Client::new();
    for req in [
        http.get(format!("{base}/incidents?limit=many")),
        http.put(format!("{base}/teams/PTEAM01"))
            .header("Content-Type", "application/json")
            .body(r#"{"team": {"type": "team", "description": "x"}}"#),
    ] {
        req.header("Authorization", "Token token=prismUserToken1")
            .header("Accept", "application/vnd.pagerduty+json;version=2")
            .send()
            .await
            .unwrap();
    }
    let caught = std::mem::take(&mut *proxy.log.lock().unwrap());
    assert_eq!(caught.len(), 2);
    for x in &caught {
        assert!(
            x.violations.iter().any(|v| Allowed::find(v).is_none()),
            "Prism flags {}: {x:?}",
            x.request
        );
    }

    // Prism's Authorization pattern takes letters and digits only.
    // Prism's mock answers each list page with its one example item and `more: true`, so a
    // window of 100 takes 100 requests; the whole-call budget is raised so a busy machine does
    // not turn that into a time-out (this test is about what is sent, not how fast).
    let opts = Options {
        args: &["--enable-write-tools", "--api-timeout", "300"],
        token: Some("prismUserToken1"),
        env: &[],
    };
    let (client, stderr) = connect(&base, &opts, fixed_now()).await;
    let tools = client.list_all_tools().await.unwrap();
    let calls = calls();

    let mut problems = Vec::new();
    let mut allowed_used = Vec::new();
    let mut requests = 0;
    let mut busiest = Vec::new();
    for name in calls.keys() {
        if !tools.iter().any(|t| t.name == *name) {
            problems.push(format!("prism-calls.json names `{name}`, which is no tool"));
        }
    }
    for tool in &tools {
        let name = tool.name.to_string();
        let Some(entry) = calls.get(&name) else {
            problems.push(format!("{name}: no call in prism-calls.json"));
            continue;
        };
        let list = match entry {
            Value::Array(list) => list.clone(),
            one => vec![one.clone()],
        };
        for args in list {
            let Value::Object(mut args) = args else {
                problems.push(format!("{name}: arguments must be an object"));
                continue;
            };
            let expect_error = args
                .remove("__expect_error")
                .and_then(|v| v.as_str().map(str::to_owned));
            // A reason the call sends nothing (e.g. an answer the server already holds).
            let no_request = args.remove("__no_request").is_some();
            args.remove("__reason");
            proxy.log.lock().unwrap().clear();
            let r = client
                .call_tool(CallToolRequestParams::new(name.clone()).with_arguments(args.clone()))
                .await
                .expect("tools/call answers");
            let exchanges = std::mem::take(&mut *proxy.log.lock().unwrap());
            let answer = text(&r);
            match (&expect_error, r.is_error == Some(true)) {
                (None, true) => problems.push(format!("{name}: failed: {answer}")),
                (Some(e), true) if !answer.contains(e.as_str()) => {
                    problems.push(format!("{name}: failed otherwise than `{e}`: {answer}"))
                }
                (Some(e), false) => {
                    problems.push(format!("{name}: should have failed with `{e}`: {answer}"))
                }
                _ => {}
            }
            if exchanges.is_empty() && expect_error.is_none() && !no_request {
                problems.push(format!("{name}: sent no request ({answer})"));
            }
            requests += exchanges.len();
            if exchanges.len() > 20 {
                busiest.push(format!("{name}: {} requests", exchanges.len()));
            }
            for x in &exchanges {
                if let Some(p) = &x.problem {
                    problems.push(format!("{name}: {} -> {}: {p}", x.request, x.status));
                }
                for v in &x.violations {
                    match Allowed::find(v) {
                        Some(a) => allowed_used.push(format!(
                            "{name}: {} at {}: {}",
                            x.request, a.location, a.reason
                        )),
                        None => problems.push(format!(
                            "{name}: {} violates the spec at {}: {}",
                            x.request, v.location, v.message
                        )),
                    }
                }
            }
        }
    }
    eprintln!(
        "prism: {} tools, {requests} requests; calls with more than 20:\n  {}\nallowed violations:\n  {}",
        tools.len(),
        busiest.join("\n  "),
        allowed_used.join("\n  ")
    );
    client.cancel().await.ok();
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert(p.clone()));
    assert!(
        problems.is_empty(),
        "{} problems against Prism:\n{}\n\nserver stderr:\n{}",
        problems.len(),
        problems.join("\n"),
        String::from_utf8_lossy(&stderr.lock().unwrap())
            .lines()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        requests > tools.len(),
        "the positive control: requests were made and judged"
    );
}
