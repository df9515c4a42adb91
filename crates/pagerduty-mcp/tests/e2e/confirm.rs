//! --confirm-writes: a person approves destructive and paging writes, on stdio and HTTP, with a
//! pre-2026 protocol (elicitation request during the call) and with 2026-07-28 (`input_required`
//! result and a sealed request state). A client that cannot ask gets a refusal; a tampered or
//! replayed state is refused; nothing is sent unless approved, and every attempt is audited.

use std::sync::{Arc, Mutex};

use pagerduty_sim::{Simulator, tokens};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, ClientCapabilities, ClientConfig, ElicitRequestParams,
    ElicitResult, ElicitationAction, Implementation, InputResponses, ProtocolVersion,
};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RequestContext, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, ErrorData, RoleClient};
use serde_json::{Value, json};

use crate::harness::{Harness, last_triggered, text};
use crate::http::HttpServer;

#[derive(Clone, Copy, Debug)]
enum Transport {
    Stdio,
    Http,
}

#[derive(Clone, Copy, Debug)]
enum Era {
    /// 2025-11-25: `initialize`, then an `elicitation/create` request during the call.
    Legacy,
    /// 2026-07-28: `server/discover`, then an `input_required` result and a retry.
    Modern,
}

/// A client whose "person" answers every confirmation with `answer`, and remembers the
/// questions; `can_ask: false` declares no elicitation capability.
#[derive(Clone)]
struct Person {
    answer: bool,
    can_ask: bool,
    era: Era,
    asked: Arc<Mutex<Vec<String>>>,
}

impl ClientHandler for Person {
    fn get_info(&self) -> ClientConfig {
        let caps = if self.can_ask {
            ClientCapabilities::builder().enable_elicitation().build()
        } else {
            ClientCapabilities::default()
        };
        let mut config = ClientConfig::new(caps, Implementation::new("person", "0"));
        if let Era::Legacy = self.era {
            config.protocol_version = ProtocolVersion::V_2025_11_25;
        }
        config
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        if let ElicitRequestParams::FormElicitationParams { message, .. } = request {
            self.asked.lock().unwrap().push(message);
        }
        Ok(ElicitResult::new(ElicitationAction::Accept)
            .with_content(json!({"confirm": self.answer})))
    }
}

/// A server with --confirm-writes and an audit log, and a connected person.
struct Session {
    sim: Option<Simulator>,
    http: Option<HttpServer>,
    client: RunningService<RoleClient, Person>,
    person: Person,
    audit: std::path::PathBuf,
}

impl Session {
    async fn start(transport: Transport, era: Era, answer: bool, can_ask: bool) -> Self {
        // One folder per session: tests running in parallel with the same settings must not
        // share (and clear) each other's audit log.
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "pd-confirm-{}-{n}-{:?}-{:?}-{answer}-{can_ask}",
            std::process::id(),
            transport,
            era
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let audit = dir.join("audit.jsonl");
        let _ = std::fs::remove_file(&audit);
        let audit_arg = audit.to_str().unwrap().to_owned();
        let args = [
            "--enable-write-tools",
            "--confirm-writes",
            "--audit-log",
            &audit_arg,
        ];
        let person = Person {
            answer,
            can_ask,
            era,
            asked: Arc::default(),
        };
        let lifecycle = match era {
            Era::Legacy => ClientLifecycleMode::Initialize,
            Era::Modern => ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        };
        match transport {
            Transport::Stdio => {
                let sim = Simulator::start(crate::harness::sim_config())
                    .await
                    .unwrap();
                let base = sim.base_url();
                let cmd = crate::harness::server_command().configure(|c| {
                    c.env("PAGERDUTY_API_HOST", &base)
                        .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
                        .args(args);
                });
                let client = person
                    .clone()
                    .serve_with_lifecycle(TokioChildProcess::new(cmd).unwrap(), lifecycle)
                    .await
                    .unwrap();
                Self {
                    sim: Some(sim),
                    http: None,
                    client,
                    person,
                    audit,
                }
            }
            Transport::Http => {
                let server = HttpServer::start(&args, &[]).await;
                let token = format!("Token token={}", tokens::DEMO_USER_TOKEN);
                let transport = server.transport(&[("authorization", &token)]);
                let client = person
                    .clone()
                    .serve_with_lifecycle(transport, lifecycle)
                    .await
                    .unwrap();
                Self {
                    sim: None,
                    http: Some(server),
                    client,
                    person,
                    audit,
                }
            }
        }
    }

