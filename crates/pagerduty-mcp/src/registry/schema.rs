//! What tools/list says of a tool: its input and output schemas, inlined and compacted.

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use schemars::transform::ReplaceBoolSchemas;
use serde_json::Value;

use super::Access;
use crate::writes;

/// The input and output schemas of a tool taking `A` and answering `O`.
pub(super) fn schemas_for<A: JsonSchema, O: JsonSchema>(
    access: Access,
) -> (JsonObject, JsonObject) {
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
pub(super) fn schema<T: JsonSchema>(settings: SchemaSettings) -> JsonObject {
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
pub(super) fn top_level_fields(full: &JsonObject) -> JsonObject {
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
pub(super) fn gather_fields(o: &JsonObject, fields: &mut JsonObject) {
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
pub(super) fn schema_types(schema: &Value, out: &mut Vec<Value>) -> bool {
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

pub(super) fn json_type(v: &Value) -> &'static str {
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
pub(super) fn compact_input(schema: &mut JsonObject) {
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
pub(super) fn consts_to_enum(o: &mut JsonObject) {
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
pub(super) fn strip_noise(o: &mut JsonObject) {
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
