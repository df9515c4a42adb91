//! The tool registry: one generic piece turns a typed async function into an MCP tool with
//! input/output schemas, annotations, argument decoding and error reporting.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use futures::future::BoxFuture;
use pagerduty::api::ObjectId;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::ToolError;

mod args;
mod schema;

pub use args::{MAX_STRING_CHARS, compact_result};
use args::{check_args, coerce_scalars, decode, object_properties, unstring_objects};
use schema::schemas_for;

/// What calling a tool does to the PagerDuty account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    /// A change. `destructive`: it pages people, removes or overwrites something;
    /// `idempotent`: repeating it with the same arguments changes nothing more.
    Write {
        destructive: bool,
        idempotent: bool,
    },
}

impl Access {
    pub fn is_write(self) -> bool {
        matches!(self, Self::Write { .. })
    }

    /// Only what differs from the spec's defaults (not idempotent; open world, as every tool
    /// talks to PagerDuty), except that a write always says whether it is destructive.
    fn annotations(self) -> ToolAnnotations {
        match self {
            Self::Read => ToolAnnotations::new().read_only(true),
            Self::Write {
                destructive,
                idempotent,
            } => {
                let a = ToolAnnotations::new()
                    .read_only(false)
                    .destructive(destructive);
                if idempotent { a.idempotent(true) } else { a }
            }
        }
    }
}

/// The kinds of write, by name: most write tools are one of these.
impl Access {
    /// Makes something new each time (not idempotent).
    pub const CREATE: Access = Access::Write {
        destructive: false,
        idempotent: false,
    };
    /// Sets something to given values (repeating it changes nothing more).
    pub const UPDATE: Access = Access::Write {
        destructive: false,
        idempotent: true,
    };
    /// Removes or overwrites something.
    pub const DESTROY: Access = Access::Write {
        destructive: true,
        idempotent: true,
    };
}

/// The PagerDuty area a tool belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Domain {
    Incidents,
    Alerts,
    AlertGrouping,
    ChangeEvents,
    LogEntries,
    Services,
    MaintenanceWindows,
    BusinessServices,
    Oncall,
    Schedules,
    EscalationPolicies,
    Teams,
    Users,
    Audit,
    Priorities,
    IncidentWorkflows,
    EventOrchestrations,
    StatusPages,
    Analytics,
    Webhooks,
    ExtensionSchemas,
    Find,
}

/// Groups of domains a deployment can load alone (`--toolsets`), so clients with small
/// contexts pay only for what they use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Toolset {
    /// Incidents, alerts, notes, log entries, change events, alert grouping, priorities, workflows.
    Incidents,
    /// Who is on call: on-calls, schedules, escalation policies.
    Oncall,
    /// Services, business services and dependencies, event orchestrations.
    Services,
    /// Users, teams and the audit trail.
    People,
    StatusPages,
    Analytics,
    /// Webhooks and extension schemas.
    Integrations,
    /// Name lookup across services, users, teams, schedules and escalation policies.
    Find,
}

impl Toolset {
    pub fn name(self) -> &'static str {
        match self {
            Self::Incidents => "incidents",
            Self::Oncall => "oncall",
            Self::Services => "services",
            Self::People => "people",
            Self::StatusPages => "status_pages",
            Self::Analytics => "analytics",
            Self::Integrations => "integrations",
            Self::Find => "find",
        }
    }
}

impl Domain {
    pub fn toolset(self) -> Toolset {
        match self {
            Self::Incidents
            | Self::Alerts
            | Self::AlertGrouping
            | Self::ChangeEvents
            | Self::LogEntries
            | Self::Priorities
            | Self::IncidentWorkflows => Toolset::Incidents,
            Self::Oncall | Self::Schedules | Self::EscalationPolicies => Toolset::Oncall,
            Self::Services
            | Self::MaintenanceWindows
            | Self::BusinessServices
            | Self::EventOrchestrations => Toolset::Services,
            Self::Users | Self::Teams | Self::Audit => Toolset::People,
            Self::StatusPages => Toolset::StatusPages,
            Self::Analytics => Toolset::Analytics,
            Self::Webhooks | Self::ExtensionSchemas => Toolset::Integrations,
            Self::Find => Toolset::Find,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Incidents => "incidents",
            Self::Alerts => "alerts",
            Self::AlertGrouping => "alert_grouping",
            Self::ChangeEvents => "change_events",
            Self::LogEntries => "log_entries",
            Self::Services => "services",
            Self::MaintenanceWindows => "maintenance_windows",
            Self::BusinessServices => "business_services",
            Self::Oncall => "oncall",
            Self::Schedules => "schedules",
            Self::EscalationPolicies => "escalation_policies",
            Self::Teams => "teams",
            Self::Users => "users",
            Self::Audit => "audit",
            Self::Priorities => "priorities",
            Self::IncidentWorkflows => "incident_workflows",
            Self::EventOrchestrations => "event_orchestrations",
            Self::StatusPages => "status_pages",
            Self::Analytics => "analytics",
            Self::Webhooks => "webhooks",
            Self::ExtensionSchemas => "extension_schemas",
            Self::Find => "find",
        }
    }
}