    fn sim(&self) -> &Simulator {
        match (&self.sim, &self.http) {
            (Some(sim), _) => sim,
            (None, Some(http)) => &http.sim,
            (None, None) => unreachable!(),
        }
    }

    fn open_incident(&self) -> String {
        last_triggered(self.sim())
    }

    fn puts(&self) -> usize {
        self.sim().requests().count("PUT", "/incidents")
    }

    fn asked(&self) -> Vec<String> {
        self.person.asked.lock().unwrap().clone()
    }

    fn audit(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.audit)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Resolves `id` through the client's own confirmation handling; the error text or the result.
    async fn resolve(&self, id: &str) -> Result<Value, String> {
        let r = self
            .client
            .call_tool(CallToolRequestParams::new("manage_incidents").with_arguments(resolve(id)))
            .await
            .unwrap();
        if r.is_error == Some(true) {
            Err(text(&r))
        } else {
            Ok(r.structured_content.unwrap())
        }
    }
}

fn resolve(id: &str) -> rmcp::model::JsonObject {
    let Value::Object(args) =
        json!({"manage_request": {"incident_ids": [id], "status": "resolved"}})
    else {
        unreachable!()
    };
    args
}

const ALL: [(Transport, Era); 4] = [
    (Transport::Stdio, Era::Legacy),
    (Transport::Stdio, Era::Modern),
    (Transport::Http, Era::Legacy),
    (Transport::Http, Era::Modern),
];

#[tokio::test]
async fn an_approved_change_is_made_once_after_showing_the_exact_request() {
    for (transport, era) in ALL {
        let s = Session::start(transport, era, true, true).await;
        let id = s.open_incident();
        let out = s.resolve(&id).await;
        let case = format!("{transport:?}/{era:?}");
        assert!(out.is_ok(), "{case}: {out:?}");
        let asked = s.asked();
        assert_eq!(asked.len(), 1, "{case}");
        assert!(
            asked[0].contains("PUT /incidents")
                && asked[0].contains(&id)
                && asked[0].contains("resolved"),
            "{case}: {}",
            asked[0]
        );
        assert_eq!(s.puts(), 1, "{case}: written once");
        let outcomes: Vec<Value> = s.audit().iter().map(|l| l["outcome"].clone()).collect();
        let expected = match era {
            Era::Legacy => vec![json!("ok")],
            Era::Modern => vec![json!("awaiting_confirmation"), json!("ok")],
        };
        assert_eq!(outcomes, expected, "{case}");
    }
}

#[tokio::test]
async fn a_declined_change_sends_nothing_and_is_audited() {
    for (transport, era) in ALL {
        let s = Session::start(transport, era, false, true).await;
        let id = s.open_incident();
        let case = format!("{transport:?}/{era:?}");
        let err = s.resolve(&id).await.unwrap_err();
        assert!(err.contains("not confirmed"), "{case}: {err}");
        assert_eq!(s.asked().len(), 1, "{case}");
        assert_eq!(s.puts(), 0, "{case}: nothing sent");
        let last = s.audit().pop().unwrap();
        assert_eq!(last["outcome"], "declined", "{case}: {last}");
        assert_eq!(last["targets"], json!([id]), "{case}");
    }
}

#[tokio::test]
async fn a_client_without_elicitation_is_refused_with_the_reason() {
    for (transport, era) in ALL {
        let s = Session::start(transport, era, true, false).await;
        let id = s.open_incident();
        let case = format!("{transport:?}/{era:?}");
        let err = s.resolve(&id).await.unwrap_err();
        assert!(
            err.contains("did not declare the elicitation capability")
                && err.contains("nothing was sent")
                && err.contains("dry_run"),
            "{case}: {err}"
        );
        assert!(s.asked().is_empty(), "{case}");
        assert_eq!(s.puts(), 0, "{case}");
        assert_eq!(s.audit().pop().unwrap()["outcome"], "refused", "{case}");
        // Positive control: a harmless write needs no confirmation and goes through.
        let r = s
            .client
            .call_tool(
                CallToolRequestParams::new("add_note_to_incident").with_arguments(
                    json!({"incident_id": id, "note": "looking"})
                        .as_object()
                        .unwrap()
                        .clone(),
                ),
            )
            .await
            .unwrap();
        assert_ne!(r.is_error, Some(true), "{case}: {}", text(&r));
    }
}

