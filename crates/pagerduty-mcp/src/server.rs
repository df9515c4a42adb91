//! The MCP server: lists the registry's tools and dispatches calls to them.

use std::sync::Arc;

use std::collections::HashMap;
use std::sync::Mutex;

use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams,
    CompleteResult, ContentBlock, GetPromptRequestParams, GetPromptResponse, Implementation,
    JsonObject, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, ProtocolVersion, ReadResourceRequestParams,
    ReadResourceResponse, Reference, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use crate::confirm::{Binding, Channel, Confirmer, Verdict};
use crate::context::Ctx;
use crate::credentials::LocalSecrets;
use crate::error::ToolError;
use crate::output;
use crate::redact::Redactor;
use crate::registry::{Registry, ToolDef};
use crate::resources;
use crate::secrets;
use crate::writes::{self, Attempt, AuditLog, Outcome};
use pagerduty::{Credential, Journal};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

pub const NAME: &str = "pagerduty-mcp";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const INSTRUCTIONS: &str = "Tools for a PagerDuty account: incidents, alerts, services, on-call and \
escalation policies. Read tools are safe. Write tools change the account and may page people: \
confirm with the user before calling a tool whose destructiveHint is true. For 'me'/'my', call \
get_user_data first. Lists return `more` and `next_offset`: pass it as `offset` for the next \
results (`limit` is at most 1000, less where a tool says so) rather than raising `limit` when you \
only need a few items.";

/// The PagerDuty credential an HTTP caller presented, put on the request by the HTTP layer.
#[derive(Clone, Debug)]
pub struct CallerCredential(pub pagerduty::Credential);

/// Safety settings applied around every call.
pub struct Policy {
    pub audit: Option<AuditLog>,
    pub redactor: Option<Redactor>,
    /// The output budget: the largest result, in bytes of JSON.
    pub max_output_bytes: usize,
    /// `--confirm-writes`: ask a person before destructive or paging writes.
    pub confirmer: Option<Confirmer>,
}

#[derive(Clone)]
pub struct PagerDutyServer {
    registry: Arc<Registry>,
    /// The server's own credential and routing key, read afresh for each call.
    local: Arc<LocalSecrets>,
    policy: Arc<Policy>,
    /// Per-request HTTP callers whose `Token` credential came with `From`: whether the token is
    /// an account key (true) or a user token (false), by credential fingerprint.
    account_keys: Arc<Mutex<HashMap<String, bool>>>,
}

/// Most credentials whose kind is remembered; the map is emptied when full.
const MAX_REMEMBERED_KEYS: usize = 10_000;

/// What a call's answer is before it goes on the wire.
enum Answer {
    Done(Value),
    Ask(rmcp::model::InputRequiredResult),
}

impl PagerDutyServer {
    pub fn new(registry: Arc<Registry>, local: Arc<LocalSecrets>, policy: Policy) -> Self {
        Self {
            registry,
            local,
            policy: Arc::new(policy),
            account_keys: Arc::default(),
        }
    }

    pub fn local(&self) -> &LocalSecrets {
        &self.local
    }

    /// The server's own context: its secrets' current values.
    fn local_ctx(&self) -> Result<Ctx, ToolError> {
        self.local
            .ctx()
            .map_err(|e| ToolError::Setup(format!("{e:#}")))
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The context of a call: over HTTP in per-request mode, the caller's own credential (set
    /// by the HTTP layer on the request) and never the server's routing key; otherwise the
    /// server's. The bool says whether the call is an HTTP caller's.
    async fn ctx_for(
        &self,
        context: &RequestContext<RoleServer>,
    ) -> Result<(Ctx, bool), ToolError> {
        let caller = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CallerCredential>());
        match caller {
            Some(CallerCredential(credential)) => {
                let credential = self.identify(credential).await;
                let ctx = Ctx {
                    pd: self.local.base().with_credential(credential),
                    routing_key: None,
                };
                Ok((ctx, true))
            }
            None => Ok((self.local_ctx()?, false)),
        }
    }