type Handler =
    Box<dyn Fn(Ctx, JsonObject) -> BoxFuture<'static, Result<Value, ToolError>> + Send + Sync>;

/// A tool: its MCP definition plus the function that runs it.
pub struct ToolDef {
    meta: Meta,
    pub domain: Domain,
    pub access: Access,
    /// The OAuth scopes its requests need (see `scopes`).
    pub scopes: Vec<&'static str>,
    /// Made on first need (tools/list or a call), not at start: schema generation is most of
    /// what a server would otherwise do before answering `initialize`.
    schemas: OnceLock<Schemas>,
    make_schemas: fn(Access) -> (JsonObject, JsonObject),
    /// For a write that is not destructive as a whole: whether these arguments still make
    /// it a change `--confirm-writes` asks a person about (see [`ToolDef::confirm_if`]).
    pub confirm_if: Option<fn(&JsonObject) -> bool>,
    handler: Handler,
}

/// A tool's definition as tools/list gives it, and what argument checking needs of it.
struct Schemas {
    tool: Tool,
    /// Top-level properties whose schema is an object: some clients send those as JSON strings.
    object_props: Vec<String>,
}

impl ToolDef {
    /// Asks for confirmation under `--confirm-writes` when `asks(arguments)` holds, e.g. a
    /// status change to `resolved`; destructive tools are always asked about.
    pub fn confirm_if(mut self, asks: fn(&JsonObject) -> bool) -> Self {
        self.confirm_if = Some(asks);
        self
    }

    /// A display title, for tools whose name alone does not say what they are for (clients
    /// show the name otherwise, so a title that only restates it is left out of tools/list).
    pub fn titled(mut self, title: &'static str) -> Self {
        self.meta.title = Some(title);
        self
    }

    pub fn name(&self) -> &'static str {
        self.meta.name
    }

    pub fn description(&self) -> &'static str {
        self.meta.description
    }

    /// The MCP definition: name, description, schemas and annotations.
    pub fn tool(&self) -> &Tool {
        &self.schemas().tool
    }

    fn schemas(&self) -> &Schemas {
        self.schemas.get_or_init(|| {
            let (input, output) = (self.make_schemas)(self.access);
            let object_props = object_properties(&input);
            let mut tool = Tool::new(self.meta.name, self.meta.description, Arc::new(input))
                .with_raw_output_schema(Arc::new(output))
                .with_annotations(self.access.annotations());
            if let Some(title) = self.meta.title {
                tool = tool.with_title(title);
            }
            Schemas { tool, object_props }
        })
    }

    /// Decodes the arguments and runs the tool; the `Value` is the structured result.
    pub async fn call(&self, ctx: Ctx, mut args: JsonObject) -> Result<Value, ToolError> {
        let schemas = self.schemas();
        unstring_objects(&mut args, &schemas.object_props);
        let input = &schemas.tool.input_schema;
        if let Some(Value::Object(props)) = input.get("properties") {
            for (key, value) in args.iter_mut() {
                if let Some(s) = props.get(key) {
                    coerce_scalars(value, s);
                }
            }
        }
        check_args(&args, input)?;
        // One time budget (--api-timeout) for every request, retry and wait of this call.
        let ctx = Ctx {
            pd: ctx.pd.for_one_call(),
            ..ctx
        };
        let mut out = (self.handler)(ctx, args).await?;
        compact_result(&mut out);
        Ok(out)
    }
}

/// The static description of a tool.
pub struct Meta {
    pub name: &'static str,
    /// See [`ToolDef::titled`].
    pub title: Option<&'static str>,
    pub domain: Domain,
    pub access: Access,
    /// Tells the model when to use the tool.
    pub description: &'static str,
}

