//! Status page tools: reads checked against the simulator, creating posts and updates
//! (persisted), and bad input.

use serde_json::{Value, json};

use crate::harness::{Harness, array, ids, raw_ids, strs};

async fn pages(h: &Harness) -> Vec<Value> {
    h.raw("/status_pages").await["status_pages"]
        .as_array()
        .unwrap()
        .clone()
}

/// The id of the page's option of `kind` with this post type and description.
async fn option(h: &Harness, page: &str, kind: &str, post_type: &str, description: &str) -> String {
    let raw = h
        .raw(&format!(
            "/status_pages/{page}/{kind}?post_type={post_type}"
        ))
        .await;
    array(&raw[kind])
        .iter()
        .find(|o| o["description"] == description)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn status_pages_and_options() {
    let h = Harness::read_only().await;
    let raw = pages(&h).await;
    let all = h.ok("list_status_pages", json!({})).await;
    assert_eq!(
        ids(&all),
        raw.iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    );
    let public = h
        .ok(
            "list_status_pages",
            json!({"query_model": {"status_page_type": "public"}}),
        )
        .await;
    let items = array(&public["items"]);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status_page_type"], "public");
    assert_eq!(items[0]["name"], "Acme Store Status");
    let one = h
        .ok("list_status_pages", json!({"query_model": {"limit": 1}}))
        .await;
    assert_eq!(array(&one["items"]).len(), 1);
    assert_eq!(one["more"], true);

    let page = raw[0]["id"].as_str().unwrap();
    for (tool, key) in [
        ("list_status_page_severities", "severities"),
        ("list_status_page_impacts", "impacts"),
        ("list_status_page_statuses", "statuses"),
    ] {
        let got = h.ok(tool, json!({"status_page_id": page})).await;
        let want = h.raw(&format!("/status_pages/{page}/{key}")).await;
        assert_eq!(ids(&got), raw_ids(&want, key), "{tool}");
        let maint = h
            .ok(
                tool,
                json!({"status_page_id": page, "query_model": {"post_type": "maintenance"}}),
            )
            .await;
        let m = array(&maint["items"]);
        assert!(!m.is_empty() && m.len() < ids(&got).len(), "{tool}");
        assert!(m.iter().all(|o| o["post_type"] == "maintenance"), "{tool}");
    }
    let statuses = h
        .ok(
            "list_status_page_statuses",
            json!({"status_page_id": page, "query_model": {"post_type": "incident"}}),
        )
        .await;
    let names = strs(&statuses["items"], "description");
    assert_eq!(
        names,
        ["investigating", "identified", "monitoring", "resolved"]
    );
}

/// (page id, incident post id, maintenance post id) of the seeded page `i`.
fn seeded_posts(h: &Harness, i: usize) -> (String, String, String) {
    let acct = h.sim.state().account();
    let sp = &acct.status_pages[i];
    (
        sp.id.clone(),
        sp.posts[0].id.clone(),
        sp.posts[1].id.clone(),
    )
}

#[tokio::test]
async fn posts_and_updates_read() {
    let h = Harness::read_only().await;
    let (page, post, _) = seeded_posts(&h, 1);
    // Without include: updates are references only.
    let bare = h
        .ok(
            "get_status_page_post",
            json!({"status_page_id": page, "post_id": post, "query_model": {}}),
        )
        .await;
    let raw = h.raw(&format!("/status_pages/{page}/posts/{post}")).await["post"].clone();
    assert_eq!(bare["title"], raw["title"]);
    assert_eq!(bare["post_type"], "incident");
    assert_eq!(bare["linked_resource"]["id"], raw["linked_resource"]["id"]);
    assert_eq!(array(&bare["updates"]).len(), 3);
    assert!(bare["updates"][0].get("message").is_none());
    // With include: the updates in full, as the simulator has them.
    let full = h
        .ok("get_status_page_post", json!({"status_page_id": page, "post_id": post, "query_model": {"include": ["status_page_post_update"]}}))
        .await;
    let raw_full = h
        .raw(&format!(
            "/status_pages/{page}/posts/{post}?include[]=status_page_post_update"
        ))
        .await["post"]
        .clone();
    for (g, w) in array(&full["updates"])
        .iter()
        .zip(array(&raw_full["updates"]))
    {
        assert_eq!(g["message"], w["message"]);
        assert_eq!(g["status"]["id"], w["status"]["id"]);
        assert_eq!(
            g["impacted_services"][0]["impact"]["id"],
            w["impacted_services"][0]["impact"]["id"]
        );
    }

    let updates = h
        .ok(
            "list_status_page_post_updates",
            json!({"status_page_id": page, "post_id": post}),
        )
        .await;
    let raw_updates = h
        .raw(&format!("/status_pages/{page}/posts/{post}/post_updates"))
        .await;
    assert_eq!(ids(&updates), raw_ids(&raw_updates, "post_updates"));
    let pending = h
        .ok("list_status_page_post_updates", json!({"status_page_id": page, "post_id": post, "query_model": {"reviewed_status": "not_reviewed"}}))
        .await;
    let p = array(&pending["items"]);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["reviewed_status"], "not_reviewed");
    let two = h
        .ok(
            "list_status_page_post_updates",
            json!({"status_page_id": page, "post_id": post, "query_model": {"limit": 2}}),
        )
        .await;
    assert_eq!(array(&two["items"]).len(), 2);
    assert_eq!(two["more"], true);
}

