//! Checks the simulator against PagerDuty's official OpenAPI spec.
//!
//! The spec is read at run time from `$PAGERDUTY_OPENAPI_DIR/rest-openapiv3.json`
//! or `<repo>/../shared/pagerduty-openapi/rest-openapiv3.json`; it is never
//! copied into the repository. Missing spec: skipped locally, failure when CI=true.

// Test helpers outside #[test] fns fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use http::Method;
use jsonschema::{Draft, Validator};
use pagerduty_sim::{SimConfig, Simulator, from_required_routes, served_routes, tokens};
use serde_json::{Value, json};

const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";

/// The raw spec, or None (skip, said on the terminal) when it is absent outside CI.
fn load_raw_spec() -> Option<Value> {
    pagerduty_sim::spec::load("the simulator's REST spec checks", "rest-openapiv3.json")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// OpenAPI 3.0 schema objects → JSON Schema (draft 4 semantics, which 3.0 follows).
fn to_json_schema(v: &mut Value, in_properties: bool) {
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

fn pointer_mut<'a>(v: &'a mut Value, ptr: &str) -> &'a mut Value {
    v.pointer_mut(ptr)
        .unwrap_or_else(|| panic!("spec has no {ptr}; update the quirk list"))
}

/// Makes a property nullable where the real API sends `null` but the spec
/// forgot `nullable: true`.
fn allow_null(spec: &mut Value, ptr: &str) {
    let node = pointer_mut(spec, ptr);
    let inner = node.take();
    *node = json!({"anyOf": [inner, {"type": "null"}]});
}

