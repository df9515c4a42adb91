//! Checks the simulator against PagerDuty's official OpenAPI spec.
//!
//! The spec is read at run time from `$PAGERDUTY_OPENAPI_DIR/rest-openapiv3.json`
//! or `<repo>/../shared/pagerduty-openapi/rest-openapiv3.json`; it is never
//! copied into the repository. Missing spec: skipped locally, failure when CI=true.

use std::collections::{BTreeMap, BTreeSet};

use http::Method;
use pagerduty_sim::{SimConfig, Simulator, from_required_routes, served_routes, tokens};
use serde_json::{Value, json};

mod integrations;
mod orchestrations;
mod responder_tools;
mod spec;

use integrations::integration_samples;
use orchestrations::orchestration_and_status_page_samples;
use spec::*;

const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";

/// The raw spec, or None (skip, said on the terminal) when it is absent outside CI.
fn load_raw_spec() -> Option<Value> {
    pagerduty_sim::spec::load("the simulator's REST spec checks", "rest-openapiv3.json")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// How a sample authenticates.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Auth {
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
    seen: BTreeMap<(String, String), BTreeSet<u16>>,
}

impl Checker {
    /// The spec's template for a sample's path, e.g. `/teams/{id}` for `/teams/P123?total=true`.
    fn template(&self, method: &Method, path_and_query: &str) -> String {
        self.spec
            .template(method, path_and_query)
            .unwrap_or_else(|| panic!("{method} {path_and_query} matches no operation in the spec"))
    }

