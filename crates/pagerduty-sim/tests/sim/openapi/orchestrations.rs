//! Samples for event orchestrations and status pages.

use http::Method;
use serde_json::json;

use super::*;

/// Event orchestrations and status pages.
pub(super) async fn orchestration_and_status_page_samples(
    c: &mut Checker,
    acct: &pagerduty_sim::Account,
) {
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
    let router = format!("/event_orchestrations/{}/router", eo.id);
    let posts = format!("/status_pages/{}/posts", sp.id);
    let reads = [
        "/event_orchestrations?sort_by=routes:desc&limit=1".to_string(),
        format!("/event_orchestrations/{}", eo.id),
        router.clone(),
        format!("/event_orchestrations/{}/global", eo.id),
        format!("/event_orchestrations/services/{}", svc.id),
        "/status_pages?status_page_type=public".to_string(),
        format!("/status_pages/{}/severities?post_type=incident", sp.id),
        format!("/status_pages/{}/impacts?post_type=maintenance", sp.id),
        format!("/status_pages/{}/statuses", sp.id),
        format!(
            "/status_pages/{}/posts/{}?include[]=status_page_post_update",
            sp.id, sp_post.id
        ),
        format!(
            "/status_pages/{}/posts/{}/post_updates?reviewed_status=approved",
            sp.id, sp_post.id
        ),
    ];
    for path in &reads {
        c.refusals(&get, path, None).await;
        c.get(path, User, 200).await;
    }
    let writes = [
        (put.clone(), router.clone(), router_body, 200),
        (post.clone(), posts.clone(), post_body.clone(), 201),
        (
            post.clone(),
            format!("/status_pages/{}/posts/{}/post_updates", sp.id, sp_post.id),
            json!({"post_update": update}),
            201,
        ),
    ];
    for (m, path, body, expect) in writes {
        c.refusals(&m, &path, Some(&body)).await;
        c.check(m, &path, Some(body), Account, expect).await;
    }
    // The router replace persists.
    let after = c.get(&router, User, 200).await;
    assert_eq!(
        after["orchestration_path"]["sets"][0]["rules"][0]["label"], "Spec rule",
        "{after}"
    );
    // Validation errors.
    let bad_router = json!({"orchestration_path": {"type": "router", "sets": [{"id": "first", "rules": []}], "catch_all": {"actions": {"route_to": "unrouted"}}}});
    c.put(&router, bad_router, User, 400).await;
    let bad_route = json!({"orchestration_path": {"type": "router", "sets": [{"id": "start", "rules": [{"conditions": [], "actions": {"route_to": "PNOSUCH"}}]}], "catch_all": {"actions": {"route_to": "unrouted"}}}});
    c.put(&router, bad_route, User, 400).await;
    c.get("/status_pages?status_page_type=secret", User, 400)
        .await;
    let other_page = &acct.status_pages[1];
    let mut foreign = post_body.clone();
    foreign["post"]["updates"][0]["severity"]["id"] =
        json!(opt(&other_page.severities, "incident"));
    c.post(&posts, foreign, User, 400).await;
    let mut backwards = post_body;
    backwards["post"]["ends_at"] = json!("2026-03-01T09:00:00Z");
    c.post(&posts, backwards, User, 400).await;
}
