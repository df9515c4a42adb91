//! --confirm-writes: a person approves destructive and paging writes through MCP elicitation;
//! a client that cannot ask gets a refusal, and nothing is sent either way unless approved.

use std::sync::{Arc, Mutex};

use pagerduty_sim::{Simulator, tokens};
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, ElicitRequestParams, ElicitResult,
    ElicitationAction, Implementation, ProtocolVersion,
};
use rmcp::service::RequestContext;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, ErrorData, RoleClient, ServiceExt};
use serde_json::{Value, json};

use crate::harness::{BIN, Harness, Options, text};

/// A client whose "person" answers every confirmation with `answer`, and remembers the questions.
#[derive(Clone)]
struct Person {
    answer: bool,
    asked: Arc<Mutex<Vec<String>>>,
}

impl ClientHandler for Person {
    fn get_info(&self) -> ClientConfig {
        let mut config = ClientConfig::new(
            ClientCapabilities::builder().enable_elicitation().build(),
            Implementation::new("person", "0"),
        );
        // Elicitation is a server-to-client request, which the 2025-11-25 revision has.
        config.protocol_version = ProtocolVersion::V_2025_11_25;
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

async fn resolve_with(answer: bool) -> (Simulator, String, Value, Vec<String>) {
    let sim = Simulator::start(crate::harness::sim_config())
        .await
        .unwrap();
    let base = sim.base_url();
    let cmd = tokio::process::Command::new(BIN).configure(|c| {
        c.env("PAGERDUTY_API_HOST", &base)
            .env("PAGERDUTY_USER_API_KEY", tokens::DEMO_USER_TOKEN)
            .args(["--enable-write-tools", "--confirm-writes"]);
    });
    let person = Person {
        answer,
        asked: Arc::default(),
    };
    let client = person
        .clone()
        .serve(TokioChildProcess::new(cmd).unwrap())
        .await
        .unwrap();
    let id = sim
        .state()
        .incidents()
        .into_iter()
        .rev()
        .find(|i| i.status == "triggered")
        .unwrap()
        .id;
    let Value::Object(args) =
        json!({"manage_request": {"incident_ids": [id], "status": "resolved"}})
    else {
        unreachable!()
    };
    let r = client
        .call_tool(CallToolRequestParams::new("manage_incidents").with_arguments(args))
        .await
        .unwrap();
    let out = if r.is_error == Some(true) {
        json!({"error": text(&r)})
    } else {
        r.structured_content.unwrap()
    };
    let asked = person.asked.lock().unwrap().clone();
    (sim, id, out, asked)
}

#[tokio::test]
async fn an_approved_change_is_made_after_showing_the_exact_request() {
    let (sim, id, out, asked) = resolve_with(true).await;
    assert!(out.get("error").is_none(), "{out}");
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].contains("PUT /incidents")
            && asked[0].contains(&id)
            && asked[0].contains("resolved"),
        "{}",
        asked[0]
    );
    assert_eq!(sim.requests().count("PUT", "/incidents"), 1);
}

#[tokio::test]
async fn a_declined_change_sends_nothing() {
    let (sim, _, out, asked) = resolve_with(false).await;
    assert_eq!(asked.len(), 1);
    assert!(
        out["error"].as_str().unwrap().contains("not confirmed"),
        "{out}"
    );
    assert_eq!(sim.requests().count("PUT", "/incidents"), 0);
}

#[tokio::test]
async fn clients_that_cannot_ask_get_a_refusal_and_harmless_writes_pass() {
    let h = Harness::start(Options {
        args: &["--enable-write-tools", "--confirm-writes"],
        ..Options::default()
    })
    .await;
    let id = h
        .sim
        .state()
        .incidents()
        .into_iter()
        .rev()
        .find(|i| i.status == "triggered")
        .unwrap()
        .id;
    let msg = h
        .err(
            "manage_incidents",
            json!({"manage_request": {"incident_ids": [id], "status": "resolved"}}),
        )
        .await;
    assert!(
        msg.contains("--confirm-writes") && msg.contains("nothing was sent"),
        "{msg}"
    );
    assert_eq!(h.sim.requests().count("PUT", "/incidents"), 0);
    // Acknowledging and notes are not destructive: no confirmation needed.
    h.ok(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [id], "status": "acknowledged"}}),
    )
    .await;
    h.ok(
        "add_note_to_incident",
        json!({"incident_id": id, "note": "looking"}),
    )
    .await;
    // A dry run needs no confirmation either.
    h.ok(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [id], "status": "resolved"}, "dry_run": true}),
    )
    .await;
}