/// Known quirks of the spec, fixed in memory (see shared/pagerduty-openapi/README.md).
fn apply_quirks(spec: &mut Value) {
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
fn apply_integration_quirks(spec: &mut Value) {
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
fn allow_full(spec: &mut Value, ptr: &str, full: &str) {
    let node = pointer_mut(spec, ptr);
    let inner = node.take();
    *node = json!({"anyOf": [inner, {"$ref": full}]});
}

struct Spec {
    doc: Value,
}

fn esc(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

/// JSON pointer → URI fragment (braces must be percent-encoded).
fn fragment(ptr: &str) -> String {
    ptr.replace('{', "%7B").replace('}', "%7D")
}

impl Spec {
    fn load() -> Option<Spec> {
        let mut doc = load_raw_spec()?;
        apply_quirks(&mut doc);
        to_json_schema(&mut doc, false);
        Some(Spec { doc })
    }

    fn op(&self, method: &Method, path: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.as_str().to_lowercase())
    }

    fn follow(&self, ptr: String) -> String {
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
    fn response_schema(&self, method: &Method, path: &str, status: u16) -> (String, bool) {
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

    fn request_schema(&self, method: &Method, path: &str) -> String {
        let base = format!(
            "/paths/{}/{}/requestBody",
            esc(path),
            method.as_str().to_lowercase()
        );
        format!("{}/content/application~1json/schema", self.follow(base))
    }

    fn validator(&self, ptr: &str) -> Validator {
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

    fn validate(&self, ptr: &str, instance: &Value, what: &str) {
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

#[derive(Clone, Copy, PartialEq)]
enum Auth {
    User,
    Account,
    Bearer,
    Anonymous,
}

struct Checker {
    spec: Spec,
    client: reqwest::Client,
    base: String,
    /// (method, template) → statuses validated
    seen: BTreeMap<(String, &'static str), BTreeSet<u16>>,
}

impl Checker {
    #[allow(clippy::too_many_arguments)]
    async fn check(
        &mut self,
        method: Method,
        template: &'static str,
        path_and_query: &str,
        body: Option<Value>,
        auth: Auth,
        expect: u16,
    ) -> Value {
        assert!(
            self.spec.op(&method, template).is_some(),
            "{method} {template} not in spec"
        );
        let mut req = self
            .client
            .request(method.clone(), format!("{}{}", self.base, path_and_query))
            .header("Accept", ACCEPT)
            .header("User-Agent", "pagerduty-sim-spec-test");
        req = match auth {
            Auth::User => req.header(
                "Authorization",
                format!("Token token={}", tokens::DEMO_USER_TOKEN),
            ),
            Auth::Account => req
                .header(
                    "Authorization",
                    format!("Token token={}", tokens::ACCOUNT_KEY),
                )
                .header("From", tokens::DEMO_USER_EMAIL),
            Auth::Bearer => req.header("Authorization", format!("Bearer {}", tokens::OAUTH_TOKEN)),
            Auth::Anonymous => req,
        };
        if let Some(b) = &body {
            // The request we send must itself be valid per the spec.
            self.spec.validate(
                &self.spec.request_schema(&method, template),
                b,
                &format!("request body of {method} {template}"),
            );
            req = req.json(b);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path_and_query}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        assert_eq!(
            status, expect,
            "{method} {path_and_query} returned {status}: {text}"
        );
        if status == 204 {
            // No Content: nothing to validate beyond the empty body.
            assert!(
                text.is_empty(),
                "{method} {path_and_query}: 204 with a body"
            );
            self.seen
                .entry((method.to_string(), template))
                .or_default()
                .insert(status);
            return Value::Null;
        }
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path_and_query}: not JSON ({e}): {text}"));
        let (ptr, declared) = self.spec.response_schema(&method, template, status);
        if !declared {
            eprintln!(
                "note: {method} {template} does not declare {status}; validated against {ptr}"
            );
        }
        self.spec.validate(
            &ptr,
            &json,
            &format!("response {status} of {method} {path_and_query}"),
        );
        self.seen
            .entry((method.to_string(), template))
            .or_default()
            .insert(status);
        json
    }
}

#[tokio::test]
async fn served_routes_exist_in_spec() {
    let Some(spec) = load_raw_spec() else { return };
    for (method, path) in served_routes() {
        let op = spec["paths"]
            .get(path)
            .and_then(|p| p.get(method.as_str().to_lowercase()));
        assert!(
            op.is_some(),
            "served route {method} {path} is not in the spec"
        );
    }
}

/// `From` is enforced on exactly the served operations whose spec requires it.
#[tokio::test]
async fn from_is_required_where_the_spec_requires_it() {
    let Some(spec) = load_raw_spec() else { return };
    let required: BTreeSet<(String, &str)> = from_required_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p))
        .collect();
    let mut seen = 0;
    for (method, path) in served_routes() {
        let params = spec["paths"][path][method.as_str().to_lowercase()]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let spec_requires = params.iter().any(|p| {
            let p = match p["$ref"].as_str() {
                Some(r) => spec
                    .pointer(r.trim_start_matches('#'))
                    .unwrap_or(&Value::Null),
                None => p,
            };
            p["in"] == "header" && p["name"] == "From" && p["required"] == true
        });
        seen += usize::from(spec_requires);
        assert_eq!(
            required.contains(&(method.to_string(), path)),
            spec_requires,
            "{method} {path}: the spec {} `From`; routes::FROM_REQUIRED must agree",
            if spec_requires {
                "requires"
            } else {
                "does not require"
            }
        );
    }
    // Positive control: the spec lookup found the operations that need `From`.
    assert!(seen >= 5, "only {seen} served operations require From");
}

#[tokio::test]
async fn every_served_route_matches_the_spec() {
    let Some(spec) = Spec::load() else { return };
    let now: jiff::Timestamp = "2026-03-02T12:00:00Z".parse().unwrap();
    let sim = Simulator::start(SimConfig {
        now: Some(now),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let state = sim.state();
    let acct = state.account();
    let demo = state.demo_user().unwrap();
    let team = &acct.teams[0];
    let svc = &acct.services[0];
    let ep = &acct.escalation_policies[0];
    let sched = &acct.schedules[0];
    let open = acct
        .incidents
        .iter()
        .rev()
        .find(|i| i.status == "triggered")
        .unwrap()
        .clone();
    let acked = acct
        .incidents
        .iter()
        .rev()
        .find(|i| i.status == "acknowledged")
        .unwrap()
        .clone();
    let resolved = acct
        .incidents
        .iter()
        .rev()
        .find(|i| i.status == "resolved")
        .unwrap()
        .clone();
    let alert = &open.alerts[0];
    let log_entry = &acct.log_entries[0];
    let v3 = acct.schedules_v3[0].clone();
    let v3b = acct.schedules_v3[1].clone();
    let (rot, ev) = (&v3.rotations[0], &v3.rotations[0].events[0]);
    let shift = v3.custom_shifts.last().unwrap();
    let ovr = &v3.overrides[0];
    let other = &acct.users[5].id;
    let grouping = &acct.alert_grouping_settings[0];
    let doomed_grouping = &acct.alert_grouping_settings[2];
    let change = &acct.change_events[0];
    let business = &acct.business_services[0];
    let after_deploy = acct
        .incidents
        .iter()
        .rev()
        .find(|i| i.number % 3 == 1)
        .unwrap()
        .clone();
    let free_service = acct
        .services
        .iter()
        .find(|s| {
            !acct
                .alert_grouping_settings
                .iter()
                .any(|g| g.service_ids.contains(&s.id))
        })
        .unwrap();
    let metrics = |filters: Value| Some(json!({"filters": filters, "time_zone": "Europe/London"}));
    let incident_filters = json!({"created_at_start": "2026-01-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z", "urgency": "high", "team_ids": [team.id]});
    let responder_filters = json!({"date_range_start": "2026-01-01T00:00:00Z", "date_range_end": "2026-03-02T00:00:00Z", "team_ids": [team.id]});
    let mut c = Checker {
        spec,
        client: reqwest::Client::new(),
        base: sim.base_url(),
        seen: BTreeMap::new(),
    };
    let (since, until) = ("2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z");

    use Auth::*;
    let get = Method::GET;
    // Happy paths (one per served route, at least), with realistic parameters.
    let samples: Vec<(Method, &'static str, String, Option<Value>)> = vec![
        (get.clone(), "/users/me", "/users/me?include[]=contact_methods".into(), None),
        (get.clone(), "/users", format!("/users?team_ids[]={}&include[]=teams&total=true", team.id), None),
        (get.clone(), "/users/{id}", format!("/users/{}?include[]=contact_methods", demo.id), None),
        (get.clone(), "/teams", "/teams?query=pla&total=true".into(), None),
        (get.clone(), "/teams/{id}", format!("/teams/{}", team.id), None),
        (get.clone(), "/teams/{id}/members", format!("/teams/{}/members?total=true", team.id), None),
        (get.clone(), "/services", "/services?sort_by=name:desc&include[]=integrations&include[]=teams".into(), None),
        (get.clone(), "/services/{id}", format!("/services/{}?include[]=escalation_policies", svc.id), None),
        (get.clone(), "/escalation_policies", format!("/escalation_policies?user_ids[]={}&include[]=teams", demo.id), None),
        (get.clone(), "/escalation_policies/{id}", format!("/escalation_policies/{}", ep.id), None),
        (get.clone(), "/schedules", format!("/schedules?query=platform&since={since}&until={until}"), None),
        (get.clone(), "/schedules/{id}", format!("/schedules/{}?since={since}&until={until}&time_zone=Asia/Tokyo", sched.id), None),
        (get.clone(), "/schedules/{id}/overrides", format!("/schedules/{}/overrides?since=2026-01-01T00:00:00Z&until=2026-04-01T00:00:00Z", sched.id), None),
        (get.clone(), "/schedules/{id}/users", format!("/schedules/{}/users?since={since}&until={until}", sched.id), None),
        (get.clone(), "/oncalls", "/oncalls?include[]=users&time_zone=Europe/London&total=true".into(), None),
        (get.clone(), "/priorities", "/priorities".into(), None),
        (get.clone(), "/incidents", "/incidents?statuses[]=triggered&statuses[]=acknowledged&urgencies[]=high&sort_by=created_at:desc&include[]=assignees&include[]=services&total=true&date_range=all".into(), None),
        (get.clone(), "/incidents/{id}", format!("/incidents/{}?include[]=first_trigger_log_entries", open.id), None),
        (get.clone(), "/incidents/{id}/notes", format!("/incidents/{}/notes", acked.number), None),
        (get.clone(), "/incidents/{id}/alerts", format!("/incidents/{}/alerts?statuses[]=triggered&total=true", open.id), None),
        (get.clone(), "/incidents/{id}/alerts/{alert_id}", format!("/incidents/{}/alerts/{}", open.id, alert.id), None),
        (get.clone(), "/incidents/{id}/log_entries", format!("/incidents/{}/log_entries?include[]=incidents", resolved.id), None),
        (get.clone(), "/log_entries", "/log_entries?is_overview=true&time_zone=America/New_York".into(), None),
        (get.clone(), "/log_entries/{id}", format!("/log_entries/{}", log_entry.id), None),
        (
            Method::POST,
            "/incidents",
            "/incidents".into(),
            Some(json!({"incident": {"type": "incident", "title": "Spec test: disk filling on db-9", "service": {"id": svc.id, "type": "service_reference"}, "urgency": "low", "body": {"type": "incident_body", "details": {"disk": "db-9", "used_pct": 97}}}})),
        ),
        (
            Method::PUT,
            "/incidents/{id}",
            format!("/incidents/{}", open.id),
            Some(json!({"incident": {"type": "incident_reference", "status": "acknowledged"}})),
        ),
        (
            Method::PUT,
            "/incidents",
            "/incidents".into(),
            Some(json!({"incidents": [{"id": acked.id, "type": "incident_reference", "status": "resolved", "resolution": "Fixed"}]})),
        ),
        (
            Method::POST,
            "/incidents/{id}/notes",
            format!("/incidents/{}/notes", open.id),
            Some(json!({"note": {"content": "Spec test note"}})),
        ),
        (
            Method::POST,
            "/incidents/{id}/responder_requests",
            format!("/incidents/{}/responder_requests", open.id),
            Some(json!({"requester_id": demo.id, "message": "Please join the bridge", "responder_request_targets": [{"responder_request_target": {"id": acct.users[3].id, "type": "user_reference"}}]})),
        ),
        (
            Method::POST,
            "/schedules/{id}/overrides",
            format!("/schedules/{}/overrides", sched.id),
            Some(json!({"overrides": [
                {"start": "2026-03-10T09:00:00Z", "end": "2026-03-10T17:00:00Z", "user": {"id": demo.id, "type": "user_reference"}, "time_zone": "UTC"},
                {"start": "2026-03-11T09:00:00Z", "end": "2026-03-11T09:00:00Z", "user": {"id": demo.id, "type": "user_reference"}}
            ]})),
        ),
        (get.clone(), "/v3/schedules", "/v3/schedules?query=shift&limit=10&total=true".into(), None),
        (get.clone(), "/v3/schedules/{id}", format!("/v3/schedules/{}?time_zone=UTC&include[]=final_schedule&since={since}&until={until}", v3.id), None),
        (get.clone(), "/v3/schedules/{id}/rotations", format!("/v3/schedules/{}/rotations?limit=5", v3.id), None),
        (get.clone(), "/v3/schedules/{id}/rotations/{rotation_id}", format!("/v3/schedules/{}/rotations/{}", v3.id, rot.id), None),
        (get.clone(), "/v3/schedules/{id}/rotations/{rotation_id}/events", format!("/v3/schedules/{}/rotations/{}/events", v3.id, rot.id), None),
        (get.clone(), "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}", format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id), None),
        (get.clone(), "/v3/schedules/{id}/custom_shifts", format!("/v3/schedules/{}/custom_shifts?since=2026-02-01T00:00:00Z&until=2026-04-01T00:00:00Z&overflow=true", v3.id), None),
        (get.clone(), "/v3/schedules/{id}/custom_shifts/{custom_shift_id}", format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id), None),
        (get.clone(), "/v3/schedules/{id}/overrides", format!("/v3/schedules/{}/overrides?since={since}&until={until}", v3.id), None),
        (get.clone(), "/v3/schedules/{id}/overrides/{override_id}", format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id), None),
        (
            Method::POST,
            "/v3/schedules",
            "/v3/schedules".into(),
            Some(json!({"schedule": {"name": "Spec test shifts", "time_zone": "America/New_York", "description": "spec", "teams": [{"id": team.id, "type": "team_reference"}]}})),
        ),
        (
            Method::PUT,
            "/v3/schedules/{id}",
            format!("/v3/schedules/{}", v3.id),
            Some(json!({"schedule": {"name": "SRE Shift-Based On-Call (renamed)", "description": "Updated"}})),
        ),
        (Method::POST, "/v3/schedules/{id}/rotations", format!("/v3/schedules/{}/rotations", v3.id), Some(json!({}))),
        (
            Method::POST,
            "/v3/schedules/{id}/rotations/{rotation_id}/events",
            format!("/v3/schedules/{}/rotations/{}/events", v3.id, rot.id),
            Some(json!({"event": {"name": "Spec event", "start_time": {"date_time": "2026-03-09T09:00:00Z", "time_zone": "UTC"}, "end_time": {"date_time": "2026-03-09T17:00:00Z", "time_zone": "UTC"}, "effective_since": "2026-03-09T00:00:00Z", "recurrence": ["RRULE:FREQ=DAILY"], "assignment_strategy": {"type": "rotating_member_assignment_strategy", "shifts_per_member": 1, "members": [{"type": "user_member", "user_id": demo.id}, {"type": "empty_member"}]}}})),
        ),
        (
            Method::PUT,
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id),
            Some(json!({"event": {"effective_until": "2026-09-01T00:00:00Z"}})),
        ),
        (
            Method::POST,
            "/v3/schedules/{id}/custom_shifts",
            format!("/v3/schedules/{}/custom_shifts", v3.id),
            Some(json!({"custom_shifts": [{"type": "custom_shift", "start_time": "2026-03-15T09:00:00Z", "end_time": "2026-03-15T17:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": demo.id}}]}]})),
        ),
        (
            Method::PUT,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id),
            Some(json!({"custom_shift": {"start_time": "2026-03-20T10:00:00Z", "end_time": "2026-03-20T18:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": other}}]}})),
        ),
        (
            Method::POST,
            "/v3/schedules/{id}/overrides",
            format!("/v3/schedules/{}/overrides", v3.id),
            Some(json!({"overrides": [{"type": "override_shift", "rotation_id": rot.id, "start_time": "2026-03-04T09:00:00Z", "end_time": "2026-03-04T17:00:00Z", "overridden_member": {"type": "user_member", "user_id": demo.id}, "overriding_member": {"type": "user_member", "user_id": other}}]})),
        ),
        (
            Method::PUT,
            "/v3/schedules/{id}/overrides/{override_id}",
            format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id),
            Some(json!({"override": {"start_time": "2026-03-03T10:00:00Z", "end_time": "2026-03-03T18:00:00Z", "overriding_member": {"type": "user_member", "user_id": other}}})),
        ),
        // Deletes last, once their targets have been read and changed.
        (Method::DELETE, "/v3/schedules/{id}/overrides/{override_id}", format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id), None),
        (Method::DELETE, "/v3/schedules/{id}/custom_shifts/{custom_shift_id}", format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id), None),
        (Method::DELETE, "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}", format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id), None),
        (Method::DELETE, "/v3/schedules/{id}/rotations/{rotation_id}", format!("/v3/schedules/{}/rotations/{}", v3.id, rot.id), None),
        (Method::DELETE, "/v3/schedules/{id}", format!("/v3/schedules/{}", v3b.id), None),
        (get.clone(), "/alert_grouping_settings", format!("/alert_grouping_settings?service_ids[]={}&limit=2&total=true", acct.services[0].id), None),
        (get.clone(), "/alert_grouping_settings/{id}", format!("/alert_grouping_settings/{}", grouping.id), None),
        (
            Method::POST,
            "/alert_grouping_settings",
            "/alert_grouping_settings".into(),
            Some(json!({"alert_grouping_setting": {"name": "Auth grouping", "description": "Spec test", "type": "content_based_intelligent", "config": {"aggregate": "any", "fields": ["summary"], "time_window": 600}, "services": [{"id": free_service.id, "type": "service_reference"}]}})),
        ),
        (
            Method::PUT,
            "/alert_grouping_settings/{id}",
            format!("/alert_grouping_settings/{}", grouping.id),
            Some(json!({"alert_grouping_setting": {"name": "Checkout by time", "type": "time", "config": {"timeout": 900}, "services": [{"id": grouping.service_ids[0], "type": "service_reference"}]}})),
        ),
        (Method::DELETE, "/alert_grouping_settings/{id}", format!("/alert_grouping_settings/{}", doomed_grouping.id), None),
        (get.clone(), "/change_events", format!("/change_events?since=2026-02-01T00:00:00Z&until={until}&team_ids[]={}&total=true", team.id), None),
        (get.clone(), "/change_events/{id}", format!("/change_events/{}", change.id), None),
        (get.clone(), "/services/{id}/change_events", format!("/services/{}/change_events?since=2026-01-01T00:00:00Z&limit=5", svc.id), None),
        (get.clone(), "/incidents/{id}/related_change_events", format!("/incidents/{}/related_change_events?limit=10", after_deploy.id), None),
        (get.clone(), "/incidents/{id}/past_incidents", format!("/incidents/{}/past_incidents?limit=3&total=true", resolved.id), None),
        (get.clone(), "/incidents/{id}/related_incidents", format!("/incidents/{}/related_incidents?additional_details[]=incident", resolved.id), None),
        (get.clone(), "/incidents/{id}/outlier_incident", format!("/incidents/{}/outlier_incident?since=2025-12-01T00:00:00Z", resolved.id), None),
        (get.clone(), "/business_services", "/business_services?total=true".into(), None),
        (get.clone(), "/service_dependencies/business_services/{id}", format!("/service_dependencies/business_services/{}", business.id), None),
        (get.clone(), "/service_dependencies/technical_services/{id}", format!("/service_dependencies/technical_services/{}", acct.services[0].id), None),
        (Method::POST, "/analytics/metrics/incidents/all", "/analytics/metrics/incidents/all".into(), metrics(incident_filters.clone())),
        (Method::POST, "/analytics/metrics/incidents/services", "/analytics/metrics/incidents/services".into(), Some(json!({"filters": incident_filters, "aggregate_unit": "week", "order": "desc", "order_by": "total_incident_count"}))),
        (Method::POST, "/analytics/metrics/incidents/teams", "/analytics/metrics/incidents/teams".into(), Some(json!({"filters": {"created_at_start": "2026-02-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z"}, "aggregate_unit": "month", "time_zone": "America/New_York"}))),
        (Method::POST, "/analytics/metrics/responders/all", "/analytics/metrics/responders/all".into(), metrics(responder_filters.clone())),
        (Method::POST, "/analytics/metrics/responders/teams", "/analytics/metrics/responders/teams".into(), metrics(responder_filters)),
    ];

    for (method, template, pq, body) in &samples {
        // 401 without credentials, before the happy path can change state.
        c.check(method.clone(), template, pq, body.clone(), Anonymous, 401)
            .await;
        if template.contains("{id}") {
            let missing = template
                .replace("{alert_id}", "PNOPE00")
                .replace("{id}", "PNOPE00");
            let missing = pq
                .split('?')
                .nth(1)
                .map(|q| format!("{missing}?{q}"))
                .unwrap_or(missing);
            c.check(method.clone(), template, &missing, body.clone(), User, 404)
                .await;
        }
        let expect = match (method.as_str(), *template) {
            ("POST", "/incidents") => 201,
            ("POST", t) if t.starts_with("/v3/") || t == "/schedules/{id}/overrides" => 201,
            ("DELETE", t) if t.starts_with("/v3/") => 204,
            ("POST", "/alert_grouping_settings") => 201,
            ("DELETE", _) => 204,
            _ => 200,
        };
        let auth = if method == Method::GET { User } else { Account };
        c.check(method.clone(), template, pq, body.clone(), auth, expect)
            .await;
    }

    // Other credential kinds and error paths.
    c.check(get.clone(), "/users/me", "/users/me", None, Bearer, 200)
        .await;
    c.check(get.clone(), "/users/me", "/users/me", None, Account, 400)
        .await;
    c.check(
        get.clone(),
        "/incidents",
        "/incidents?statuses[]=bogus",
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/incidents",
        "/incidents?since=2025-01-01T00:00:00Z&until=2026-03-01T00:00:00Z",
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/incidents",
        "/incidents?offset=9990&limit=20",
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/schedules/{id}/overrides",
        &format!("/schedules/{}/overrides", sched.id),
        None,
        User,
        400,
    )
    .await;
    c.check(
        Method::POST,
        "/incidents/{id}/notes",
        &format!("/incidents/{}/notes", open.id),
        Some(json!({"note": {"content": ""}})),
        User,
        400,
    )
    .await;
    c.check(
        Method::PUT,
        "/incidents/{id}",
        &format!("/incidents/{}", resolved.id),
        Some(json!({"incident": {"type": "incident", "status": "resolved"}})),
        User,
        400,
    )
    .await;
    c.check(
        Method::POST,
        "/incidents",
        "/incidents",
        Some(json!({"incident": {"type": "incident", "title": "dup", "service": {"id": open.service_id, "type": "service_reference"}, "incident_key": open.incident_key}})),
        User,
        400,
    )
    .await;
    // Shift-based and layer-based schedules each refuse the other API with a 400.
    c.check(
        get.clone(),
        "/schedules/{id}",
        &format!("/schedules/{}", v3.id),
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/v3/schedules/{id}",
        &format!("/v3/schedules/{}", sched.id),
        None,
        User,
        400,
    )
    .await;
    // v3 validation errors map field paths to messages.
    let bad = c
        .check(
            get.clone(),
            "/v3/schedules/{id}/overrides",
            &format!("/v3/schedules/{}/overrides?until={until}", v3.id),
            None,
            User,
            400,
        )
        .await;
    assert!(bad["error"]["errors"]["since"].is_array(), "{bad}");
    let bad = c
        .check(
            Method::POST,
            "/v3/schedules/{id}/custom_shifts",
            &format!("/v3/schedules/{}/custom_shifts", v3.id),
            Some(json!({"custom_shifts": [{"type": "custom_shift", "start_time": "2026-03-15T17:00:00Z", "end_time": "2026-03-15T09:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": "PNOBODY"}}]}]})),
            Account,
            400,
        )
        .await;
    let errors = &bad["error"]["errors"];
    assert!(errors["custom_shifts[0].end_time"].is_array(), "{bad}");
    assert!(
        errors["custom_shifts[0].assignments[0].member.user_id"][0]
            .as_str()
            .unwrap()
            .contains("PNOBODY"),
        "{bad}"
    );
    c.check(
        Method::POST,
        "/v3/schedules",
        "/v3/schedules",
        Some(json!({"schedule": {"name": "x", "time_zone": "Mars/Base"}})),
        Account,
        400,
    )
    .await;
    let too_many: Vec<Value> = (0..251)
        .map(|_| json!({"id": open.id, "type": "incident_reference", "status": "acknowledged"}))
        .collect();
    c.check(
        Method::PUT,
        "/incidents",
        "/incidents",
        Some(json!({"incidents": too_many})),
        User,
        413,
    )
    .await;

    integration_samples(&mut c, &acct).await;
    orchestration_and_status_page_samples(&mut c, &acct).await;
    // Incident context error paths.
    c.check(
        Method::POST,
        "/alert_grouping_settings",
        "/alert_grouping_settings",
        Some(json!({"alert_grouping_setting": {"type": "time", "config": {"timeout": 30}, "services": [{"id": free_service.id, "type": "service_reference"}]}})),
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/change_events",
        "/change_events?since=2026-02-01T00:00:00%2B01:00",
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/incidents/{id}/past_incidents",
        &format!("/incidents/{}/past_incidents?limit=0", resolved.id),
        None,
        User,
        400,
    )
    .await;
    c.check(
        Method::POST,
        "/analytics/metrics/incidents/all",
        "/analytics/metrics/incidents/all",
        Some(json!({"filters": {"created_at_start": "2026-01-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z"}})),
        User,
        400,
    )
    .await;
    c.check(
        Method::POST,
        "/analytics/metrics/incidents/all",
        "/analytics/metrics/incidents/all",
        Some(json!({"filters": {"created_at_start": "2026-01-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z", "service_ids": [svc.id]}})),
        User,
        200,
    )
    .await;

    // Every served route must have at least one validated 2xx sample.
    for (method, path) in served_routes() {
        let statuses = c
            .seen
            .get(&(method.to_string(), path))
            .cloned()
            .unwrap_or_default();
        assert!(
            statuses.iter().any(|s| (200..300).contains(s)),
            "served route {method} {path} has no validated success sample; add one to this test"
        );
        assert!(
            statuses.contains(&401),
            "served route {method} {path} has no validated 401 sample"
        );
    }
    sim.shutdown().await;
}