#[tokio::test]
async fn status_page_reads_bad_input() {
    let h = Harness::read_only().await;
    let (page, post, _) = seeded_posts(&h, 0);
    for tool in [
        "list_status_page_severities",
        "list_status_page_impacts",
        "list_status_page_statuses",
    ] {
        let msg = h.err(tool, json!({"status_page_id": "PNOPAGE"})).await;
        assert!(
            msg.contains("PNOPAGE") && msg.contains("not found"),
            "{tool}: {msg}"
        );
        let msg = h
            .err(
                tool,
                json!({"status_page_id": page, "query_model": {"post_type": "outage"}}),
            )
            .await;
        assert!(
            msg.contains("incident") && msg.contains("maintenance"),
            "{tool}: {msg}"
        );
    }
    // query_model is required, as in the official server.
    h.err_table(&[
        (
            "get_status_page_post",
            json!({"status_page_id": page, "post_id": post}),
            &["query_model"],
        ),
        (
            "get_status_page_post",
            json!({"status_page_id": page, "post_id": "PNOPOST", "query_model": {}}),
            &["PNOPOST", "not found"],
        ),
        (
            "list_status_page_post_updates",
            json!({"status_page_id": page, "post_id": post, "query_model": {"reviewed_status": "maybe"}}),
            &["not_reviewed"],
        ),
    ])
    .await;
}

