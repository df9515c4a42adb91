//! `--confirm-writes`: asking a person before a write, the way the call's protocol allows.
//!
//! - Protocols before 2026-07-28: an `elicitation/create` request during the call, over stdio or,
//!   over HTTP, on the call's own response stream (the answer comes back in the same legacy
//!   session, see `http`).
//! - 2026-07-28 forbids server-to-client requests: the call answers with an `input_required`
//!   result holding the question; the client asks the person and calls again with the answer and
//!   the echoed request state. That state is sealed (HMAC-SHA256 under a key drawn at start-up),
//!   bound to the tool, its arguments, the exact planned requests and the caller's credential,
//!   expires, and is accepted once: a client can neither change what gets written nor replay an
//!   approval.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pagerduty::Exchange;
use rmcp::RoleServer;
use rmcp::model::{
    ClientCapabilities, ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction,
    ElicitationSchema, InputRequest, InputRequests, InputRequiredResult, InputResponses,
    JsonObject, RequestStateCodec, SealOptions,
};
use rmcp::service::{ElicitationError, Peer};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::ToolError;
use crate::writes::Confirmation;

/// The key of the one question in an `input_required` result.
pub const QUESTION: &str = "confirm_write";
/// How long a person has to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(600);
/// Most approvals outstanding at once (each is a few dozen bytes); older ones are dropped first.
const MAX_OUTSTANDING: usize = 10_000;

/// How this call can reach a person.
pub enum Channel<'a> {
    /// No MCP client (the `call` command).
    Nobody,
    /// A protocol before 2026-07-28: ask with `elicitation/create` during the call.
    Elicit(&'a Peer<RoleServer>),
    /// 2026-07-28: ask with an `input_required` result; `responses`/`state` are the retry's.
    RoundTrip {
        /// The call's client capabilities include (form) elicitation.
        can_ask: bool,
        responses: Option<&'a InputResponses>,
        state: Option<&'a str>,
    },
}

/// What a confirmation step decided.
pub enum Verdict {
    /// The person said yes: make the change.
    Approved,
    /// Answer the call with this question; the client calls again with the answer.
    Ask(InputRequiredResult),
}

#[derive(Serialize, Deserialize)]
struct State {
    nonce: String,
}

/// Seals and checks the request state of 2026-07-28 confirmations.
pub struct Confirmer {
    codec: RequestStateCodec,
    /// Approvals asked for and not yet used: nonce → when asked.
    outstanding: Mutex<HashMap<String, Instant>>,
}