/// 2026-07-28 by hand: the first call answers `input_required`; a retry must carry the same
/// arguments and the untouched state, once.
#[tokio::test]
async fn a_tampered_or_replayed_state_is_refused() {
    for transport in [Transport::Stdio, Transport::Http] {
        let s = Session::start(transport, Era::Modern, true, true).await;
        let id = s.open_incident();
        let other = s
            .sim()
            .state()
            .incidents()
            .into_iter()
            .find(|i| i.status == "triggered" && i.id != id)
            .unwrap()
            .id;
        let first = s
            .client
            .call_tool_once(
                CallToolRequestParams::new("manage_incidents").with_arguments(resolve(&id)),
            )
            .await
            .unwrap();
        let CallToolResponse::InputRequired(asked) = first else {
            panic!("{transport:?}: expected input_required, got {first:?}");
        };
        let state = asked.request_state.unwrap();
        let question = asked.input_requests.unwrap();
        assert!(question.contains_key("confirm_write"), "{question:?}");
        let mut yes = InputResponses::new();
        yes.insert(
            "confirm_write".into(),
            json!({"action": "accept", "content": {"confirm": true}}),
        );
        // The call again with the approval and a request state.
        let retry = async |args, state: String| {
            let params = CallToolRequestParams::new("manage_incidents")
                .with_arguments(args)
                .with_input_responses(yes.clone())
                .with_request_state(state);
            s.client.call_tool_once(params).await.unwrap()
        };
        let refused = |r: CallToolResponse| match r {
            CallToolResponse::Complete(r) if r.is_error == Some(true) => text(&r),
            other => panic!("{transport:?}: expected a refusal, got {other:?}"),
        };
        // The approval of one incident does not resolve another.
        let msg = refused(retry(resolve(&other), state.clone()).await);
        assert!(msg.contains("does not match"), "{msg}");
        // A changed state fails its seal.
        let mut forged = state.clone();
        forged.insert(forged.len() / 2, 'A');
        let msg = refused(retry(resolve(&id), forged).await);
        assert!(msg.contains("does not match"), "{msg}");
        assert_eq!(s.puts(), 0, "{transport:?}: nothing sent so far");
        // The untouched state with the same arguments: written once; a replay is refused.
        let done = retry(resolve(&id), state.clone()).await;
        assert!(
            matches!(&done, CallToolResponse::Complete(r) if r.is_error != Some(true)),
            "{transport:?}: {done:?}"
        );
        assert_eq!(s.puts(), 1);
        let msg = refused(retry(resolve(&id), state).await);
        assert!(msg.contains("already used"), "{msg}");
        assert_eq!(s.puts(), 1, "{transport:?}: the replay sent nothing");
        let outcomes: Vec<Value> = s.audit().iter().map(|l| l["outcome"].clone()).collect();
        assert_eq!(
            outcomes,
            [
                "awaiting_confirmation",
                "refused",
                "refused",
                "ok",
                "refused"
            ]
            .map(Value::from),
            "{transport:?}"
        );
    }
}

#[tokio::test]
async fn harmless_writes_and_dry_runs_need_no_confirmation_and_call_cannot_ask() {
    let h = Harness::with_args(&["--enable-write-tools", "--confirm-writes"]).await;
    let id = last_triggered(&h.sim);
    h.acknowledge(&id).await;
    h.ok(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [id], "status": "resolved"}, "dry_run": true}),
    )
    .await;
    assert_eq!(
        h.sim.requests().count("PUT", "/incidents"),
        1,
        "only the acknowledgement"
    );

    // The `call` command has no client to ask: a warning at start-up, a refusal, nothing sent.
    let out = crate::harness::server_command()
        .env("PAGERDUTY_API_HOST", h.sim.base_url())
        .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
        .args([
            "--enable-write-tools",
            "--confirm-writes",
            "call",
            "manage_incidents",
        ])
        .arg(json!({"manage_request": {"incident_ids": [id], "status": "resolved"}}).to_string())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("WARN") && stderr.contains("no MCP client to ask"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    assert_eq!(h.sim.requests().count("PUT", "/incidents"), 1);
}
