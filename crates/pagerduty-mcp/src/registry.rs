//! The tool registry: one generic piece turns a typed async function into an MCP tool with
//! input/output schemas, annotations, argument decoding and error reporting.

use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::ToolError;
use crate::writes;

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

    fn annotations(self) -> ToolAnnotations {
        let (read_only, destructive, idempotent) = match self {
            Self::Read => (true, false, true),
            Self::Write {
                destructive,
                idempotent,
            } => (false, destructive, idempotent),
        };
        ToolAnnotations::new()
            .read_only(read_only)
            .destructive(destructive)
            .idempotent(idempotent)
            // Every tool talks to PagerDuty, an external system.
            .open_world(true)
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
    BusinessServices,
    Oncall,
    Schedules,
    EscalationPolicies,
    Teams,
    Users,
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
    /// Users and teams.
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
            Self::Services | Self::BusinessServices | Self::EventOrchestrations => {
                Toolset::Services
            }
            Self::Users | Self::Teams => Toolset::People,
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
            Self::BusinessServices => "business_services",
            Self::Oncall => "oncall",
            Self::Schedules => "schedules",
            Self::EscalationPolicies => "escalation_policies",
            Self::Teams => "teams",
            Self::Users => "users",
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
    pub tool: Tool,
    pub domain: Domain,
    pub access: Access,
    /// The OAuth scopes its requests need (see `scopes`).
    pub scopes: Vec<&'static str>,
    /// For a write that is not destructive as a whole: whether these arguments still make
    /// it a change `--confirm-writes` asks a person about (see [`ToolDef::confirm_if`]).
    pub confirm_if: Option<fn(&JsonObject) -> bool>,
    handler: Handler,
}

impl ToolDef {
    /// Asks for confirmation under `--confirm-writes` when `asks(arguments)` holds, e.g. a
    /// status change to `resolved`; destructive tools are always asked about.
    pub fn confirm_if(mut self, asks: fn(&JsonObject) -> bool) -> Self {
        self.confirm_if = Some(asks);
        self
    }

    pub fn name(&self) -> &str {
        &self.tool.name
    }

    /// Decodes the arguments and runs the tool; the `Value` is the structured result.
    pub async fn call(&self, ctx: Ctx, args: JsonObject) -> Result<Value, ToolError> {
        // One time budget (--api-timeout) for every request, retry and wait of this call.
        let ctx = Ctx {
            pd: ctx.pd.for_one_call(),
            ..ctx
        };
        (self.handler)(ctx, args).await
    }
}

/// The static description of a tool.
pub struct Meta {
    pub name: &'static str,
    pub title: &'static str,
    pub domain: Domain,
    pub access: Access,
    /// Tells the model when to use the tool.
    pub description: &'static str,
}

/// Builds a tool from a typed function. `A` is the arguments (its doc comments become the
/// input schema), `O` the structured output (an object).
pub fn tool<A, O, F, Fut>(meta: Meta, run: F) -> ToolDef
where
    A: DeserializeOwned + JsonSchema + Send + 'static,
    O: Serialize + JsonSchema + 'static,
    F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, ToolError>> + Send + 'static,
{
    let mut input = schema::<A>(SchemaSettings::draft2020_12());
    compact_input(&mut input);
    bound_strings(&mut input);
    let mut output = schema::<O>(SchemaSettings::draft2020_12().for_serialize());
    compact_output(&mut output, OUTPUT_OBJECT_LEVELS);
    if meta.access.is_write() {
        // Every write can be planned without being sent; see `writes`.
        if let Some(Value::Object(props)) = input.get_mut("properties") {
            props.insert(writes::DRY_RUN.into(), writes::dry_run_property());
        }
    }
    let object_props: Arc<Vec<String>> = Arc::new(object_properties(&input));
    let input_schema = Arc::new(Value::Object(input.clone()));
    let run = Arc::new(run);
    let handler: Handler = Box::new(move |ctx, mut args| {
        let run = run.clone();
        let object_props = object_props.clone();
        let input_schema = input_schema.clone();
        Box::pin(async move {
            unstring_objects(&mut args, &object_props);
            for (key, value) in args.iter_mut() {
                if let Some(s) = input_schema.pointer(&format!("/properties/{key}")) {
                    coerce_scalars(value, s);
                }
            }
            check_args(&args, &input_schema)?;
            let args: A = decode(args)?;
            let out = run(ctx, args).await?;
            serde_json::to_value(out)
                .map_err(|e| ToolError::Internal(format!("result encoding failed: {e}")))
        })
    });
    let tool = Tool::new(meta.name, meta.description, Arc::new(input))
        .with_raw_output_schema(Arc::new(output))
        .with_title(meta.title)
        .with_annotations(meta.access.annotations());
    ToolDef {
        tool,
        domain: meta.domain,
        access: meta.access,
        scopes: crate::scopes::for_tool(meta.domain, meta.access),
        confirm_if: None,
        handler,
    }
}

