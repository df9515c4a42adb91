//! A call's arguments checked (lengths, strings sent for objects or scalars) and decoded, and
//! its result compacted.

use rmcp::model::JsonObject;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ToolError;

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
pub(super) fn restates(key: &str, ty: &str) -> bool {
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
pub(super) fn check_args(args: &JsonObject, schema: &JsonObject) -> Result<(), ToolError> {
    let props = schema.get("properties");
    for (k, v) in args {
        check_lengths(v, props.and_then(|p| p.get(k)), k)?;
    }
    Ok(())
}

/// A part of the arguments no schema describes (a free-form payload, such as an event's
/// `custom_details`) is left to the tool's own limits.
pub(super) fn check_lengths(
    value: &Value,
    schema: Option<&Value>,
    path: &str,
) -> Result<(), ToolError> {
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
pub(super) fn object_properties(schema: &JsonObject) -> Vec<String> {
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
pub(super) fn unstring_objects(args: &mut JsonObject, object_props: &[String]) {
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
pub(super) fn coerce_scalars(value: &mut Value, schema: &Value) {
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

pub(super) fn decode<A: DeserializeOwned>(args: JsonObject) -> Result<A, ToolError> {
    serde_path_to_error::deserialize(Value::Object(args)).map_err(|e| {
        let path = e.path().to_string();
        ToolError::InvalidArgument {
            field: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}