impl Confirmer {
    /// A confirmer with a fresh random key: its states are good only in this process.
    pub fn new() -> anyhow::Result<Self> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| anyhow::anyhow!("no random numbers for --confirm-writes: {e}"))?;
        Ok(Self {
            codec: RequestStateCodec::try_new(key.to_vec())?,
            outstanding: Mutex::new(HashMap::new()),
        })
    }

    /// Asks (or checks the answer to) "may `tool` send `planned`?".
    pub async fn confirm(
        &self,
        channel: &Channel<'_>,
        tool: &str,
        binding: &Binding,
        question: String,
    ) -> Result<Verdict, ToolError> {
        match channel {
            Channel::Nobody => Err(ToolError::Refused(format!(
                "`{tool}` needs a person to confirm it (--confirm-writes), and there is no MCP client here \
                 to ask; nothing was sent. Review the change with dry_run, or run the command without \
                 --confirm-writes."
            ))),
            Channel::Elicit(peer) => elicit(peer, tool, question)
                .await
                .map(|()| Verdict::Approved),
            Channel::RoundTrip {
                can_ask,
                responses,
                state,
            } => match (responses, state) {
                (None, None) => {
                    if !can_ask {
                        return Err(cannot_ask(
                            tool,
                            "did not declare the elicitation capability",
                        ));
                    }
                    Ok(Verdict::Ask(self.ask(binding, question)))
                }
                (Some(responses), Some(state)) => self
                    .check(tool, binding, responses, state)
                    .map(|()| Verdict::Approved),
                _ => Err(ToolError::Refused(format!(
                    "`{tool}` was retried with only half of a confirmation (inputResponses and requestState \
                     go together); nothing was sent. Call the tool again without them to be asked afresh."
                ))),
            },
        }
    }

    fn ask(&self, binding: &Binding, question: String) -> InputRequiredResult {
        let mut nonce = [0u8; 16];
        // The source already served the key at start-up; a nonce only has to differ from the
        // other outstanding ones.
        let _ = getrandom::fill(&mut nonce);
        let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        {
            let mut outstanding = self.outstanding.lock().unwrap_or_else(|e| e.into_inner());
            outstanding.retain(|_, at| at.elapsed() < ANSWER_WITHIN);
            if outstanding.len() >= MAX_OUTSTANDING
                && let Some(oldest) = outstanding
                    .iter()
                    .min_by_key(|(_, at)| **at)
                    .map(|(n, _)| n.clone())
            {
                outstanding.remove(&oldest);
            }
            outstanding.insert(nonce.clone(), Instant::now());
        }
        let sealed = self
            .codec
            .seal_json_with(
                &State { nonce },
                &SealOptions::new()
                    .associated_data(&binding.0)
                    .ttl(ANSWER_WITHIN),
            )
            .unwrap_or_default();
        let schema = ElicitationSchema::from_type::<Confirmation>().ok();
        let mut requests = InputRequests::new();
        if let Some(requested_schema) = schema {
            requests.insert(
                QUESTION.to_owned(),
                InputRequest::Elicitation(ElicitRequest::new(
                    ElicitRequestParams::FormElicitationParams {
                        meta: None,
                        message: question,
                        requested_schema,
                    },
                )),
            );
        }
        InputRequiredResult::new(Some(requests), Some(sealed))
    }

    fn check(
        &self,
        tool: &str,
        binding: &Binding,
        responses: &InputResponses,
        state: &str,
    ) -> Result<(), ToolError> {
        let opened: State = self
            .codec
            .open_json_with(state, &binding.0)
            .map_err(|e| {
                ToolError::Refused(format!(
                    "The confirmation does not match this call of `{tool}` ({e}): the arguments, the planned \
                     requests or the credential differ from what the person was shown, or it is too old. \
                     Nothing was sent; call the tool again without inputResponses/requestState to be asked afresh."
                ))
            })?;
        let fresh = self
            .outstanding
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&opened.nonce)
            .is_some_and(|at| at.elapsed() < ANSWER_WITHIN);
        if !fresh {
            return Err(ToolError::Refused(format!(
                "This confirmation of `{tool}` was already used (or was issued by another server process); \
                 nothing was sent. Call the tool again without inputResponses/requestState to be asked afresh."
            )));
        }
        let answer = responses
            .get(QUESTION)
            .and_then(|v| serde_json::from_value::<ElicitResult>(v.clone()).ok());
        match answer {
            Some(ElicitResult {
                action: ElicitationAction::Accept,
                content: Some(content),
                ..
            }) if serde_json::from_value::<Confirmation>(content.clone())
                .is_ok_and(|c| c.confirm) =>
            {
                Ok(())
            }
            Some(_) => Err(not_confirmed(tool)),
            None => Err(ToolError::Refused(format!(
                "The retry of `{tool}` carries no answer to `{QUESTION}`; nothing was sent."
            ))),
        }
    }
}

/// What a confirmation is bound to: a digest of the tool, its arguments, the planned requests
/// and the credential's fingerprint.
pub struct Binding(Vec<u8>);

impl Binding {
    pub fn new(tool: &str, args: &JsonObject, planned: &[Exchange], credential: &str) -> Self {
        let planned: Vec<Value> = planned
            .iter()
            .map(|e| json!({"method": e.method, "host": e.host, "path": e.path, "query": e.query, "body": e.body}))
            .collect();
        let bound = canonical(&json!({
            "tool": tool,
            "arguments": args,
            "planned": planned,
            "credential": credential,
        }));
        Self(Sha256::digest(bound.to_string().as_bytes()).to_vec())
    }
}

/// The value with object keys sorted at every depth, so equal JSON digests equally.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&o[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Whether declared capabilities include form elicitation (a bare `elicitation: {}` means form).
pub fn can_ask(caps: &ClientCapabilities) -> bool {
    caps.elicitation
        .as_ref()
        .is_some_and(|e| e.form.is_some() || e.url.is_none())
}

async fn elicit(peer: &Peer<RoleServer>, tool: &str, question: String) -> Result<(), ToolError> {
    let asked = peer
        .elicit_with_timeout::<Confirmation>(question, Some(ANSWER_WITHIN))
        .await;
    match asked {
        Ok(Some(Confirmation { confirm: true })) => Ok(()),
        Ok(_) | Err(ElicitationError::UserDeclined) | Err(ElicitationError::UserCancelled) => {
            Err(not_confirmed(tool))
        }
        Err(ElicitationError::CapabilityNotSupported) => Err(cannot_ask(
            tool,
            "did not declare the elicitation capability",
        )),
        Err(e) => Err(cannot_ask(tool, &format!("could not ask ({e})"))),
    }
}