/// A JSON Schema with every subschema inlined: some MCP clients cannot follow `$ref`.
fn schema<T: JsonSchema>(settings: SchemaSettings) -> JsonObject {
    let settings = settings.with(|s| {
        s.inline_subschemas = true;
        s.meta_schema = None;
    });
    let root = settings.into_generator().into_root_schema_for::<T>();
    let mut object = match serde_json::to_value(root) {
        Ok(Value::Object(o)) => o,
        _ => JsonObject::new(),
    };
    // The wrapper type's name and doc are noise to a model.
    object.remove("title");
    object.remove("description");
    object
        .entry("type")
        .or_insert_with(|| Value::from("object"));
    object
}

/// Output schemas describe this many levels of nested objects: none. tools/list is read into
/// the model's context on every session, so an output schema only promises an object (which a
/// dry run's answer is too); each description says what the result holds. Raise this to
/// document fields at the cost of about 270 bytes a tool per level.
const OUTPUT_OBJECT_LEVELS: usize = 0;

/// Makes an input schema lean without loosening it: optional fields are simply not required,
/// so `null` alternatives go; Rust integer formats and nested type docs are noise.
fn compact_input(schema: &mut JsonObject) {
    fn walk(o: &mut JsonObject, parent_described: bool) {
        if let Some(Value::Array(any)) = o.get("anyOf")
            && any.len() == 2
            && let Some(pos) = any
                .iter()
                .position(|s| s.get("type") == Some(&Value::from("null")))
            && let Some(Value::Object(inner)) = any.get(1 - pos).cloned()
        {
            o.remove("anyOf");
            for (k, v) in inner {
                o.entry(k).or_insert(v);
            }
        }
        if let Some(Value::Array(values)) = o.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
        if let Some(Value::Array(types)) = o.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                o.insert("type".into(), only);
            }
        }
        strip_noise(o);
        if parent_described {
            o.remove("description");
        }
        let described = o.contains_key("description");
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            for p in props.values_mut().filter_map(Value::as_object_mut) {
                walk(p, false);
            }
        }
        if let Some(Value::Object(items)) = o.get_mut("items") {
            walk(items, described);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alts)) = o.get_mut(key) {
                for a in alts.iter_mut().filter_map(Value::as_object_mut) {
                    walk(a, described);
                }
            }
        }
    }
    walk(schema, false);
}

/// Keeps `levels` levels of object properties, drops descriptions and Rust-specific noise.
fn compact_output(o: &mut JsonObject, levels: usize) {
    o.remove("description");
    strip_noise(o);
    let is_object = match o.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => false,
    };
    let alternatives = o.contains_key("anyOf") || o.contains_key("oneOf");
    if levels == 0 && (is_object || alternatives) {
        // One of several object shapes (e.g. v2 or v3 schedules) is an object all the same.
        for key in [
            "properties",
            "required",
            "additionalProperties",
            "anyOf",
            "oneOf",
        ] {
            o.remove(key);
        }
        o.insert("type".into(), Value::from("object"));
        return;
    }
    let next = if is_object {
        levels.saturating_sub(1)
    } else {
        levels
    };
    if let Some(Value::Object(props)) = o.get_mut("properties") {
        for p in props.values_mut().filter_map(Value::as_object_mut) {
            compact_output(p, next);
        }
    }
    if let Some(Value::Object(items)) = o.get_mut("items") {
        compact_output(items, levels);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = o.get_mut(key) {
            for a in alts.iter_mut().filter_map(Value::as_object_mut) {
                compact_output(a, levels);
            }
        }
    }
}

/// schemars' Rust integer formats (`uint32`, …) and their `minimum: 0` mean nothing to a model.
fn strip_noise(o: &mut JsonObject) {
    if o.get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
    {
        o.remove("format");
        if o.get("minimum") == Some(&Value::from(0)) {
            o.remove("minimum");
        }
    }
}

/// The longest string argument a schema does not bound more tightly: room for any PagerDuty
/// text (a note, an incident's details, a status page post), not for a memory or CPU attack.
pub const MAX_STRING_CHARS: u64 = 32_768;

