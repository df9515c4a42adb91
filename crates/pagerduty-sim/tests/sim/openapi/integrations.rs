//! Samples for integrations: change events, incident workflows, webhooks, alert grouping,
//! extension schemas, business services and analytics.

use http::Method;
use serde_json::{Value, json};

use super::*;

/// Teams, users, services writes, webhooks, extension schemas, incident workflows.
pub(super) async fn integration_samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
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
    let unauth: Vec<(Method, String, Option<Value>)> = vec![
        (
            post.clone(),
            "/escalation_policies".into(),
            Some(ep_body.clone()),
        ),
        (
            put.clone(),
            format!("/escalation_policies/{}", ep.id),
            Some(ep_body.clone()),
        ),
        (post.clone(), "/users".into(), Some(user_body.clone())),
        (post.clone(), "/teams".into(), Some(team_body.clone())),
        (
            put.clone(),
            format!("/teams/{}", team.id),
            Some(team_body.clone()),
        ),
        (delete.clone(), format!("/teams/{}", team.id), None),
        (
            put.clone(),
            format!("/teams/{}/users/{}", team.id, user.id),
            Some(json!({"role": "observer"})),
        ),
        (
            delete.clone(),
            format!("/teams/{}/users/{}", team.id, user.id),
            None,
        ),
        (post.clone(), "/services".into(), Some(service_body.clone())),
        (
            put.clone(),
            format!("/services/{}", svc.id),
            Some(service_body.clone()),
        ),
        (get.clone(), "/webhook_subscriptions".into(), None),
        (
            post.clone(),
            "/webhook_subscriptions".into(),
            Some(hook_body.clone()),
        ),
        (
            get.clone(),
            format!("/webhook_subscriptions/{}", hook.id),
            None,
        ),
        (
            put.clone(),
            format!("/webhook_subscriptions/{}", hook.id),
            Some(json!({"webhook_subscription": {"active": false}})),
        ),
        (
            delete.clone(),
            format!("/webhook_subscriptions/{}", hook.id),
            None,
        ),
        (get.clone(), "/extension_schemas".into(), None),
        (
            get.clone(),
            format!("/extension_schemas/{}", schema.id),
            None,
        ),
        (get.clone(), "/incident_workflows".into(), None),
        (
            get.clone(),
            format!("/incident_workflows/{}", workflow.id),
            None,
        ),
        (
            post.clone(),
            format!("/incident_workflows/{}/instances", workflow.id),
            Some(start_body.clone()),
        ),
    ];
    for (m, pq, body) in &unauth {
        c.refusals(m, pq, body.as_ref()).await;
    }

    // Happy paths, in an order where each write's result feeds the next.
    let made = c
        .post("/escalation_policies", ep_body.clone(), User, 201)
        .await;
    let epid = made["escalation_policy"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        made["escalation_policy"]["escalation_rules"][0]["escalation_rule_assignment_strategy"],
        "round_robin"
    );
    c.post("/escalation_policies", ep_body.clone(), User, 400)
        .await;
    let mut renamed = ep_body.clone();
    renamed["escalation_policy"]["name"] = json!("Spec EP 2");
    c.put(&format!("/escalation_policies/{epid}"), renamed, User, 200)
        .await;
    let created = c.post("/users", user_body.clone(), Account, 201).await;
    assert_eq!(created["user"]["time_zone"], "America/Lima");
    c.post("/users", user_body, User, 400).await;

    let t = c.post("/teams", team_body.clone(), User, 201).await;
    let tid = t["team"]["id"].as_str().unwrap().to_owned();
    assert_eq!(t["team"]["default_role"], "none");
    c.post("/teams", team_body, User, 400).await;
    c.put(
        &format!("/teams/{tid}"),
        json!({"team": {"type": "team", "name": "Spec Team 2"}}),
        User,
        200,
    )
    .await;
    c.put(
        &format!("/teams/{tid}/users/{}", user.id),
        json!({"role": "responder"}),
        User,
        204,
    )
    .await;
    c.put(
        &format!("/teams/{tid}/users/PNOPE00"),
        json!({"role": "observer"}),
        User,
        404,
    )
    .await;
    let members = c.get(&format!("/teams/{tid}/members"), User, 200).await;
    assert_eq!(members["members"][0]["role"], "responder");
    c.delete(&format!("/teams/{tid}/users/{}", user.id), User, 204)
        .await;
    c.delete(&format!("/teams/{}", team.id), User, 400).await;
    c.delete(&format!("/teams/{tid}"), User, 204).await;

    let s = c.post("/services", service_body.clone(), User, 201).await;
    let sid = s["service"]["id"].as_str().unwrap().to_owned();
    assert_eq!(s["service"]["incident_urgency_rule"]["urgency"], "low");
    c.post("/services", service_body, User, 400).await;
    c.put(&format!("/services/{sid}"), json!({"service": {"type": "service", "status": "disabled", "escalation_policy": {"id": ep.id, "type": "escalation_policy_reference"}, "teams": [{"id": team.id, "type": "team_reference"}]}}), User, 200).await;

    c.get(
        "/webhook_subscriptions?filter_type=team&total=true",
        User,
        200,
    )
    .await;
    c.get("/webhook_subscriptions?filter_type=galaxy", User, 400)
        .await;
    let h = c
        .post("/webhook_subscriptions", hook_body.clone(), User, 200)
        .await;
    let hid = h["webhook_subscription"]["id"].as_str().unwrap().to_owned();
    assert!(h["webhook_subscription"]["delivery_method"]["secret"].is_string());
    let mut http_hook = hook_body;
    http_hook["webhook_subscription"]["delivery_method"]["url"] = json!("http://example.com/plain");
    c.post("/webhook_subscriptions", http_hook, User, 400).await;
    let got = c
        .get(&format!("/webhook_subscriptions/{hid}"), User, 200)
        .await;
    assert!(got["webhook_subscription"]["delivery_method"]["secret"].is_null());
    assert_eq!(
        got["webhook_subscription"]["delivery_method"]["custom_headers"][0]["value"],
        "-- redacted --"
    );
    c.put(&format!("/webhook_subscriptions/{hid}"), json!({"webhook_subscription": {"active": false, "events": ["incident.acknowledged"], "filter": {"type": "account_reference"}}}), User, 200).await;
    c.delete(&format!("/webhook_subscriptions/{hid}"), User, 204)
        .await;

    c.get("/extension_schemas?total=true", User, 200).await;
    c.get(&format!("/extension_schemas/{}", schema.id), User, 200)
        .await;

    c.get(
        "/incident_workflows?include[]=steps&include[]=team&query=incident",
        User,
        200,
    )
    .await;
    c.get("/incident_workflows?include[]=bogus", User, 400)
        .await;
    c.get(&format!("/incident_workflows/{}", workflow.id), User, 200)
        .await;
    c.post(
        &format!("/incident_workflows/{}/instances", workflow.id),
        start_body.clone(),
        User,
        201,
    )
    .await;
    c.post(
        &format!("/incident_workflows/{}/instances", disabled.id),
        start_body,
        User,
        400,
    )
    .await;
    c.post(
        &format!("/incident_workflows/{}/instances", workflow.id),
        json!({"incident_workflow_instance": {"incident": {"id": "QNOPE00"}}}),
        User,
        400,
    )
    .await;
}