fn not_confirmed(tool: &str) -> ToolError {
    ToolError::NotConfirmed(format!(
        "The change was not confirmed, so nothing was sent (`{tool}`)."
    ))
}

fn cannot_ask(tool: &str, why: &str) -> ToolError {
    ToolError::Refused(format!(
        "`{tool}` needs a person to confirm it (--confirm-writes), but this MCP client {why}, so the server \
         cannot ask; nothing was sent. Use a client that supports elicitation, review the change with \
         dry_run, or run the server without --confirm-writes."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: Value) -> JsonObject {
        match v {
            Value::Object(o) => o,
            _ => JsonObject::new(),
        }
    }

    fn accept(confirm: bool) -> InputResponses {
        let mut r = InputResponses::new();
        r.insert(
            QUESTION.into(),
            json!({"action": "accept", "content": {"confirm": confirm}}),
        );
        r
    }

    fn round_trip<'a>(
        responses: Option<&'a InputResponses>,
        state: Option<&'a str>,
    ) -> Channel<'a> {
        Channel::RoundTrip {
            can_ask: can_ask(&ClientCapabilities::builder().enable_elicitation().build()),
            responses,
            state,
        }
    }

    /// Tool `t` asked about `binding`, with this answer and state coming back.
    async fn answer(
        c: &Confirmer,
        binding: &Binding,
        responses: Option<&InputResponses>,
        state: Option<&str>,
    ) -> Result<Verdict, ToolError> {
        c.confirm(&round_trip(responses, state), "t", binding, "ok?".into())
            .await
    }

    async fn asked(c: &Confirmer, binding: &Binding) -> String {
        match answer(c, binding, None, None).await {
            Ok(Verdict::Ask(r)) => {
                assert!(r.input_requests.unwrap().contains_key(QUESTION));
                r.request_state.unwrap()
            }
            _ => panic!("expected a question"),
        }
    }

    #[tokio::test]
    async fn a_state_opens_once_for_the_same_binding_only() {
        let c = Confirmer::new().unwrap();
        let a = args(json!({"b": 1, "a": [{"y": 2, "x": 1}]}));
        let reordered = args(json!({"a": [{"x": 1, "y": 2}], "b": 1}));
        let binding = Binding::new("t", &a, &[], "fp1");
        let state = asked(&c, &binding).await;
        let yes = accept(true);
        // Another credential, other arguments, a changed state: refused.
        for (other, s) in [
            (Binding::new("t", &a, &[], "fp2"), state.clone()),
            (
                Binding::new("t", &args(json!({"b": 2})), &[], "fp1"),
                state.clone(),
            ),
            (Binding::new("u", &a, &[], "fp1"), state.clone()),
            (Binding::new("t", &a, &[], "fp1"), format!("{state}x")),
        ] {
            let r = answer(&c, &other, Some(&yes), Some(&s)).await;
            assert!(matches!(r, Err(ToolError::Refused(_))));
        }
        // The same binding (key order does not matter) and a yes: approved, once.
        let same = Binding::new("t", &reordered, &[], "fp1");
        let r = answer(&c, &same, Some(&yes), Some(&state)).await;
        assert!(matches!(r, Ok(Verdict::Approved)));
        let again = answer(&c, &same, Some(&yes), Some(&state)).await;
        assert!(matches!(again, Err(ToolError::Refused(m)) if m.contains("already used")));
        // A no is a decline.
        let state = asked(&c, &binding).await;
        let no = accept(false);
        let r = answer(&c, &binding, Some(&no), Some(&state)).await;
        assert!(matches!(r, Err(ToolError::NotConfirmed(_))));
    }

    #[tokio::test]
    async fn a_client_without_elicitation_is_refused_with_the_reason() {
        let c = Confirmer::new().unwrap();
        let binding = Binding::new("t", &JsonObject::new(), &[], "fp");
        let channel = Channel::RoundTrip {
            can_ask: can_ask(&ClientCapabilities::default()),
            responses: None,
            state: None,
        };
        let r = c.confirm(&channel, "t", &binding, "ok?".into()).await;
        assert!(
            matches!(&r, Err(ToolError::Refused(m)) if m.contains("did not declare the elicitation capability"))
        );
    }
}