    /// A caller's `Token` credential sent with `From` is an account key only if PagerDuty says
    /// the token has no user of its own (`GET /users/me` → 400); a user token keeps its own
    /// identity, so `From` cannot make "me" someone else. The answer is remembered per token.
    async fn identify(&self, credential: &Credential) -> Credential {
        let Credential::AccountKey { key, from: Some(_) } = credential else {
            return credential.clone();
        };
        let fingerprint = secrets::fingerprint(credential);
        let known = self
            .account_keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&fingerprint)
            .copied();
        let as_user = Credential::user_token(key.expose_secret());
        let account_key = match known {
            Some(known) => known,
            None => {
                let probe = self.local.base().with_credential(as_user.clone());
                let verdict = match probe.current_user().await {
                    Ok(_) => Some(false),
                    Err(e) if e.status() == Some(400) => Some(true),
                    // Unknown (e.g. a 401): keep `From`, the call fails on its own anyway.
                    Err(_) => None,
                };
                if let Some(v) = verdict {
                    let mut map = self.account_keys.lock().unwrap_or_else(|e| e.into_inner());
                    if map.len() >= MAX_REMEMBERED_KEYS {
                        map.clear();
                    }
                    map.insert(fingerprint, v);
                }
                verdict.unwrap_or(true)
            }
        };
        if account_key {
            credential.clone()
        } else {
            as_user
        }
    }

    /// Runs one tool call with the server's own context (stdio, `call`).
    pub async fn dispatch(&self, name: &str, args: JsonObject) -> CallToolResult {
        let ctx = match self.local_ctx() {
            Ok(ctx) => ctx,
            Err(e) => return CallToolResult::error(vec![ContentBlock::text(e.to_string())]),
        };
        match self
            .dispatch_with(ctx, &Channel::Nobody, false, name, args)
            .await
        {
            CallToolResponse::Complete(r) => r,
            _ => CallToolResult::error(vec![ContentBlock::text(
                "internal error: this call cannot ask a person",
            )]),
        }
    }

    /// Runs one tool call. Every failure is a tool result with `isError`, worded for the model.
    async fn dispatch_with(
        &self,
        ctx: Ctx,
        channel: &Channel<'_>,
        http_caller: bool,
        name: &str,
        args: JsonObject,
    ) -> CallToolResponse {
        let Some(def) = self.registry.get(name) else {
            let text = match self.registry.withheld(name) {
                Some(reason) => format!("`{name}` is not available: {reason}"),
                None => format!("Unknown tool `{name}`; tools/list shows the available tools."),
            };
            return CallToolResult::error(vec![ContentBlock::text(text)]).into();
        };
        if tracing::enabled!(tracing::Level::DEBUG) {
            let shown = secrets::masked(&Value::Object(args.clone()));
            tracing::debug!(tool = name, arguments = %shown, "tool call");
        }
        let offset = paging_offset(&args);
        let oauth = matches!(ctx.pd.credential(), Some(Credential::OAuth(_)));
        let running = crate::metrics::ToolCall::start();
        let outcome = if def.access.is_write() {
            self.write(def, ctx, channel, http_caller, args).await
        } else {
            def.call(ctx, args).await.map(Answer::Done)
        };
        running.finish(name, outcome.is_ok());
        match outcome {
            Ok(Answer::Done(mut value)) => {
                self.finish(name, offset, &mut value);
                CallToolResult::structured(value).into()
            }
            Ok(Answer::Ask(question)) => {
                tracing::debug!(tool = name, "asked for confirmation (input_required)");
                question.into()
            }
            Err(e) => {
                tracing::debug!(tool = name, error = %e, "tool call failed");
                let mut text = e.to_string();
                if oauth && matches!(&e, ToolError::PagerDuty(pd) if pd.status() == Some(403)) {
                    text.push_str(&format!(
                        " `{name}` needs the OAuth scopes {}; a token without one of them gets this 403, \
                         so ask for a token with all of them.",
                        def.scopes.join(", ")
                    ));
                }
                if let Some(r) = &self.policy.redactor {
                    text = r.text(&text);
                }
                CallToolResult::error(vec![ContentBlock::text(text)]).into()
            }
        }
    }

    /// A result as every caller sees it: redacted (`--redact`) and within the output budget.
    fn finish(&self, name: &str, offset: u64, value: &mut Value) {
        if let Some(r) = &self.policy.redactor {
            r.value(value);
        }
        if let Some(note) = output::fit(value, self.policy.max_output_bytes, offset) {
            tracing::debug!(tool = name, note, "result cut to the output budget");
        }
        if tracing::enabled!(tracing::Level::DEBUG) {
            let shown = secrets::masked(value);
            tracing::debug!(tool = name, result = %shown, "tool result");
        }
    }

    /// Runs a read tool for a resource, with the caller's context and the same redaction and
    /// budget as a tool call. PagerDuty's 404 (or an id the tool refuses) is the spec's
    /// resource-not-found; a kind whose tool is not loaded (`--toolsets`) is not found either.
    async fn read_for_resource(
        &self,
        context: &RequestContext<RoleServer>,
        name: &str,
        args: JsonObject,
    ) -> Result<Value, ErrorData> {
        let Some(def) = self.registry.get(name).filter(|d| !d.access.is_write()) else {
            return Err(ErrorData::resource_not_found(
                format!(
                    "this server does not load `{name}`, which reads these resources (--toolsets)"
                ),
                None,
            ));
        };
        let error = |e| self.resource_error(e);
        let (ctx, _) = self.ctx_for(context).await.map_err(error)?;
        let offset = paging_offset(&args);
        let mut value = def.call(ctx, args).await.map_err(error)?;
        self.finish(name, offset, &mut value);
        Ok(value)
    }

    /// The open incidents for `resources/list`, of all time, as a redacted page.
    async fn open_incidents(
        &self,
        context: &RequestContext<RoleServer>,
        cursor: Option<&str>,
    ) -> Result<Value, ErrorData> {
        let (query, window) = resources::open_incidents_query(cursor)?;
        let error = |e| self.resource_error(e);
        let (ctx, _) = self.ctx_for(context).await.map_err(error)?;
        let page = ctx
            .pd
            .for_one_call()
            .list(&query, window)
            .await
            .map_err(|e| error(e.into()))?;
        let mut value =
            json!({"items": page.items, "more": page.more, "next_offset": page.next_offset});
        self.finish("resources/list", u64::from(window.offset), &mut value);
        Ok(value)
    }

    /// A failed resource read as the spec's error: PagerDuty's 404 (or an id the tool refuses)
    /// is resource-not-found.
    fn resource_error(&self, e: ToolError) -> ErrorData {
        let mut text = e.to_string();
        if let Some(r) = &self.policy.redactor {
            text = r.text(&text);
        }
        match e {
            ToolError::PagerDuty(pd) if pd.status() == Some(404) => {
                ErrorData::resource_not_found(text, None)
            }
            ToolError::InvalidArgument { .. }
            | ToolError::PagerDuty(pagerduty::Error::InvalidId(_)) => {
                ErrorData::resource_not_found(text, None)
            }
            _ => ErrorData::internal_error(text, None),
        }
    }

    /// A write: honours `dry_run` and `--confirm-writes`, and records every attempt (refused,
    /// declined and invalid ones included) in the audit log before answering.
    async fn write(
        &self,
        def: &ToolDef,
        ctx: Ctx,
        channel: &Channel<'_>,
        http_caller: bool,
        args: JsonObject,
    ) -> Result<Answer, ToolError> {
        let logged = self.policy.audit.as_ref().map(|_| args.clone());
        let mut args = args;
        let (dry_run, journal, outcome) = match writes::take_dry_run(&mut args) {
            Err(e) => (false, Journal::live(), Err(e)),
            Ok(dry_run) => {
                let journal = if dry_run {
                    Journal::dry_run()
                } else {
                    Journal::live()
                };
                let outcome = self.write_steps(def, &ctx, channel, args, &journal).await;
                (dry_run, journal, outcome)
            }
        };
        if let (Some(audit), Some(arguments)) = (&self.policy.audit, logged) {
            let entries = journal.entries();
            let attempt = Attempt {
                tool: def.name(),
                arguments: &arguments,
                dry_run,
                outcome: match &outcome {
                    Ok(Answer::Done(_)) => Outcome::Done,
                    Ok(Answer::Ask(_)) => Outcome::AwaitingConfirmation,
                    Err(e) => Outcome::Failed(e),
                },
                exchanges: &entries,
                caller: caller(&ctx, http_caller).await,
            };
            if let Err(e) = audit.record(&attempt) {
                // The change (if any) is made; failing the call would invite a duplicate retry.
                tracing::error!(path = %audit.path().display(), error = %e, "could not write the audit log");
            }
        }
        outcome
    }

    /// A dry run, or confirmation then the call; what was sent (or planned) lands in `journal`.
    async fn write_steps(
        &self,
        def: &ToolDef,
        ctx: &Ctx,
        channel: &Channel<'_>,
        args: JsonObject,
        journal: &Journal,
    ) -> Result<Answer, ToolError> {
        if journal.is_dry_run() {
            return match def.call(ctx.with_journal(journal.clone()), args).await {
                Ok(_) | Err(ToolError::PagerDuty(pagerduty::Error::DryRun)) => {
                    Ok(Answer::Done(writes::dry_run_result(journal)))
                }
                Err(e) => Err(e),
            };
        }
        if let Some(confirmer) = &self.policy.confirmer
            && writes::needs_confirmation(def, &args)
        {
            // Plan the exact requests (reads run, writes are only recorded) to show them.
            let plan = Journal::dry_run();
            if let Err(e) = def.call(ctx.with_journal(plan.clone()), args.clone()).await
                && !matches!(e, ToolError::PagerDuty(pagerduty::Error::DryRun))
            {
                return Err(e);
            }
            let planned = plan.entries();
            let credential = ctx
                .pd
                .credential()
                .map(secrets::fingerprint)
                .unwrap_or_default();
            let binding = Binding::new(def.name(), &args, &planned, &credential);
            let question = writes::describe(def.name(), &planned);
            match confirmer
                .confirm(channel, def.name(), &binding, question)
                .await?
            {
                Verdict::Approved => {}
                Verdict::Ask(q) => return Ok(Answer::Ask(q)),
            }
        }
        def.call(ctx.with_journal(journal.clone()), args)
            .await
            .map(Answer::Done)
    }
}