    /// Sends a sample and validates the request body and the response against the operation
    /// its path is an instance of.
    async fn check(
        &mut self,
        method: Method,
        path_and_query: &str,
        body: Option<Value>,
        auth: Auth,
        expect: u16,
    ) -> Value {
        let template = self.template(&method, path_and_query);
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
                &self.spec.request_schema(&method, &template),
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
        let json = if status == 204 {
            // No Content: nothing to validate beyond the empty body.
            assert!(
                text.is_empty(),
                "{method} {path_and_query}: 204 with a body"
            );
            Value::Null
        } else {
            let json: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path_and_query}: not JSON ({e}): {text}"));
            let (ptr, declared) = self.spec.response_schema(&method, &template, status);
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
            json
        };
        self.seen
            .entry((method.to_string(), template))
            .or_default()
            .insert(status);
        json
    }

    /// [`Checker::check`] for a `GET`.
    async fn get(&mut self, path: &str, auth: Auth, expect: u16) -> Value {
        self.check(Method::GET, path, None, auth, expect).await
    }

    /// [`Checker::check`] for a `POST` with a body.
    async fn post(&mut self, path: &str, body: Value, auth: Auth, expect: u16) -> Value {
        self.check(Method::POST, path, Some(body), auth, expect)
            .await
    }

    /// [`Checker::check`] for a `PUT` with a body.
    async fn put(&mut self, path: &str, body: Value, auth: Auth, expect: u16) -> Value {
        self.check(Method::PUT, path, Some(body), auth, expect)
            .await
    }

    /// [`Checker::check`] for a `DELETE`.
    async fn delete(&mut self, path: &str, auth: Auth, expect: u16) {
        self.check(Method::DELETE, path, None, auth, expect).await;
    }

    /// What every gated route answers before its own: 401 without credentials and, for a
    /// route with a path parameter, 404 with the first one unknown (`/teams/PNOPE00/users/P1`).
    /// Run before the happy path, which may change state.
    async fn refusals(&mut self, method: &Method, path_and_query: &str, body: Option<&Value>) {
        self.check(
            method.clone(),
            path_and_query,
            body.cloned(),
            Auth::Anonymous,
            401,
        )
        .await;
        let template = self.template(method, path_and_query);
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, format!("?{q}")),
            None => (path_and_query, String::new()),
        };
        let mut segments: Vec<&str> = path.split('/').collect();
        if let Some(first) = template.split('/').position(|s| s.starts_with('{')) {
            segments[first] = "PNOPE00";
            let missing = format!("{}{query}", segments.join("/"));
            self.check(method.clone(), &missing, body.cloned(), Auth::User, 404)
                .await;
        }
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
    // The newest incident in each status.
    let latest = |status: &str| {
        acct.incidents
            .iter()
            .rev()
            .find(|i| i.status == status)
            .unwrap()
            .clone()
    };
    let open = latest("triggered");
    let acked = latest("acknowledged");
    let resolved = latest("resolved");
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
    let samples: Vec<(Method, String, Option<Value>)> = vec![
        (get.clone(), "/users/me?include[]=contact_methods".into(), None),
        (get.clone(), format!("/users?team_ids[]={}&include[]=teams&total=true", team.id), None),
        (get.clone(), format!("/users/{}?include[]=contact_methods", demo.id), None),
        (get.clone(), "/teams?query=pla&total=true".into(), None),
        (get.clone(), format!("/teams/{}", team.id), None),
        (get.clone(), format!("/teams/{}/members?total=true", team.id), None),
        (get.clone(), "/services?sort_by=name:desc&include[]=integrations&include[]=teams".into(), None),
        (get.clone(), format!("/services/{}?include[]=escalation_policies", svc.id), None),
        (get.clone(), format!("/escalation_policies?user_ids[]={}&include[]=teams", demo.id), None),
        (get.clone(), format!("/escalation_policies/{}", ep.id), None),
        (get.clone(), format!("/schedules?query=platform&since={since}&until={until}"), None),
        (get.clone(), format!("/schedules/{}?since={since}&until={until}&time_zone=Asia/Tokyo", sched.id), None),
        (get.clone(), format!("/schedules/{}/overrides?since=2026-01-01T00:00:00Z&until=2026-04-01T00:00:00Z", sched.id), None),
        (get.clone(), format!("/schedules/{}/users?since={since}&until={until}", sched.id), None),
        (get.clone(), "/oncalls?include[]=users&time_zone=Europe/London&total=true".into(), None),
        (get.clone(), "/priorities".into(), None),
        (get.clone(), "/incidents?statuses[]=triggered&statuses[]=acknowledged&urgencies[]=high&sort_by=created_at:desc&include[]=assignees&include[]=services&total=true&date_range=all".into(), None),
        (get.clone(), format!("/incidents/{}?include[]=first_trigger_log_entries", open.id), None),
        (get.clone(), format!("/incidents/{}/notes", acked.number), None),
        (get.clone(), format!("/incidents/{}/alerts?statuses[]=triggered&total=true", open.id), None),
        (get.clone(), format!("/incidents/{}/alerts/{}", open.id, alert.id), None),
        (get.clone(), format!("/incidents/{}/log_entries?include[]=incidents", resolved.id), None),
        (get.clone(), "/log_entries?is_overview=true&time_zone=America/New_York".into(), None),
        (get.clone(), format!("/log_entries/{}", log_entry.id), None),
        (
            Method::POST,
            "/incidents".into(),
            Some(json!({"incident": {"type": "incident", "title": "Spec test: disk filling on db-9", "service": {"id": svc.id, "type": "service_reference"}, "urgency": "low", "body": {"type": "incident_body", "details": {"disk": "db-9", "used_pct": 97}}}})),
        ),
        (
            Method::PUT,
            format!("/incidents/{}", open.id),
            Some(json!({"incident": {"type": "incident_reference", "status": "acknowledged"}})),
        ),
        (
            Method::PUT,
            "/incidents".into(),
            Some(json!({"incidents": [{"id": acked.id, "type": "incident_reference", "status": "resolved", "resolution": "Fixed"}]})),
        ),
        (
            Method::POST,
            format!("/incidents/{}/notes", open.id),
            Some(json!({"note": {"content": "Spec test note"}})),
        ),
        (
            Method::POST,
            format!("/incidents/{}/responder_requests", open.id),
            Some(json!({"requester_id": demo.id, "message": "Please join the bridge", "responder_request_targets": [{"responder_request_target": {"id": acct.users[3].id, "type": "user_reference"}}]})),
        ),
        (
            Method::POST,
            format!("/schedules/{}/overrides", sched.id),
            Some(json!({"overrides": [
                {"start": "2026-03-10T09:00:00Z", "end": "2026-03-10T17:00:00Z", "user": {"id": demo.id, "type": "user_reference"}, "time_zone": "UTC"},
                {"start": "2026-03-11T09:00:00Z", "end": "2026-03-11T09:00:00Z", "user": {"id": demo.id, "type": "user_reference"}}
            ]})),
        ),
        (get.clone(), "/v3/schedules?query=shift&limit=10&total=true".into(), None),
        (get.clone(), format!("/v3/schedules/{}?time_zone=UTC&include[]=final_schedule&since={since}&until={until}", v3.id), None),
        (get.clone(), format!("/v3/schedules/{}/rotations?limit=5", v3.id), None),
        (get.clone(), format!("/v3/schedules/{}/rotations/{}", v3.id, rot.id), None),
        (get.clone(), format!("/v3/schedules/{}/rotations/{}/events", v3.id, rot.id), None),
        (get.clone(), format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id), None),
        (get.clone(), format!("/v3/schedules/{}/custom_shifts?since=2026-02-01T00:00:00Z&until=2026-04-01T00:00:00Z&overflow=true", v3.id), None),
        (get.clone(), format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id), None),
        (get.clone(), format!("/v3/schedules/{}/overrides?since={since}&until={until}", v3.id), None),
        (get.clone(), format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id), None),
        (
            Method::POST,
            "/v3/schedules".into(),
            Some(json!({"schedule": {"name": "Spec test shifts", "time_zone": "America/New_York", "description": "spec", "teams": [{"id": team.id, "type": "team_reference"}]}})),
        ),
        (
            Method::PUT,
            format!("/v3/schedules/{}", v3.id),
            Some(json!({"schedule": {"name": "SRE Shift-Based On-Call (renamed)", "description": "Updated"}})),
        ),
        (Method::POST, format!("/v3/schedules/{}/rotations", v3.id), Some(json!({}))),
        (
            Method::POST,
            format!("/v3/schedules/{}/rotations/{}/events", v3.id, rot.id),
            Some(json!({"event": {"name": "Spec event", "start_time": {"date_time": "2026-03-09T09:00:00Z", "time_zone": "UTC"}, "end_time": {"date_time": "2026-03-09T17:00:00Z", "time_zone": "UTC"}, "effective_since": "2026-03-09T00:00:00Z", "recurrence": ["RRULE:FREQ=DAILY"], "assignment_strategy": {"type": "rotating_member_assignment_strategy", "shifts_per_member": 1, "members": [{"type": "user_member", "user_id": demo.id}, {"type": "empty_member"}]}}})),
        ),
        (
            Method::PUT,
            format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id),
            Some(json!({"event": {"effective_until": "2026-09-01T00:00:00Z"}})),
        ),
        (
            Method::POST,
            format!("/v3/schedules/{}/custom_shifts", v3.id),
            Some(json!({"custom_shifts": [{"type": "custom_shift", "start_time": "2026-03-15T09:00:00Z", "end_time": "2026-03-15T17:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": demo.id}}]}]})),
        ),
        (
            Method::PUT,
            format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id),
            Some(json!({"custom_shift": {"start_time": "2026-03-20T10:00:00Z", "end_time": "2026-03-20T18:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": other}}]}})),
        ),
        (
            Method::POST,
            format!("/v3/schedules/{}/overrides", v3.id),
            Some(json!({"overrides": [{"type": "override_shift", "rotation_id": rot.id, "start_time": "2026-03-04T09:00:00Z", "end_time": "2026-03-04T17:00:00Z", "overridden_member": {"type": "user_member", "user_id": demo.id}, "overriding_member": {"type": "user_member", "user_id": other}}]})),
        ),
        (
            Method::PUT,
            format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id),
            Some(json!({"override": {"start_time": "2026-03-03T10:00:00Z", "end_time": "2026-03-03T18:00:00Z", "overriding_member": {"type": "user_member", "user_id": other}}})),
        ),
        // Deletes last, once their targets have been read and changed.
        (Method::DELETE, format!("/v3/schedules/{}/overrides/{}", v3.id, ovr.id), None),
        (Method::DELETE, format!("/v3/schedules/{}/custom_shifts/{}", v3.id, shift.id), None),
        (Method::DELETE, format!("/v3/schedules/{}/rotations/{}/events/{}", v3.id, rot.id, ev.id), None),
        (Method::DELETE, format!("/v3/schedules/{}/rotations/{}", v3.id, rot.id), None),
        (Method::DELETE, format!("/v3/schedules/{}", v3b.id), None),
        (get.clone(), format!("/alert_grouping_settings?service_ids[]={}&limit=2&total=true", acct.services[0].id), None),
        (get.clone(), format!("/alert_grouping_settings/{}", grouping.id), None),
        (
            Method::POST,
            "/alert_grouping_settings".into(),
            Some(json!({"alert_grouping_setting": {"name": "Auth grouping", "description": "Spec test", "type": "content_based_intelligent", "config": {"aggregate": "any", "fields": ["summary"], "time_window": 600}, "services": [{"id": free_service.id, "type": "service_reference"}]}})),
        ),
        (
            Method::PUT,
            format!("/alert_grouping_settings/{}", grouping.id),
            Some(json!({"alert_grouping_setting": {"name": "Checkout by time", "type": "time", "config": {"timeout": 900}, "services": [{"id": grouping.service_ids[0], "type": "service_reference"}]}})),
        ),
        (Method::DELETE, format!("/alert_grouping_settings/{}", doomed_grouping.id), None),
        (get.clone(), format!("/change_events?since=2026-02-01T00:00:00Z&until={until}&team_ids[]={}&total=true", team.id), None),
        (get.clone(), format!("/change_events/{}", change.id), None),
        (get.clone(), format!("/services/{}/change_events?since=2026-01-01T00:00:00Z&limit=5", svc.id), None),
        (get.clone(), format!("/incidents/{}/related_change_events?limit=10", after_deploy.id), None),
        (get.clone(), format!("/incidents/{}/past_incidents?limit=3&total=true", resolved.id), None),
        (get.clone(), format!("/incidents/{}/related_incidents?additional_details[]=incident", resolved.id), None),
        (get.clone(), format!("/incidents/{}/outlier_incident?since=2025-12-01T00:00:00Z", resolved.id), None),
        (get.clone(), "/business_services?total=true".into(), None),
        (get.clone(), format!("/service_dependencies/business_services/{}", business.id), None),
        (get.clone(), format!("/service_dependencies/technical_services/{}", acct.services[0].id), None),
        (Method::POST, "/analytics/metrics/incidents/all".into(), metrics(incident_filters.clone())),
        (Method::POST, "/analytics/metrics/incidents/services".into(), Some(json!({"filters": incident_filters, "aggregate_unit": "week", "order": "desc", "order_by": "total_incident_count"}))),
        (Method::POST, "/analytics/metrics/incidents/teams".into(), Some(json!({"filters": {"created_at_start": "2026-02-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z"}, "aggregate_unit": "month", "time_zone": "America/New_York"}))),
        (Method::POST, "/analytics/metrics/responders/all".into(), metrics(responder_filters.clone())),
        (Method::POST, "/analytics/metrics/responders/teams".into(), metrics(responder_filters)),
    ];

    for (method, pq, body) in &samples {
        c.refusals(method, pq, body.as_ref()).await;
        let template = c.template(method, pq);
        let expect = match (method.as_str(), template.as_str()) {
            ("POST", "/incidents") => 201,
            ("POST", t) if t.starts_with("/v3/") || t == "/schedules/{id}/overrides" => 201,
            ("DELETE", t) if t.starts_with("/v3/") => 204,
            ("POST", "/alert_grouping_settings") => 201,
            ("DELETE", _) => 204,
            _ => 200,
        };
        let auth = if method == Method::GET { User } else { Account };
        c.check(method.clone(), pq, body.clone(), auth, expect)
            .await;
    }

    // Other credential kinds and error paths.
    c.get("/users/me", Bearer, 200).await;
    c.get("/users/me", Account, 400).await;
    // Requests refused with a 400, each with the credential it needs.
    let refused: Vec<(Method, String, Option<Value>, Auth)> = vec![
        (
            get.clone(),
            "/incidents?statuses[]=bogus".into(),
            None,
            User,
        ),
        (
            get.clone(),
            "/incidents?since=2025-01-01T00:00:00Z&until=2026-03-01T00:00:00Z".into(),
            None,
            User,
        ),
        (
            get.clone(),
            "/incidents?offset=9990&limit=20".into(),
            None,
            User,
        ),
        (
            get.clone(),
            format!("/schedules/{}/overrides", sched.id),
            None,
            User,
        ),
        (
            Method::POST,
            format!("/incidents/{}/notes", open.id),
            Some(json!({"note": {"content": ""}})),
            User,
        ),
        (
            Method::PUT,
            format!("/incidents/{}", resolved.id),
            Some(json!({"incident": {"type": "incident", "status": "resolved"}})),
            User,
        ),
        (
            Method::POST,
            "/incidents".into(),
            Some(
                json!({"incident": {"type": "incident", "title": "dup", "service": {"id": open.service_id, "type": "service_reference"}, "incident_key": open.incident_key}}),
            ),
            User,
        ),
        // Shift-based and layer-based schedules each refuse the other API.
        (get.clone(), format!("/schedules/{}", v3.id), None, User),
        (
            get.clone(),
            format!("/v3/schedules/{}", sched.id),
            None,
            User,
        ),
        // Incident context.
        (
            Method::POST,
            "/alert_grouping_settings".into(),
            Some(
                json!({"alert_grouping_setting": {"type": "time", "config": {"timeout": 30}, "services": [{"id": free_service.id, "type": "service_reference"}]}}),
            ),
            User,
        ),
        (
            get.clone(),
            "/change_events?since=2026-02-01T00:00:00%2B01:00".into(),
            None,
            User,
        ),
        (
            get.clone(),
            format!("/incidents/{}/past_incidents?limit=0", resolved.id),
            None,
            User,
        ),
        (
            Method::POST,
            "/analytics/metrics/incidents/all".into(),
            Some(
                json!({"filters": {"created_at_start": "2026-01-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z"}}),
            ),
            User,
        ),
    ];
    for (method, path, body, auth) in refused {
        c.check(method, &path, body, auth, 400).await;
    }
    // v3 validation errors map field paths to messages.
    let bad = c
        .get(
            &format!("/v3/schedules/{}/overrides?until={until}", v3.id),
            User,
            400,
        )
        .await;
    assert!(bad["error"]["errors"]["since"].is_array(), "{bad}");
    let bad = c
        .post(&format!("/v3/schedules/{}/custom_shifts", v3.id), json!({"custom_shifts": [{"type": "custom_shift", "start_time": "2026-03-15T17:00:00Z", "end_time": "2026-03-15T09:00:00Z", "assignments": [{"type": "shift_assignment", "member": {"type": "user_member", "user_id": "PNOBODY"}}]}]}), Account, 400)
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
    c.post(
        "/v3/schedules",
        json!({"schedule": {"name": "x", "time_zone": "Mars/Base"}}),
        Account,
        400,
    )
    .await;
    let too_many: Vec<Value> = (0..251)
        .map(|_| json!({"id": open.id, "type": "incident_reference", "status": "acknowledged"}))
        .collect();
    c.put("/incidents", json!({"incidents": too_many}), User, 413)
        .await;

    integration_samples(&mut c, &acct).await;
    orchestration_and_status_page_samples(&mut c, &acct).await;
    responder_tools::samples(&mut c, &acct).await;
    c.post("/analytics/metrics/incidents/all", json!({"filters": {"created_at_start": "2026-01-01T00:00:00Z", "created_at_end": "2026-03-02T00:00:00Z", "service_ids": [svc.id]}}), User, 200)
    .await;

    // Every served route must have at least one validated 2xx sample.
    for (method, path) in served_routes() {
        let statuses = c
            .seen
            .get(&(method.to_string(), path.to_string()))
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
