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
        let missing = t
            .contains("{id}")
            .then(|| t.replace("{user_id}", &user.id).replace("{id}", "PNOPE00"));
        c.refusals(m, t, pq, body.as_ref(), missing.as_deref())
            .await;
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
        .get(
            "/teams/{id}/members",
            &format!("/teams/{tid}/members"),
            User,
            200,
        )
        .await;
    assert_eq!(members["members"][0]["role"], "responder");
    c.delete(
        "/teams/{id}/users/{user_id}",
        &format!("/teams/{tid}/users/{}", user.id),
        User,
        204,
    )
    .await;
    c.delete("/teams/{id}", &format!("/teams/{}", team.id), User, 400)
        .await;
    c.delete("/teams/{id}", &format!("/teams/{tid}"), User, 204)
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

    c.get(
        "/webhook_subscriptions",
        "/webhook_subscriptions?filter_type=team&total=true",
        User,
        200,
    )
    .await;
    c.get(
        "/webhook_subscriptions",
        "/webhook_subscriptions?filter_type=galaxy",
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
        .get(
            "/webhook_subscriptions/{id}",
            &format!("/webhook_subscriptions/{hid}"),
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
    c.delete(
        "/webhook_subscriptions/{id}",
        &format!("/webhook_subscriptions/{hid}"),
        User,
        204,
    )
    .await;

    c.get(
        "/extension_schemas",
        "/extension_schemas?total=true",
        User,
        200,
    )
    .await;
    c.get(
        "/extension_schemas/{id}",
        &format!("/extension_schemas/{}", schema.id),
        User,
        200,
    )
    .await;

    c.get(
        "/incident_workflows",
        "/incident_workflows?include[]=steps&include[]=team&query=incident",
        User,
        200,
    )
    .await;
    c.get(
        "/incident_workflows",
        "/incident_workflows?include[]=bogus",
        User,
        400,
    )
    .await;
    c.get(
        "/incident_workflows/{id}",
        &format!("/incident_workflows/{}", workflow.id),
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
