//! The MCP server: lists the registry's tools and dispatches calls to them.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::service::{ElicitationError, Peer};
use rmcp::{ErrorData, RoleServer, ServerHandler};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output;
use crate::redact::Redactor;
use crate::registry::{Registry, ToolDef};
use crate::writes::{self, AuditLog};
use pagerduty::Journal;
use serde_json::Value;

pub const NAME: &str = "pagerduty-mcp";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const INSTRUCTIONS: &str = "Tools for a PagerDuty account: incidents, alerts, services, on-call and \
escalation policies. Read tools are safe. Write tools change the account and may page people: \
confirm with the user before calling a tool whose destructiveHint is true. For 'me'/'my', call \
get_user_data first. Lists return `more` and `next_offset`; page with `offset` rather than raising \
`limit` when you only need a few items.";

/// The PagerDuty credential an HTTP caller presented, put on the request by the HTTP layer.
#[derive(Clone, Debug)]
pub struct CallerCredential(pub pagerduty::Credential);

/// Safety settings applied around every call.
pub struct Policy {
    pub audit: Option<AuditLog>,
    pub redactor: Option<Redactor>,
    /// The output budget: the largest result, in bytes of JSON.
    pub max_output_bytes: usize,
    /// Ask the human (MCP elicitation) before destructive or paging writes.
    pub confirm_writes: bool,
}

#[derive(Clone)]
pub struct PagerDutyServer {
    registry: Arc<Registry>,
    ctx: Ctx,
    policy: Arc<Policy>,
}

impl PagerDutyServer {
    pub fn new(registry: Arc<Registry>, ctx: Ctx, policy: Policy) -> Self {
        Self {
            registry,
            ctx,
            policy: Arc::new(policy),
        }
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The context of a call: over HTTP, the caller's own credential (set by the HTTP layer on
    /// the request); otherwise the server's.
    fn ctx_for(&self, context: &RequestContext<RoleServer>) -> Ctx {
        let caller = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CallerCredential>());
        match caller {
            Some(CallerCredential(credential)) => Ctx {
                pd: self.ctx.pd.with_credential(credential.clone()),
                ..self.ctx.clone()
            },
            None => self.ctx.clone(),
        }
    }

    /// Runs one tool call with the server's own context (stdio, `call`).
    pub async fn dispatch(&self, name: &str, args: JsonObject) -> CallToolResult {
        self.dispatch_with(self.ctx.clone(), None, name, args).await
    }

    /// Runs one tool call. Every failure is a tool result with `isError`, worded for the model.
    async fn dispatch_with(
        &self,
        ctx: Ctx,
        peer: Option<&Peer<RoleServer>>,
        name: &str,
        args: JsonObject,
    ) -> CallToolResult {
        let Some(def) = self.registry.get(name) else {
            let text = match self.registry.withheld(name) {
                Some(reason) => format!("`{name}` is not available: {reason}"),
                None => format!("Unknown tool `{name}`; tools/list shows the available tools."),
            };
            return CallToolResult::error(vec![ContentBlock::text(text)]);
        };
        let offset = paging_offset(&args);
        let running = crate::metrics::ToolCall::start();
        let outcome = if def.access.is_write() {
            self.write(def, ctx, peer, args).await
        } else {
            def.call(ctx, args).await
        };
        running.finish(name, outcome.is_ok());
        match outcome {
            Ok(mut value) => {
                if let Some(r) = &self.policy.redactor {
                    r.value(&mut value);
                }
                if let Some(note) = output::fit(&mut value, self.policy.max_output_bytes, offset) {
                    tracing::debug!(tool = name, note, "result cut to the output budget");
                }
                CallToolResult::structured(value)
            }
            Err(e) => {
                tracing::debug!(tool = name, error = %e, "tool call failed");
                let mut text = e.to_string();
                if let Some(r) = &self.policy.redactor {
                    text = r.text(&text);
                }
                CallToolResult::error(vec![ContentBlock::text(text)])
            }
        }
    }

    /// A write: honours `dry_run`, and records the attempt in the audit log before answering.
    async fn write(
        &self,
        def: &ToolDef,
        ctx: Ctx,
        peer: Option<&Peer<RoleServer>>,
        mut args: JsonObject,
    ) -> Result<Value, ToolError> {
        let dry_run = writes::take_dry_run(&mut args)?;
        if self.policy.confirm_writes && !dry_run && writes::needs_confirmation(def, &args) {
            self.confirm(def, &ctx, peer, &args).await?;
        }
        let journal = if dry_run {
            Journal::dry_run()
        } else {
            Journal::live()
        };
        let ctx = ctx.with_journal(journal.clone());
        let logged = self.policy.audit.as_ref().map(|_| args.clone());
        let outcome = match def.call(ctx, args).await {
            Ok(_) | Err(ToolError::PagerDuty(pagerduty::Error::DryRun)) if dry_run => {
                Ok(writes::dry_run_result(&journal))
            }
            other => other,
        };
        if let (Some(audit), Some(arguments)) = (&self.policy.audit, logged) {
            let error = outcome.as_ref().err().map(ToString::to_string);
            let recorded = audit.record(
                def.name(),
                &arguments,
                dry_run,
                error.as_deref().map_or(Ok(()), Err),
                &journal.entries(),
            );
            if let Err(e) = recorded {
                // The change (if any) is made; failing the call would invite a duplicate retry.
                tracing::error!(path = %audit.path().display(), error = %e, "could not write the audit log");
            }
        }
        outcome
    }
}

impl PagerDutyServer {
    /// Shows the human the exact planned change and waits for a yes; anything else sends nothing.
    async fn confirm(
        &self,
        def: &ToolDef,
        ctx: &Ctx,
        peer: Option<&Peer<RoleServer>>,
        args: &JsonObject,
    ) -> Result<(), ToolError> {
        let plan = Journal::dry_run();
        let planning = ctx.with_journal(plan.clone());
        if let Err(e) = def.call(planning, args.clone()).await
            && !matches!(e, ToolError::PagerDuty(pagerduty::Error::DryRun))
        {
            return Err(e);
        }
        let question = writes::describe(def.name(), &plan.entries());
        let Some(peer) = peer else {
            return Err(ToolError::Refused(format!(
                "`{}` needs your confirmation (--confirm-writes), and there is no MCP client here to ask; nothing was sent",
                def.name()
            )));
        };
        let asked = peer
            .elicit_with_timeout::<writes::Confirmation>(
                question,
                Some(std::time::Duration::from_secs(300)),
            )
            .await;
        match asked {
            Ok(Some(writes::Confirmation { confirm: true })) => Ok(()),
            Ok(_) | Err(ElicitationError::UserDeclined) | Err(ElicitationError::UserCancelled) => {
                Err(ToolError::Refused(format!(
                    "The change was not confirmed, so nothing was sent (`{}`).",
                    def.name()
                )))
            }
            Err(e) => Err(ToolError::Refused(format!(
                "`{}` needs a person to confirm it (--confirm-writes), but this client cannot ask ({e}); nothing was \
                 sent. Review the change with dry_run, or run the server without --confirm-writes.",
                def.name()
            ))),
        }
    }
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
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(NAME, VERSION).with_title("PagerDuty"))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.registry.iter().map(|t| t.tool.clone()).collect(),
        ))
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
        let ctx = self.ctx_for(&context);
        Ok(self
            .dispatch_with(
                ctx,
                Some(&context.peer),
                &request.name,
                request.arguments.unwrap_or_default(),
            )
            .await
            .into())
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.registry.get(name).map(|t| t.tool.clone())
    }
}