/// Who makes a write, for the audit log: the credential's kind and fingerprint, and for an HTTP
/// caller the PagerDuty user it acts as (never the credential).
async fn caller(ctx: &Ctx, http_caller: bool) -> Value {
    let Some(credential) = ctx.pd.credential() else {
        return json!({"credential": null});
    };
    let mut out = json!({
        "credential": credential.kind(),
        "fingerprint": secrets::fingerprint(credential),
        "transport": if http_caller { "http" } else { "local" },
    });
    if http_caller {
        out["user"] = match ctx.pd.current_user().await {
            Ok(u) => json!({"id": u.id, "email": u.email}),
            Err(e) => json!({"unknown": e.to_string()}),
        };
    }
    out
}

/// How long a client may keep the tool list: it never changes while the server runs.
const TOOLS_TTL_MS: u64 = 24 * 60 * 60 * 1000;

/// Whether the call's protocol is 2026-07-28 or later (MRTR, caching hints).
fn modern(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str())
}

/// Where a listing started (`offset`, at the top level or in `query_model`).
fn paging_offset(args: &JsonObject) -> u64 {
    args.get("offset")
        .or_else(|| args.get("query_model").and_then(|q| q.get("offset")))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

impl ServerHandler for PagerDutyServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_completions()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new(NAME, VERSION).with_title("PagerDuty"))
        .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = ListToolsResult::with_all_items(
            self.registry.iter().map(|t| t.tool().clone()).collect(),
        );
        // The list is fixed by the configuration and the same for every caller.
        Ok(if modern(&context) {
            tools
                .with_ttl_ms(TOOLS_TTL_MS)
                .with_cache_scope(CacheScope::Public)
        } else {
            tools
        })
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // A name that is neither offered nor withheld is the spec's invalid-params error.
        if self.registry.get(&request.name).is_none()
            && self.registry.withheld(&request.name).is_none()
        {
            tracing::debug!(tool = %request.name, "call to an unknown tool");
            return Err(ErrorData::invalid_params(
                format!(
                    "Unknown tool `{}`; tools/list shows the available tools.",
                    request.name
                ),
                None,
            ));
        }
        let (ctx, http_caller) = match self.ctx_for(&context).await {
            Ok(found) => found,
            Err(e) => {
                return Ok(CallToolResult::error(vec![ContentBlock::text(e.to_string())]).into());
            }
        };
        let channel = if modern(&context) {
            Channel::RoundTrip {
                can_ask: context
                    .client_capabilities()
                    .is_some_and(|c| crate::confirm::can_ask(&c)),
                responses: request.input_responses.as_ref(),
                state: request.request_state.as_deref(),
            }
        } else {
            Channel::Elicit(&context.peer)
        };
        Ok(self
            .dispatch_with(
                ctx,
                &channel,
                http_caller,
                &request.name,
                request.arguments.unwrap_or_default(),
            )
            .await)
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.registry.get(name).map(|t| t.tool().clone())
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(resources::templates(&self.registry, modern(&context)))
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        // Offered with the incidents toolset only, like the incident template.
        if self.registry.get("list_incidents").is_none() {
            return Ok(ListResourcesResult::with_all_items(Vec::new()));
        }
        let cursor = request.as_ref().and_then(|r| r.cursor.as_deref());
        let list = self.open_incidents(&context, cursor).await?;
        Ok(resources::open_incidents(&list, modern(&context)))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let (kind, id) = resources::parse(&request.uri)?;
        let (tool, args) = resources::read_call(kind, id);
        let value = self.read_for_resource(&context, tool, args).await?;
        Ok(resources::contents(kind, &request.uri, &value, modern(&context)).into())
    }

    // Prompts (see `prompts`): the same for every caller, so cacheable by anyone.
    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(crate::prompts::list())
            .with_ttl_ms(crate::prompts::LIST_TTL_MS)
            .with_cache_scope(CacheScope::Public))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let args: HashMap<String, String> = request
            .arguments
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect();
        crate::prompts::get(&request.name, &args)
            .map(Into::into)
            .map_err(|e| ErrorData::invalid_params(e, None))
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        let Reference::Prompt(prompt) = &request.r#ref else {
            return Ok(CompleteResult::default());
        };
        let (ctx, _) = self
            .ctx_for(&context)
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        let ctx = Ctx {
            pd: ctx.pd.for_one_call(),
            ..ctx
        };
        let info = crate::prompts::complete(
            &ctx,
            &prompt.name,
            &request.argument.name,
            &request.argument.value,
        )
        .await
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(CompleteResult::new(info))
    }
}
