//! The tool registry: one generic piece turns a typed async function into an MCP tool with
//! input/output schemas, annotations, argument decoding and error reporting.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use futures::future::BoxFuture;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use schemars::transform::ReplaceBoolSchemas;
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

/// Builds a tool from a typed function. `A` is the arguments (its doc comments become the
/// input schema), `O` the structured output (an object; its top-level fields become the
/// output schema).
pub fn tool<A, O, F, Fut>(meta: Meta, run: F) -> ToolDef
where
    A: DeserializeOwned + JsonSchema + Send + 'static,
    O: Serialize + JsonSchema + 'static,
    F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, ToolError>> + Send + 'static,
{
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
    pub fn write<A, O, F, Fut>(
        self,
        access: Access,
        name: &'static str,
        description: &'static str,
        run: F,
    ) -> ToolDef
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        O: Serialize + JsonSchema + 'static,
        F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<O, ToolError>> + Send + 'static,
    {
        tool(self.meta(access, name, description), run)
    }
}

/// One constructor a kind of access: `read`, `create`, `update`, `destroy`.
macro_rules! access_constructors {
    ($($(#[$doc:meta])* $fn:ident => $access:expr;)*) => {
        impl Tools {
            $(
                $(#[$doc])*
                pub fn $fn<A, O, F, Fut>(
                    self,
                    name: &'static str,
                    description: &'static str,
                    run: F,
                ) -> ToolDef
                where
                    A: DeserializeOwned + JsonSchema + Send + 'static,
                    O: Serialize + JsonSchema + 'static,
                    F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
                    Fut: Future<Output = Result<O, ToolError>> + Send + 'static,
                {
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

/// The input and output schemas of a tool taking `A` and answering `O`.
fn schemas_for<A: JsonSchema, O: JsonSchema>(access: Access) -> (JsonObject, JsonObject) {
    let mut input = schema::<A>(SchemaSettings::draft2020_12());
    compact_input(&mut input);
    if access.is_write() {
        // Every write can be planned without being sent; see `writes`.
        if let Some(Value::Object(props)) = input.get_mut("properties") {
            props.insert(writes::DRY_RUN.into(), writes::dry_run_property());
        }
    }
    let output = top_level_fields(&schema::<O>(SchemaSettings::draft2020_12().for_serialize()));
    (input, output)
}

/// A JSON Schema with every subschema inlined (some MCP clients cannot follow `$ref`) and no
/// boolean subschemas (some function-calling back ends refuse `items: true`); the
/// conventional `additionalProperties: false` stays.
fn schema<T: JsonSchema>(settings: SchemaSettings) -> JsonObject {
    let settings = settings
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .with_transform({
            let mut t = ReplaceBoolSchemas::default();
            t.skip_additional_properties = true;
            t
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

/// An output schema that names the result's top-level fields with their types (`array` for
/// lists), and no more: tools/list is read into the model's context on every session, and each
/// tool's description says what the result holds. Nothing is required and other fields are
/// allowed, so a dry run's answer or a result cut to the output budget matches it too. A field
/// is never `null` in a result (see [`compact_result`]), so `null` is left out of the types.
fn top_level_fields(full: &JsonObject) -> JsonObject {
    let mut fields = JsonObject::new();
    gather_fields(full, &mut fields);
    let mut out = JsonObject::new();
    out.insert("type".into(), Value::from("object"));
    if !fields.is_empty() {
        let fields = fields
            .into_iter()
            .map(|(name, types)| {
                let mut field = JsonObject::new();
                match types {
                    Value::Array(mut ts) if ts.len() == 1 => {
                        field.insert("type".into(), ts.remove(0));
                    }
                    // Any type (e.g. a payload passed through whole).
                    Value::Array(ts) if ts.is_empty() => {}
                    ts => {
                        field.insert("type".into(), ts);
                    }
                }
                (name, Value::Object(field))
            })
            .collect();
        out.insert("properties".into(), Value::Object(fields));
    }
    out
}

/// Adds the properties of `o` (and of each shape it may take) to `fields`, as field name →
/// list of JSON types (empty: any type).
fn gather_fields(o: &JsonObject, fields: &mut JsonObject) {
    if let Some(Value::Object(props)) = o.get("properties") {
        for (name, schema) in props {
            let mut types = Vec::new();
            let any = !schema_types(schema, &mut types);
            let entry = fields
                .entry(name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(known) = entry {
                if any {
                    known.clear();
                    // Remembered as "any" by a marker no JSON type has.
                    known.push(Value::Null);
                } else if !known.contains(&Value::Null) {
                    for t in types {
                        if !known.contains(&t) {
                            known.push(t);
                        }
                    }
                }
            }
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(shapes)) = o.get(key) {
            for shape in shapes.iter().filter_map(Value::as_object) {
                gather_fields(shape, fields);
            }
        }
    }
    for types in fields.values_mut() {
        if let Value::Array(ts) = types
            && ts.contains(&Value::Null)
        {
            ts.clear();
        }
    }
}

/// Collects the JSON types a schema allows, without `null`; false when it allows any.
fn schema_types(schema: &Value, out: &mut Vec<Value>) -> bool {
    let mut push = |t: &str| {
        if t != "null" && !out.iter().any(|o| o == t) {
            out.push(Value::from(t));
        }
    };
    if let Some(t) = schema.get("type") {
        match t {
            Value::String(t) => push(t),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).for_each(push),
            _ => {}
        }
        return true;
    }
    let consts = schema.get("const").map(std::slice::from_ref).or_else(|| {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
    });
    if let Some(values) = consts {
        for v in values {
            push(json_type(v));
        }
        return true;
    }
    let mut bounded = false;
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = schema.get(key) {
            for alt in alts {
                if !schema_types(alt, out) {
                    return false;
                }
                bounded = true;
            }
        }
    }
    bounded
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Makes an input schema lean without loosening it: optional fields are simply not required,
/// so `null` alternatives go; a choice of documented constants becomes a plain `enum` (the
/// property's own description says what matters); Rust integer formats and the docs of nested
/// types (list items, alternatives) are noise.
fn compact_input(schema: &mut JsonObject) {
    fn walk(o: &mut JsonObject, nested: bool) {
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
        consts_to_enum(o);
        strip_noise(o);
        if nested {
            o.remove("description");
        }
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            for p in props.values_mut().filter_map(Value::as_object_mut) {
                walk(p, false);
            }
        }
        if let Some(Value::Object(items)) = o.get_mut("items") {
            walk(items, true);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alts)) = o.get_mut(key) {
                for a in alts.iter_mut().filter_map(Value::as_object_mut) {
                    walk(a, true);
                }
            }
        }
    }
    walk(schema, false);
}

/// `oneOf: [{const: a, description}, {const: b, …}]` (an enum whose variants have docs) →
/// `enum: [a, b]`, when every alternative is a bare constant of one type.
fn consts_to_enum(o: &mut JsonObject) {
    let Some(Value::Array(alts)) = o.get("oneOf") else {
        return;
    };
    let mut values = Vec::with_capacity(alts.len());
    let mut ty = None;
    for alt in alts {
        let Some(alt) = alt.as_object() else { return };
        let Some(c) = alt.get("const") else { return };
        let bare = alt
            .keys()
            .all(|k| matches!(k.as_str(), "const" | "type" | "description" | "maxLength"));
        if !bare || ty.is_some_and(|t| t != json_type(c)) {
            return;
        }
        ty = Some(json_type(c));
        values.push(c.clone());
    }
    let Some(ty) = ty else { return };
    o.remove("oneOf");
    o.insert("type".into(), Value::from(ty));
    o.insert("enum".into(), Value::Array(values));
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

/// Drops what a key already says from a result, keeping every fact: a reference's `type` when
/// the field's name names it (`"service": {"type": "service_reference", …}`, the items of
/// `"teams"`), and `null` members (absent means the same). `false`, `0`, `""` and empty lists
/// stay: they are answers.
pub fn compact_result(v: &mut Value) {
    fn walk(v: &mut Value, key: &str) {
        match v {
            Value::Object(o) => {
                o.retain(|_, v| !v.is_null());
                if o.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| restates(key, t))
                    && o.contains_key("id")
                {
                    o.remove("type");
                }
                for (k, v) in o.iter_mut() {
                    walk(v, k);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, key)),
            _ => {}
        }
    }
    walk(v, "");
}

/// Whether a reference type (`service_reference`, `escalation_policy`) only restates the name
/// of the field holding it (`service`, `escalation_policies`).
fn restates(key: &str, ty: &str) -> bool {
    let kind = ty.strip_suffix("_reference").unwrap_or(ty);
    !key.is_empty()
        && (key == kind
            || key.strip_suffix('s') == Some(kind)
            || key
                .strip_suffix("ies")
                .is_some_and(|k| kind.strip_suffix('y') == Some(k)))
}

/// The longest string argument a schema does not bound more tightly: room for any PagerDuty
/// text (a note, an incident's details, a status page post), not for a memory or CPU attack.
/// Every string is held to it, so schemas advertise only tighter bounds.
pub const MAX_STRING_CHARS: u64 = 32_768;

/// Refuses a string longer than its schema's `maxLength` (or [`MAX_STRING_CHARS`]) before any
/// other work (decoding, matching, a request), wherever its schema places it.
fn check_args(args: &JsonObject, schema: &JsonObject) -> Result<(), ToolError> {
    let props = schema.get("properties");
    for (k, v) in args {
        check_lengths(v, props.and_then(|p| p.get(k)), k)?;
    }
    Ok(())
}

/// A part of the arguments no schema describes (a free-form payload, such as an event's
/// `custom_details`) is left to the tool's own limits.
fn check_lengths(value: &Value, schema: Option<&Value>, path: &str) -> Result<(), ToolError> {
    let Some(schema) = schema else {
        return Ok(());
    };
    let sub = |key: &str| schema.get(key);
    match value {
        Value::String(s) => {
            let max = sub("maxLength")
                .and_then(Value::as_u64)
                .unwrap_or(MAX_STRING_CHARS);
            // Bytes bound chars from above: count only when the bytes could be too many.
            if s.len() as u64 > max && s.chars().count() as u64 > max {
                return Err(ToolError::invalid(
                    path,
                    format!("is longer than {max} characters"),
                ));
            }
        }
        Value::Object(map) => {
            let props = sub("properties");
            for (k, v) in map {
                check_lengths(v, props.and_then(|p| p.get(k)), &format!("{path}.{k}"))?;
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_lengths(v, sub("items"), &format!("{path}[{i}]"))?;
            }
        }
        _ => {}
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = sub(key) {
            for alt in alts {
                check_lengths(value, Some(alt), path)?;
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