/// Teams, users, services writes, webhooks, extension schemas, incident workflows.
async fn integration_samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
    use Auth::*;
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    let ep = &acct.escalation_policies[0];
    let team = &acct.teams[0];
    let svc = &acct.services[0];
    let user = &acct.users[5];
    let open = acct.incidents.iter().rev().find(|i| i.is_open()).unwrap();
    let workflow = acct
        .incident_workflows
        .iter()
        .find(|w| w.is_enabled)
        .unwrap();
    let disabled = acct
        .incident_workflows
        .iter()
        .find(|w| !w.is_enabled)
        .unwrap();
    let hook = &acct.webhook_subscriptions[0];
    let schema = &acct.extension_schemas[0];

    // Unauthenticated and unknown-id answers first, before any state changes.
    let team_body = json!({"team": {"type": "team", "name": "Spec Team", "description": "Created by the spec test", "default_role": "none"}});
    let service_body = json!({"service": {"type": "service", "name": "Spec Service", "description": "Created by the spec test", "escalation_policy": {"id": ep.id, "type": "escalation_policy_reference"}, "acknowledgement_timeout": 600, "auto_resolve_timeout": null, "incident_urgency_rule": {"type": "constant", "urgency": "low"}}});
    let user_body = json!({"user": {"type": "user", "name": "Spec User", "email": "spec.user@example.com", "role": "user", "time_zone": "America/Lima"}});
    let hook_body = json!({"webhook_subscription": {"type": "webhook_subscription", "delivery_method": {"type": "http_delivery_method", "url": "https://example.com/spec-hook", "custom_headers": [{"name": "X-Token", "value": "s3cret"}]}, "events": ["incident.triggered", "incident.resolved"], "filter": {"type": "service_reference", "id": svc.id}, "description": "Spec hook"}});
    let start_body = json!({"incident_workflow_instance": {"incident": {"id": open.id, "type": "incident_reference"}}});
    let ep_body = json!({"escalation_policy": {"type": "escalation_policy", "name": "Spec EP", "num_loops": 1, "on_call_handoff_notifications": "always", "teams": [{"id": team.id, "type": "team_reference"}], "escalation_rules": [{"escalation_delay_in_minutes": 10, "escalation_rule_assignment_strategy": "round_robin", "targets": [{"id": user.id, "type": "user_reference"}]}]}});
    let unauth: Vec<(Method, &'static str, String, Option<Value>)> = vec![
        (
            post.clone(),
            "/escalation_policies",
            "/escalation_policies".into(),
            Some(ep_body.clone()),
        ),
        (
            put.clone(),
            "/escalation_policies/{id}",
            format!("/escalation_policies/{}", ep.id),
            Some(ep_body.clone()),
        ),
        (
            post.clone(),
            "/users",
            "/users".into(),
            Some(user_body.clone()),
        ),
        (
            post.clone(),
            "/teams",
            "/teams".into(),
            Some(team_body.clone()),
        ),
        (
            put.clone(),
            "/teams/{id}",
            format!("/teams/{}", team.id),
            Some(team_body.clone()),
        ),
        (
            delete.clone(),
            "/teams/{id}",
            format!("/teams/{}", team.id),
            None,
        ),
        (
            put.clone(),
            "/teams/{id}/users/{user_id}",
            format!("/teams/{}/users/{}", team.id, user.id),
            Some(json!({"role": "observer"})),
        ),
        (
            delete.clone(),
            "/teams/{id}/users/{user_id}",
            format!("/teams/{}/users/{}", team.id, user.id),
            None,
        ),
        (
            post.clone(),
            "/services",
            "/services".into(),
            Some(service_body.clone()),
        ),
        (
            put.clone(),
            "/services/{id}",
            format!("/services/{}", svc.id),
            Some(service_body.clone()),
        ),
        (
            get.clone(),
            "/webhook_subscriptions",
            "/webhook_subscriptions".into(),
            None,
        ),
        (
            post.clone(),
            "/webhook_subscriptions",
            "/webhook_subscriptions".into(),
            Some(hook_body.clone()),
        ),
        (
            get.clone(),
            "/webhook_subscriptions/{id}",
            format!("/webhook_subscriptions/{}", hook.id),
            None,
        ),
        (
            put.clone(),
            "/webhook_subscriptions/{id}",
            format!("/webhook_subscriptions/{}", hook.id),
            Some(json!({"webhook_subscription": {"active": false}})),
        ),
        (
            delete.clone(),
            "/webhook_subscriptions/{id}",
            format!("/webhook_subscriptions/{}", hook.id),
            None,
        ),
        (
            get.clone(),
            "/extension_schemas",
            "/extension_schemas".into(),
            None,
        ),
        (
            get.clone(),
            "/extension_schemas/{id}",
            format!("/extension_schemas/{}", schema.id),
            None,
        ),
        (
            get.clone(),
            "/incident_workflows",
            "/incident_workflows".into(),
            None,
        ),
        (
            get.clone(),
            "/incident_workflows/{id}",
            format!("/incident_workflows/{}", workflow.id),
            None,
        ),
        (
            post.clone(),
            "/incident_workflows/{id}/instances",
            format!("/incident_workflows/{}/instances", workflow.id),
            Some(start_body.clone()),
        ),
    ];
    for (m, t, pq, body) in &unauth {
        c.check(m.clone(), t, pq, body.clone(), Anonymous, 401)
            .await;
        if t.contains("{id}") {
            let missing = t.replace("{user_id}", &user.id).replace("{id}", "PNOPE00");
            c.check(m.clone(), t, &missing, body.clone(), User, 404)
                .await;
        }
    }

    // Happy paths, in an order where each write's result feeds the next.
    let made = c
        .check(
            post.clone(),
            "/escalation_policies",
            "/escalation_policies",
            Some(ep_body.clone()),
            User,
            201,
        )
        .await;
    let epid = made["escalation_policy"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        made["escalation_policy"]["escalation_rules"][0]["escalation_rule_assignment_strategy"],
        "round_robin"
    );
    c.check(
        post.clone(),
        "/escalation_policies",
        "/escalation_policies",
        Some(ep_body.clone()),
        User,
        400,
    )
    .await;
    let mut renamed = ep_body.clone();
    renamed["escalation_policy"]["name"] = json!("Spec EP 2");
    c.check(
        put.clone(),
        "/escalation_policies/{id}",
        &format!("/escalation_policies/{epid}"),
        Some(renamed),
        User,
        200,
    )
    .await;
    let created = c
        .check(
            post.clone(),
            "/users",
            "/users",
            Some(user_body.clone()),
            Account,
            201,
        )
        .await;
    assert_eq!(created["user"]["time_zone"], "America/Lima");
    c.check(post.clone(), "/users", "/users", Some(user_body), User, 400)
        .await;

    let t = c
        .check(
            post.clone(),
            "/teams",
            "/teams",
            Some(team_body.clone()),
            User,
            201,
        )
        .await;
    let tid = t["team"]["id"].as_str().unwrap().to_owned();
    assert_eq!(t["team"]["default_role"], "none");
    c.check(post.clone(), "/teams", "/teams", Some(team_body), User, 400)
        .await;
    c.check(
        put.clone(),
        "/teams/{id}",
        &format!("/teams/{tid}"),
        Some(json!({"team": {"type": "team", "name": "Spec Team 2"}})),
        User,
        200,
    )
    .await;
    c.check(
        put.clone(),
        "/teams/{id}/users/{user_id}",
        &format!("/teams/{tid}/users/{}", user.id),
        Some(json!({"role": "responder"})),
        User,
        204,
    )
    .await;
    c.check(
        put.clone(),
        "/teams/{id}/users/{user_id}",
        &format!("/teams/{tid}/users/PNOPE00"),
        Some(json!({"role": "observer"})),
        User,
        404,
    )
    .await;
    let members = c
        .check(
            get.clone(),
            "/teams/{id}/members",
            &format!("/teams/{tid}/members"),
            None,
            User,
            200,
        )
        .await;
    assert_eq!(members["members"][0]["role"], "responder");
    c.check(
        delete.clone(),
        "/teams/{id}/users/{user_id}",
        &format!("/teams/{tid}/users/{}", user.id),
        None,
        User,
        204,
    )
    .await;
    c.check(
        delete.clone(),
        "/teams/{id}",
        &format!("/teams/{}", team.id),
        None,
        User,
        400,
    )
    .await;
    c.check(
        delete.clone(),
        "/teams/{id}",
        &format!("/teams/{tid}"),
        None,
        User,
        204,
    )
    .await;

    let s = c
        .check(
            post.clone(),
            "/services",
            "/services",
            Some(service_body.clone()),
            User,
            201,
        )
        .await;
    let sid = s["service"]["id"].as_str().unwrap().to_owned();
    assert_eq!(s["service"]["incident_urgency_rule"]["urgency"], "low");
    c.check(
        post.clone(),
        "/services",
        "/services",
        Some(service_body),
        User,
        400,
    )
    .await;
    c.check(put.clone(), "/services/{id}", &format!("/services/{sid}"), Some(json!({"service": {"type": "service", "status": "disabled", "escalation_policy": {"id": ep.id, "type": "escalation_policy_reference"}, "teams": [{"id": team.id, "type": "team_reference"}]}})), User, 200).await;

    c.check(
        get.clone(),
        "/webhook_subscriptions",
        "/webhook_subscriptions?filter_type=team&total=true",
        None,
        User,
        200,
    )
    .await;
    c.check(
        get.clone(),
        "/webhook_subscriptions",
        "/webhook_subscriptions?filter_type=galaxy",
        None,
        User,
        400,
    )
    .await;
    let h = c
        .check(
            post.clone(),
            "/webhook_subscriptions",
            "/webhook_subscriptions",
            Some(hook_body.clone()),
            User,
            200,
        )
        .await;
    let hid = h["webhook_subscription"]["id"].as_str().unwrap().to_owned();
    assert!(h["webhook_subscription"]["delivery_method"]["secret"].is_string());
    let mut http_hook = hook_body;
    http_hook["webhook_subscription"]["delivery_method"]["url"] = json!("http://example.com/plain");
    c.check(
        post.clone(),
        "/webhook_subscriptions",
        "/webhook_subscriptions",
        Some(http_hook),
        User,
        400,
    )
    .await;
    let got = c
        .check(
            get.clone(),
            "/webhook_subscriptions/{id}",
            &format!("/webhook_subscriptions/{hid}"),
            None,
            User,
            200,
        )
        .await;
    assert!(got["webhook_subscription"]["delivery_method"]["secret"].is_null());
    assert_eq!(
        got["webhook_subscription"]["delivery_method"]["custom_headers"][0]["value"],
        "-- redacted --"
    );
    c.check(put.clone(), "/webhook_subscriptions/{id}", &format!("/webhook_subscriptions/{hid}"), Some(json!({"webhook_subscription": {"active": false, "events": ["incident.acknowledged"], "filter": {"type": "account_reference"}}})), User, 200).await;
    c.check(
        delete.clone(),
        "/webhook_subscriptions/{id}",
        &format!("/webhook_subscriptions/{hid}"),
        None,
        User,
        204,
    )
    .await;

    c.check(
        get.clone(),
        "/extension_schemas",
        "/extension_schemas?total=true",
        None,
        User,
        200,
    )
    .await;
    c.check(
        get.clone(),
        "/extension_schemas/{id}",
        &format!("/extension_schemas/{}", schema.id),
        None,
        User,
        200,
    )
    .await;

    c.check(
        get.clone(),
        "/incident_workflows",
        "/incident_workflows?include[]=steps&include[]=team&query=incident",
        None,
        User,
        200,
    )
    .await;
    c.check(
        get.clone(),
        "/incident_workflows",
        "/incident_workflows?include[]=bogus",
        None,
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/incident_workflows/{id}",
        &format!("/incident_workflows/{}", workflow.id),
        None,
        User,
        200,
    )
    .await;
    c.check(
        post.clone(),
        "/incident_workflows/{id}/instances",
        &format!("/incident_workflows/{}/instances", workflow.id),
        Some(start_body.clone()),
        User,
        201,
    )
    .await;
    c.check(
        post.clone(),
        "/incident_workflows/{id}/instances",
        &format!("/incident_workflows/{}/instances", disabled.id),
        Some(start_body),
        User,
        400,
    )
    .await;
    c.check(
        post.clone(),
        "/incident_workflows/{id}/instances",
        &format!("/incident_workflows/{}/instances", workflow.id),
        Some(json!({"incident_workflow_instance": {"incident": {"id": "QNOPE00"}}})),
        User,
        400,
    )
    .await;
}