/// A tool's arguments: decoded from the call, described by the input schema.
pub trait Args: DeserializeOwned + JsonSchema + Send + 'static {}
impl<T: DeserializeOwned + JsonSchema + Send + 'static> Args for T {}

/// A tool's structured result, described by the output schema.
pub trait Output: Serialize + JsonSchema + 'static {}
impl<T: Serialize + JsonSchema + 'static> Output for T {}

/// The function that runs a tool: typed arguments in, a typed result out.
pub trait ToolFn<A, O>: Fn(Ctx, A) -> Self::Fut + Send + Sync + 'static {
    type Fut: Future<Output = Result<O, ToolError>> + Send + 'static;
}

impl<A, O, F, Fut> ToolFn<A, O> for F
where
    F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, ToolError>> + Send + 'static,
{
    type Fut = Fut;
}

/// Builds a tool from a typed function. `A` is the arguments (its doc comments become the
/// input schema), `O` the structured output (an object; its top-level fields become the
/// output schema).
pub fn tool<A: Args, O: Output>(meta: Meta, run: impl ToolFn<A, O>) -> ToolDef {
    let run = Arc::new(run);
    let handler: Handler = Box::new(move |ctx, args| {
        let run = run.clone();
        Box::pin(async move {
            let args: A = decode(args)?;
            let out = run(ctx, args).await?;
            serde_json::to_value(out)
                .map_err(|e| ToolError::Internal(format!("result encoding failed: {e}")))
        })
    });
    ToolDef {
        domain: meta.domain,
        access: meta.access,
        scopes: crate::scopes::for_tool(meta.domain, meta.access),
        meta,
        schemas: OnceLock::new(),
        make_schemas: schemas_for::<A, O>,
        confirm_if: None,
        handler,
    }
}

/// The tools of one domain (each tool module defines its domain's constant), so that a tool
/// is its name, what it does and the function that runs it.
#[derive(Clone, Copy)]
pub struct Tools(pub Domain);

impl Tools {
    /// Describes a tool of this domain; for tools built by a generic constructor.
    pub fn meta(self, access: Access, name: &'static str, description: &'static str) -> Meta {
        Meta {
            name,
            title: None,
            domain: self.0,
            access,
            description,
        }
    }

    /// A write of the given kind (see [`Access`]).
    pub fn write<A: Args, O: Output>(
        self,
        access: Access,
        name: &'static str,
        description: &'static str,
        run: impl ToolFn<A, O>,
    ) -> ToolDef {
        tool(self.meta(access, name, description), run)
    }

    /// A read of one object by the id its arguments name: `id` picks it out of them.
    pub fn get<A, I>(
        self,
        name: &'static str,
        description: &'static str,
        id: impl Fn(A) -> I + Send + Sync + 'static,
    ) -> ToolDef
    where
        A: Args,
        I: ObjectId + Send + Sync + 'static,
        I::Object: Output,
    {
        self.read(name, description, move |ctx: Ctx, a: A| {
            let id = id(a);
            async move { Ok::<_, ToolError>(ctx.pd.get(&id).await?) }
        })
    }
}

