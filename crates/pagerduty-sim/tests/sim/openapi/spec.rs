//! The spec as the checks read it: OpenAPI 3.0 schemas turned JSON Schema, with the quirks
//! where PagerDuty's document disagrees with PagerDuty's API.

use http::Method;
use jsonschema::{Draft, Validator};
use serde_json::{Value, json};

use super::*;

/// OpenAPI 3.0 schema objects → JSON Schema (draft 4 semantics, which 3.0 follows).
pub(super) fn to_json_schema(v: &mut Value, in_properties: bool) {
    match v {
        Value::Object(map) => {
            if !in_properties {
                // Examples are documentation, and not always valid instances.
                map.remove("example");
                // `discriminator` has no JSON Schema meaning; oneOf does the work.
                map.remove("discriminator");
                if map.remove("nullable") == Some(Value::Bool(true)) {
                    if let Some(Value::String(t)) = map.get("type").cloned() {
                        map.insert("type".into(), json!([t, "null"]));
                    }
                    if let Some(Value::Array(e)) = map.get_mut("enum") {
                        e.push(Value::Null);
                    }
                    if !map.contains_key("type") {
                        let inner = Value::Object(std::mem::take(map));
                        map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                    }
                }
            }
            for (k, child) in map.iter_mut() {
                to_json_schema(child, !in_properties && k == "properties");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| to_json_schema(c, false)),
        _ => {}
    }
}

pub(super) fn pointer_mut<'a>(v: &'a mut Value, ptr: &str) -> &'a mut Value {
    v.pointer_mut(ptr)
        .unwrap_or_else(|| panic!("spec has no {ptr}; update the quirk list"))
}

/// Makes a property nullable where the real API sends `null` but the spec
/// forgot `nullable: true`.
pub(super) fn allow_null(spec: &mut Value, ptr: &str) {
    let node = pointer_mut(spec, ptr);
    let inner = node.take();
    *node = json!({"anyOf": [inner, {"type": "null"}]});
}