/// Event orchestrations and status pages.
async fn orchestration_and_status_page_samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
    use Auth::*;
    let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
    let eo = &acct.event_orchestrations[0];
    let svc = &acct.services[0];
    let sp = &acct.status_pages[0];
    let sp_post = &sp.posts[0];
    let opt = |list: &[pagerduty_sim::status_pages::StatusOption], post_type: &str| {
        list.iter()
            .find(|o| o.post_type == post_type)
            .unwrap()
            .id
            .clone()
    };
    let update = json!({
        "type": "status_page_post_update",
        "post": {"id": sp_post.id, "type": "status_page_post"},
        "message": "Spec test update: still investigating",
        "status": {"id": opt(&sp.statuses, "incident"), "type": "status_page_status"},
        "severity": {"id": opt(&sp.severities, "incident"), "type": "status_page_severity"},
        "impacted_services": [{"service": {"id": sp.service_ids[0], "type": "status_page_service"}, "impact": {"id": opt(&sp.impacts, "incident"), "type": "status_page_impact"}}],
        "update_frequency_ms": 1_800_000,
        "notify_subscribers": false,
    });
    let router_body = json!({"orchestration_path": {"type": "router", "sets": [{"id": "start", "rules": [
        {"label": "Spec rule", "conditions": [{"expression": "event.summary matches part 'spec'"}], "actions": {"route_to": svc.id}, "disabled": false}
    ]}], "catch_all": {"actions": {"route_to": "unrouted"}}}});
    let post_body = json!({"post": {
        "type": "status_page_post",
        "title": "Spec test post",
        "post_type": "incident",
        "starts_at": "2026-03-01T10:00:00Z",
        "ends_at": "2026-03-01T12:00:00Z",
        "status_page": {"id": sp.id, "type": "status_page"},
        "updates": [update.clone()],
    }});
    let samples: Vec<(Method, &'static str, String, Option<Value>, u16)> = vec![
        (
            get.clone(),
            "/event_orchestrations",
            "/event_orchestrations?sort_by=routes:desc&limit=1".into(),
            None,
            200,
        ),
        (
            get.clone(),
            "/event_orchestrations/{id}",
            format!("/event_orchestrations/{}", eo.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/event_orchestrations/{id}/router",
            format!("/event_orchestrations/{}/router", eo.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/event_orchestrations/{id}/global",
            format!("/event_orchestrations/{}/global", eo.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/event_orchestrations/services/{service_id}",
            format!("/event_orchestrations/services/{}", svc.id),
            None,
            200,
        ),
        (
            put.clone(),
            "/event_orchestrations/{id}/router",
            format!("/event_orchestrations/{}/router", eo.id),
            Some(router_body),
            200,
        ),
        (
            get.clone(),
            "/status_pages",
            "/status_pages?status_page_type=public".into(),
            None,
            200,
        ),
        (
            get.clone(),
            "/status_pages/{id}/severities",
            format!("/status_pages/{}/severities?post_type=incident", sp.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/status_pages/{id}/impacts",
            format!("/status_pages/{}/impacts?post_type=maintenance", sp.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/status_pages/{id}/statuses",
            format!("/status_pages/{}/statuses", sp.id),
            None,
            200,
        ),
        (
            get.clone(),
            "/status_pages/{id}/posts/{post_id}",
            format!(
                "/status_pages/{}/posts/{}?include[]=status_page_post_update",
                sp.id, sp_post.id
            ),
            None,
            200,
        ),
        (
            get.clone(),
            "/status_pages/{id}/posts/{post_id}/post_updates",
            format!(
                "/status_pages/{}/posts/{}/post_updates?reviewed_status=approved",
                sp.id, sp_post.id
            ),
            None,
            200,
        ),
        (
            post.clone(),
            "/status_pages/{id}/posts",
            format!("/status_pages/{}/posts", sp.id),
            Some(post_body.clone()),
            201,
        ),
        (
            post.clone(),
            "/status_pages/{id}/posts/{post_id}/post_updates",
            format!("/status_pages/{}/posts/{}/post_updates", sp.id, sp_post.id),
            Some(json!({"post_update": update})),
            201,
        ),
    ];
    for (m, t, pq, body, expect) in &samples {
        c.check(m.clone(), t, pq, body.clone(), Anonymous, 401)
            .await;
        if t.contains('{') {
            let missing = pq
                .replace(&eo.id, "PNOPE00")
                .replace(&svc.id, "PNOPE00")
                .replace(&sp.id, "PNOPE00");
            c.check(m.clone(), t, &missing, body.clone(), User, 404)
                .await;
        }
        let auth = if *m == Method::GET { User } else { Account };
        c.check(m.clone(), t, pq, body.clone(), auth, *expect).await;
    }
    // The router replace persists.
    let after = c
        .check(
            get.clone(),
            "/event_orchestrations/{id}/router",
            &format!("/event_orchestrations/{}/router", eo.id),
            None,
            User,
            200,
        )
        .await;
    assert_eq!(
        after["orchestration_path"]["sets"][0]["rules"][0]["label"], "Spec rule",
        "{after}"
    );
    // Validation errors.
    let bad_router = json!({"orchestration_path": {"type": "router", "sets": [{"id": "first", "rules": []}], "catch_all": {"actions": {"route_to": "unrouted"}}}});
    c.check(
        put.clone(),
        "/event_orchestrations/{id}/router",
        &format!("/event_orchestrations/{}/router", eo.id),
        Some(bad_router),
        User,
        400,
    )
    .await;
    let bad_route = json!({"orchestration_path": {"type": "router", "sets": [{"id": "start", "rules": [{"conditions": [], "actions": {"route_to": "PNOSUCH"}}]}], "catch_all": {"actions": {"route_to": "unrouted"}}}});
    c.check(
        put.clone(),
        "/event_orchestrations/{id}/router",
        &format!("/event_orchestrations/{}/router", eo.id),
        Some(bad_route),
        User,
        400,
    )
    .await;
    c.check(
        get.clone(),
        "/status_pages",
        "/status_pages?status_page_type=secret",
        None,
        User,
        400,
    )
    .await;
    let other_page = &acct.status_pages[1];
    let mut foreign = post_body.clone();
    foreign["post"]["updates"][0]["severity"]["id"] =
        json!(opt(&other_page.severities, "incident"));
    c.check(
        post.clone(),
        "/status_pages/{id}/posts",
        &format!("/status_pages/{}/posts", sp.id),
        Some(foreign),
        User,
        400,
    )
    .await;
    let mut backwards = post_body;
    backwards["post"]["ends_at"] = json!("2026-03-01T09:00:00Z");
    c.check(
        post,
        "/status_pages/{id}/posts",
        &format!("/status_pages/{}/posts", sp.id),
        Some(backwards),
        User,
        400,
    )
    .await;
}