#[tokio::test]
async fn create_post_and_update() {
    let h = Harness::with_writes().await;
    let (page, _, _) = seeded_posts(&h, 0);
    let svc = h.sim.state().account().status_pages[0].service_ids[0].clone();
    let investigating = option(&h, &page, "statuses", "incident", "investigating").await;
    let monitoring = option(&h, &page, "statuses", "incident", "monitoring").await;
    let major = option(&h, &page, "severities", "incident", "major").await;
    let minor = option(&h, &page, "severities", "incident", "minor").await;
    let outage = option(&h, &page, "impacts", "incident", "partial outage").await;
    let degraded = option(&h, &page, "impacts", "incident", "degraded performance").await;

    let created = h
        .ok(
            "create_status_page_post",
            json!({"status_page_id": page, "create_model": {"post": {
                "title": "Checkout errors",
                "post_type": "incident",
                "starts_at": "2026-03-01T10:00:00Z",
                "ends_at": "2026-03-01T14:00:00Z",
                "status_page": {"id": page},
                "updates": [{
                    "message": "We are looking into failed checkouts.",
                    "status": {"id": investigating},
                    "severity": {"id": major},
                    "impacted_services": [{"service": {"id": svc}, "impact": {"id": outage}}],
                    "notify_subscribers": true,
                }],
            }}}),
        )
        .await;
    let post = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["title"], "Checkout errors");
    assert_eq!(created["starts_at"], "2026-03-01T10:00:00Z");
    let stored = h
        .raw(&format!(
            "/status_pages/{page}/posts/{post}?include[]=status_page_post_update"
        ))
        .await["post"]
        .clone();
    assert_eq!(stored["title"], "Checkout errors");
    assert_eq!(
        stored["updates"][0]["message"],
        "We are looking into failed checkouts."
    );
    assert_eq!(stored["updates"][0]["severity"]["id"], major.as_str());
    assert_eq!(stored["updates"][0]["notify_subscribers"], true);

    let update = h
        .ok(
            "create_status_page_post_update",
            json!({"status_page_id": page, "post_id": post, "create_model": {"post_update": {
                "message": "A fix is deployed; we are watching error rates.",
                "status": {"id": monitoring},
                "severity": {"id": minor},
                "impacted_services": [{"service": {"id": svc}, "impact": {"id": degraded}}],
                "update_frequency_ms": 900000,
            }}}),
        )
        .await;
    assert_eq!(update["status"]["id"], monitoring.as_str());
    let list = h
        .raw(&format!("/status_pages/{page}/posts/{post}/post_updates"))
        .await;
    let updates = array(&list["post_updates"]);
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[1]["id"], update["id"]);
    assert_eq!(updates[1]["update_frequency_ms"], 900000);
    assert_eq!(updates[1]["notify_subscribers"], false);
}

#[tokio::test]
async fn create_post_bad_input() {
    let h = Harness::with_writes().await;
    let (page, _, maint_post) = seeded_posts(&h, 0);
    let (other, _, _) = seeded_posts(&h, 1);
    let investigating = option(&h, &page, "statuses", "incident", "investigating").await;
    let major = option(&h, &page, "severities", "incident", "major").await;
    let foreign_major = option(&h, &other, "severities", "incident", "major").await;
    let monitoring = option(&h, &page, "statuses", "incident", "monitoring").await;
    let minor = option(&h, &page, "severities", "incident", "minor").await;
    let post = |starts: &str, ends: &str, severity: &str| {
        json!({"status_page_id": page, "create_model": {"post": {
            "title": "Bad", "post_type": "incident", "starts_at": starts, "ends_at": ends,
            "status_page": {"id": page},
            "updates": [{"message": "m", "status": {"id": investigating}, "severity": {"id": severity}}],
        }}})
    };
    let before = h.sim.state().account().status_pages[0].posts.len();
    h.err_table(&[
        (
            "create_status_page_post",
            post("2026-03-01T12:00:00Z", "2026-03-01T10:00:00Z", &major),
            &["create_model.post.ends_at", "after starts_at"],
        ),
        // A severity of another page: the simulator refuses it, as PagerDuty does.
        (
            "create_status_page_post",
            post(
                "2026-03-01T10:00:00Z",
                "2026-03-01T12:00:00Z",
                &foreign_major,
            ),
            &[&foreign_major, "does not belong"],
        ),
        // An incident status on a maintenance post is refused by PagerDuty.
        (
            "create_status_page_post_update",
            json!({"status_page_id": page, "post_id": maint_post, "create_model": {"post_update": {
                "message": "x", "status": {"id": monitoring}, "severity": {"id": minor},
            }}}),
            &["maintenance"],
        ),
    ])
    .await;
    let mut wrong_page = post("2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z", &major);
    wrong_page["create_model"]["post"]["status_page"]["id"] = json!(other);
    h.err_says("create_status_page_post", wrong_page, &["status_page.id"])
        .await;
    assert_eq!(h.sim.state().account().status_pages[0].posts.len(), before);
}