/// Gives every string in an input schema a `maxLength` (enums are bounded already).
fn bound_strings(o: &mut JsonObject) {
    let is_string = match o.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string && !o.contains_key("enum") && !o.contains_key("maxLength") {
        o.insert("maxLength".into(), Value::from(MAX_STRING_CHARS));
    }
    for (_, v) in o.iter_mut() {
        match v {
            Value::Object(sub) => bound_strings(sub),
            Value::Array(items) => items
                .iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(bound_strings),
            _ => {}
        }
    }
}

/// Refuses a string longer than its schema's `maxLength` before any other work (decoding,
/// matching, a request), wherever it sits in the arguments.
fn check_args(args: &JsonObject, schema: &Value) -> Result<(), ToolError> {
    for (k, v) in args {
        if let Some(sub) = schema.get("properties").and_then(|p| p.get(k)) {
            check_lengths(v, sub, k)?;
        }
    }
    Ok(())
}

fn check_lengths(value: &Value, schema: &Value, path: &str) -> Result<(), ToolError> {
    match value {
        Value::String(s) => {
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                // Bytes bound chars from above: count only when the bytes could be too many.
                if s.len() as u64 > max && s.chars().count() as u64 > max {
                    return Err(ToolError::invalid(
                        path,
                        format!("is longer than {max} characters"),
                    ));
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(sub) = schema.get("properties").and_then(|p| p.get(k)) {
                    check_lengths(v, sub, &format!("{path}.{k}"))?;
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check_lengths(v, sub, &format!("{path}[{i}]"))?;
                }
            }
        }
        _ => {}
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = schema.get(key) {
            for alt in alts {
                check_lengths(value, alt, path)?;
            }
        }
    }
    Ok(())
}

/// Top-level properties whose schema is an object: some clients send those as JSON strings.
fn object_properties(schema: &JsonObject) -> Vec<String> {
    let Some(Value::Object(props)) = schema.get("properties") else {
        return Vec::new();
    };
    props
        .iter()
        .filter(|(_, s)| {
            let ty = s.get("type");
            ty == Some(&Value::from("object"))
                || ty
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.contains(&Value::from("object")))
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// Accepts `"{\"incident_ids\": …}"` where an object is expected (a known client habit).
fn unstring_objects(args: &mut JsonObject, object_props: &[String]) {
    for key in object_props {
        if let Some(Value::String(s)) = args.get(key)
            && let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(s)
        {
            args.insert(key.clone(), v);
        }
    }
}

/// Some clients send every scalar as a string (`"limit": "20"`, `"true"`) and others turn an
/// id into a number (the MCP Inspector CLI makes `incident_id=239` a number); PagerDuty's own
/// server accepts both. Where the schema wants a number or a boolean and the value is a string
/// that is unambiguously one, or wants a string and gets a number, the value is converted.
/// Anything else is left for decoding to refuse with its usual message.
fn coerce_scalars(value: &mut Value, schema: &Value) {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let wants = |t: &str| types.contains(&t);
    match value {
        Value::String(s) if !wants("string") => {
            let t = s.trim();
            let converted = if wants("integer") {
                t.parse::<i64>().ok().map(Value::from)
            } else if wants("number") {
                t.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            } else if wants("boolean") {
                match t {
                    "true" | "True" | "TRUE" => Some(Value::Bool(true)),
                    "false" | "False" | "FALSE" => Some(Value::Bool(false)),
                    _ => None,
                }
            } else {
                None
            };
            if let Some(v) = converted {
                *value = v;
            }
        }
        Value::Number(n)
            if wants("string") && !wants("number") && !wants("integer") && !n.is_f64() =>
        {
            *value = Value::String(n.to_string());
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    coerce_scalars(item, item_schema);
                }
            }
        }
        Value::Object(fields) => {
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (k, v) in fields.iter_mut() {
                    if let Some(s) = props.get(k) {
                        coerce_scalars(v, s);
                    }
                }
            }
        }
        _ => {}
    }
}

fn decode<A: DeserializeOwned>(args: JsonObject) -> Result<A, ToolError> {
    serde_path_to_error::deserialize(Value::Object(args)).map_err(|e| {
        let path = e.path().to_string();
        ToolError::InvalidArgument {
            field: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    })
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
            let description = t
                .tool
                .description
                .as_deref()
                .unwrap_or_default()
                .replace('|', "\\|");
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