/// Known quirks of the spec, fixed in memory (see shared/pagerduty-openapi/README.md).
pub(super) fn apply_quirks(spec: &mut Value) {
    apply_integration_quirks(spec);
    // AcknowledgeLogEntry narrows `type` to "acknowledgement_log_entry", which
    // contradicts its own LogEntry base enum ("acknowledge_log_entry") so no
    // instance can validate. The real API sends "acknowledge_log_entry".
    *pointer_mut(
        spec,
        "/components/schemas/AcknowledgeLogEntry/allOf/1/properties/type/enum",
    ) = json!(["acknowledge_log_entry"]);

    // Channel is "polymorphic by channel[type]" but its oneOf branches do not
    // constrain `type`, so a channel matches several branches and oneOf fails.
    let channel = pointer_mut(spec, "/components/schemas/Channel");
    if let Some(branches) = channel.as_object_mut().and_then(|m| m.remove("oneOf")) {
        channel["anyOf"] = branches;
    }

    // Fields the real API returns as `null` (unset) but the spec does not mark nullable.
    for ptr in [
        "/components/schemas/Incident/allOf/1/properties/resolved_at",
        "/components/schemas/Incident/allOf/1/properties/priority",
        "/components/schemas/Incident/allOf/1/properties/alert_grouping",
        "/components/schemas/Incident/allOf/1/properties/resolve_reason",
        "/components/schemas/Service/allOf/1/properties/auto_resolve_timeout",
        "/components/schemas/Service/allOf/1/properties/acknowledgement_timeout",
        "/components/schemas/Service/allOf/1/properties/last_incident_timestamp",
        "/components/schemas/Service/allOf/1/properties/support_hours",
        "/components/schemas/Service/allOf/1/properties/alert_grouping",
        "/components/schemas/Service/allOf/1/properties/alert_grouping_timeout",
        "/components/schemas/ScheduleLayer/properties/end",
        // Direct user targets are permanent on-calls: schedule, start and end are null.
        "/components/schemas/Oncall/properties/schedule",
        "/components/schemas/Oncall/properties/start",
        "/components/schemas/Oncall/properties/end",
        "/components/schemas/Alert/allOf/1/properties/integration",
        // Its own description says "It may also be `null`".
        "/components/schemas/AcknowledgeLogEntry/allOf/1/properties/acknowledgement_timeout",
    ] {
        allow_null(spec, ptr);
    }

    // include[] swaps references for full objects (PD docs "Includes"), but
    // these slots only list the reference type.
    for (ptr, full) in [
        (
            "/components/schemas/User/allOf/1/properties/contact_methods/items",
            "ContactMethod",
        ),
        (
            "/components/schemas/User/allOf/1/properties/teams/items",
            "Team",
        ),
        (
            "/components/schemas/NotificationRule/allOf/1/properties/contact_method",
            "ContactMethod",
        ),
        (
            "/components/schemas/Service/allOf/1/properties/escalation_policy",
            "EscalationPolicy",
        ),
        (
            "/components/schemas/Service/allOf/1/properties/teams/items",
            "Team",
        ),
        (
            "/components/schemas/Service/allOf/1/properties/integrations/items",
            "Integration",
        ),
        (
            "/components/schemas/EscalationPolicy/allOf/1/properties/teams/items",
            "Team",
        ),
        (
            "/components/schemas/EscalationPolicy/allOf/1/properties/services/items",
            "Service",
        ),
        (
            "/components/schemas/LogEntry/allOf/1/properties/incident",
            "Incident",
        ),
        (
            "/components/schemas/LogEntry/allOf/1/properties/service",
            "Service",
        ),
        (
            "/components/schemas/LogEntry/allOf/1/properties/teams/items",
            "Team",
        ),
        ("/components/schemas/Oncall/properties/user", "User"),
        (
            "/components/schemas/Oncall/properties/escalation_policy",
            "EscalationPolicy",
        ),
        (
            "/components/schemas/Alert/allOf/1/properties/service",
            "Service",
        ),
        (
            "/components/schemas/MaintenanceWindow/allOf/1/properties/services/items",
            "Service",
        ),
        (
            "/components/schemas/MaintenanceWindow/allOf/1/properties/teams/items",
            "Team",
        ),
        (
            "/components/schemas/MaintenanceWindow/allOf/1/properties/created_by",
            "User",
        ),
    ] {
        allow_full(spec, ptr, &format!("#/components/schemas/{full}"));
    }

    // User ids are strings everywhere else (and in the spec's own example); this one
    // says integer.
    *pointer_mut(
        spec,
        "/components/schemas/AnalyticsResponderMetrics/properties/responder_id/type",
    ) = json!("string");
    // `["all, any"]` is one string; the API takes `all` or `any`.
    for schema in [
        "ContentBasedAlertGroupingConfiguration",
        "ContentBasedIntelligentAlertGroupingConfiguration",
    ] {
        *pointer_mut(
            spec,
            &format!("/components/schemas/{schema}/properties/aggregate/enum"),
        ) = json!(["all", "any"]);
    }
}

/// Quirks of the webhook and incident-workflow operations.
pub(super) fn apply_integration_quirks(spec: &mut Value) {
    // The webhook error responses declare no body, but the API sends the shared error body.
    let error_body = pointer_mut(spec, "/components/responses/NotFound/content").clone();
    for r in [
        "WebhookBadRequest",
        "WebhookUnauthorized",
        "WebhookForbidden",
        "WebhookNotFound",
    ] {
        pointer_mut(spec, &format!("/components/responses/{r}"))["content"] = error_body.clone();
    }
    // GET /incident_workflows/{id} declares its answer as 201; the API answers 200.
    let get = pointer_mut(spec, "/paths/~1incident_workflows~1{id}/get/responses");
    let ok = get["201"].clone();
    get["200"] = ok;
}

/// Lets a reference slot also hold the full object, as `include[]` does in
/// the real API where the spec only lists the reference.
pub(super) fn allow_full(spec: &mut Value, ptr: &str, full: &str) {
    let node = pointer_mut(spec, ptr);
    let inner = node.take();
    *node = json!({"anyOf": [inner, {"$ref": full}]});
}

pub(super) struct Spec {
    doc: Value,
}