/// One constructor a kind of access: `read`, `create`, `update`, `destroy`.
macro_rules! access_constructors {
    ($($(#[$doc:meta])* $fn:ident => $access:expr;)*) => {
        impl Tools {
            $(
                $(#[$doc])*
                pub fn $fn<A: Args, O: Output>(
                    self,
                    name: &'static str,
                    description: &'static str,
                    run: impl ToolFn<A, O>,
                ) -> ToolDef {
                    self.write($access, name, description, run)
                }
            )*
        }
    };
}

access_constructors! {
    /// A read tool.
    read => Access::Read;
    /// A write that makes something new each time.
    create => Access::CREATE;
    /// A write that sets something to given values.
    update => Access::UPDATE;
    /// A write that removes or overwrites something.
    destroy => Access::DESTROY;
}

/// The tools a server offers, and the ones it withholds (with why).
pub struct Registry {
    tools: Vec<ToolDef>,
    withheld: Vec<(String, String)>,
}

impl Registry {
    pub fn new(mut tools: Vec<ToolDef>) -> Self {
        tools.sort_by(|a, b| (a.domain, a.name()).cmp(&(b.domain, b.name())));
        Self {
            tools,
            withheld: Vec::new(),
        }
    }

    /// Withholds the tools `withhold` names a reason for: they are neither listed nor callable,
    /// and a call to one answers with that reason.
    pub fn withhold(mut self, withhold: impl Fn(&ToolDef) -> Option<String>) -> Self {
        let mut kept = Vec::with_capacity(self.tools.len());
        for t in self.tools {
            match withhold(&t) {
                Some(reason) => self.withheld.push((t.name().to_owned(), reason)),
                None => kept.push(t),
            }
        }
        self.tools = kept;
        self
    }

    /// Why a known tool is not offered, if it is withheld.
    pub fn withheld(&self, name: &str) -> Option<&str> {
        self.withheld
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
    }

    pub fn get(&self, name: &str) -> Option<&ToolDef> {
        self.tools.iter().find(|t| t.name() == name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &ToolDef> {
        self.tools.iter()
    }

    /// The OAuth scopes the offered tools need, together, sorted.
    pub fn scopes(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self.tools.iter().flat_map(|t| t.scopes.clone()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl Registry {
    /// The tool table README.md shows, by toolset and domain.
    pub fn markdown_table(&self) -> String {
        let mut tools: Vec<&ToolDef> = self.tools.iter().collect();
        tools.sort_by_key(|t| (t.domain.toolset(), t.domain, t.name().to_owned()));
        let mut out = String::from(
            "| Toolset | Domain | Tool | Kind | What it does |\n|---|---|---|---|---|\n",
        );
        for t in tools {
            let kind = match t.access {
                Access::Read => "read",
                Access::Write {
                    destructive: true, ..
                } => "write (destructive)",
                Access::Write { .. } => "write",
            };
            let description = t.description().replace('|', "\\|");
            out.push_str(&format!(
                "| {} | {} | `{}` | {kind} | {description} |\n",
                t.domain.toolset().name(),
                t.domain.name(),
                t.name()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::schema::{consts_to_enum, top_level_fields};
    use super::*;
    use serde_json::json;

    #[test]
    fn results_drop_types_their_field_names_say_and_nulls_only() {
        let mut v = json!({
            "id": "P1", "type": "incident", "resolved_at": null, "suppressed": false, "note": "",
            "service": {"id": "S1", "type": "service_reference", "summary": "Web"},
            "escalation_policies": [{"id": "E1", "type": "escalation_policy_reference"}],
            "teams": [{"id": "T1", "type": "team"}],
            "assignee": {"id": "U1", "type": "user_reference"},
            "target": {"id": "S2", "type": "schedule_reference"},
            "items": [{"service": {"id": "S3", "type": "service_reference"}, "tags": []}],
        });
        compact_result(&mut v);
        assert_eq!(
            v,
            json!({
                "id": "P1", "type": "incident", "suppressed": false, "note": "",
                "service": {"id": "S1", "summary": "Web"},
                "escalation_policies": [{"id": "E1"}],
                "teams": [{"id": "T1"}],
                "assignee": {"id": "U1", "type": "user_reference"},
                "target": {"id": "S2", "type": "schedule_reference"},
                "items": [{"service": {"id": "S3"}, "tags": []}],
            })
        );
    }

    #[test]
    fn output_schemas_merge_the_fields_of_every_shape() {
        let full = json!({
            "type": "object",
            "properties": {"id": {"type": "string"}, "more": {"type": "boolean"}},
            "oneOf": [
                {"properties": {"layers": {"type": ["array", "null"]}, "kind": {"const": "v2"}}},
                {"properties": {"layers": {"type": "object"}, "body": {}, "n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}},
            ],
        });
        let Value::Object(full) = full else {
            unreachable!()
        };
        assert_eq!(
            Value::Object(top_level_fields(&full)),
            json!({"type": "object", "properties": {
                "id": {"type": "string"}, "more": {"type": "boolean"},
                "layers": {"type": ["array", "object"]}, "kind": {"type": "string"},
                "body": {}, "n": {"type": "integer"},
            }})
        );
    }

    #[test]
    fn documented_constants_become_an_enum() {
        let mut o = json!({"oneOf": [
            {"const": "a", "type": "string", "description": "A."},
            {"const": "b", "type": "string"},
        ]});
        consts_to_enum(o.as_object_mut().unwrap());
        assert_eq!(o, json!({"type": "string", "enum": ["a", "b"]}));
        // Not bare constants: left alone.
        let mut mixed = json!({"oneOf": [{"const": "a"}, {"type": "object", "properties": {}}]});
        let before = mixed.clone();
        consts_to_enum(mixed.as_object_mut().unwrap());
        assert_eq!(mixed, before);
    }
}