pub(super) fn esc(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

/// JSON pointer → URI fragment (braces must be percent-encoded).
pub(super) fn fragment(ptr: &str) -> String {
    ptr.replace('{', "%7B").replace('}', "%7D")
}

impl Spec {
    pub(super) fn load() -> Option<Spec> {
        let mut doc = load_raw_spec()?;
        apply_quirks(&mut doc);
        to_json_schema(&mut doc, false);
        Some(Spec { doc })
    }

    /// The path template of the `method` operation that `path_and_query` is an instance of;
    /// where several match, the one whose first differing segment is literal (`/users/me`
    /// over `/users/{id}`), as a router picks.
    pub(super) fn template(&self, method: &Method, path_and_query: &str) -> Option<String> {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        let method = method.as_str().to_lowercase();
        self.doc
            .get("paths")?
            .as_object()?
            .iter()
            .filter(|(_, ops)| ops.get(&method).is_some())
            .filter_map(|(template, _)| {
                let literal: Vec<bool> = template.split('/').map(|t| !t.starts_with('{')).collect();
                let fits = literal.len() == segments.len()
                    && template
                        .split('/')
                        .zip(&segments)
                        .all(|(t, s)| t.starts_with('{') || t == *s);
                fits.then_some((literal, template))
            })
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, template)| template.clone())
    }

    pub(super) fn follow(&self, ptr: String) -> String {
        match self
            .doc
            .pointer(&ptr)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(r) => r.trim_start_matches('#').to_string(),
            None => ptr,
        }
    }

    /// Pointer to the JSON response schema for (op, status). Falls back to
    /// the `NXX`/`default` entries, then to the shared error response
    /// components when the operation does not list the status at all (e.g.
    /// no 401 on GET /users/me, no 400 on PUT /incidents/{id}): every PD
    /// error uses the same body.
    pub(super) fn response_schema(
        &self,
        method: &Method,
        path: &str,
        status: u16,
    ) -> (String, bool) {
        let base = format!(
            "/paths/{}/{}/responses",
            esc(path),
            method.as_str().to_lowercase()
        );
        let responses = self.doc.pointer(&base).expect("operation has responses");
        let class = format!("{}XX", status / 100);
        for key in [status.to_string(), class, "default".to_string()] {
            if responses.get(&key).is_some() {
                let resp = self.follow(format!("{base}/{key}"));
                return (format!("{resp}/content/application~1json/schema"), true);
            }
        }
        let component = match status {
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            413 => "RequestEntityTooLarge",
            429 => "TooManyRequests",
            s if s >= 500 => "InternalServerError",
            // 406 has no component; its body is the shared error schema.
            _ => "Conflict",
        };
        (
            format!("/components/responses/{component}/content/application~1json/schema"),
            false,
        )
    }

    pub(super) fn request_schema(&self, method: &Method, path: &str) -> String {
        let base = format!(
            "/paths/{}/{}/requestBody",
            esc(path),
            method.as_str().to_lowercase()
        );
        format!("{}/content/application~1json/schema", self.follow(base))
    }

    pub(super) fn validator(&self, ptr: &str) -> Validator {
        assert!(
            self.doc.pointer(ptr).is_some(),
            "spec has no schema at {ptr}"
        );
        let mut root = self.doc.clone();
        // Draft 4 ignores siblings of $ref, so the spec document itself is the
        // resource that every `#/components/...` reference resolves against.
        root["$ref"] = json!(format!("#{}", fragment(ptr)));
        jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("cannot build validator for {ptr}: {e}"))
    }

    pub(super) fn validate(&self, ptr: &str, instance: &Value, what: &str) {
        let v = self.validator(ptr);
        let errors: Vec<String> = v
            .iter_errors(instance)
            .take(8)
            .map(|e| format!("  at {}: {}", e.instance_path(), e))
            .collect();
        if !errors.is_empty() {
            // Keep the failing instance around for offline debugging.
            let _ = std::fs::write(
                std::env::temp_dir().join("pd-sim-spec-failure.json"),
                instance.to_string(),
            );
        }
        assert!(
            errors.is_empty(),
            "{what} does not match spec schema {ptr}:\n{}",
            errors.join("\n")
        );
    }
}
