//! Webhook subscription tools; header values and the secret must not leak.

use serde_json::json;

use crate::harness::{Harness, array, text};

#[tokio::test]
async fn webhook_subscriptions_list_and_get() {
    let h = Harness::read_only().await;
    let raw = h.raw_list("/webhook_subscriptions?limit=100").await;
    let all = h.ok("list_webhook_subscriptions", json!({})).await;
    for w in array(&all["items"]) {
        assert!(w["delivery_method"].get("secret").is_none(), "{w}");
        for hd in w["delivery_method"]["custom_headers"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(hd.get("value").is_none(), "{w}");
        }
    }

    let (teams, _) = h
        .list_matches(
            "list_webhook_subscriptions",
            json!({"filter_type": "team"}),
            "/webhook_subscriptions?filter_type=team",
        )
        .await;
    for w in array(&teams["items"]) {
        assert_eq!(w["filter"]["type"], "team_reference");
    }

    let first = &raw[0];
    let one = h
        .ok(
            "get_webhook_subscription",
            json!({"subscription_id": first["id"]}),
        )
        .await;
    for at in ["/delivery_method/url", "/events", "/filter/type"] {
        let listed = first
            .pointer(at)
            .unwrap_or_else(|| panic!("no {at} in {first}"));
        assert_eq!(one.pointer(at), Some(listed), "{at}");
    }
}

#[tokio::test]
async fn webhook_subscription_lifecycle() {
    let h = Harness::with_writes().await;
    let svc = h.raw("/services?limit=1").await["services"][0]["id"].clone();
    let created = h
        .ok(
            "create_webhook_subscription",
            json!({"webhook_data": {
                "delivery_method": {"url": "https://hooks.example.com/pd", "custom_headers": [{"name": "X-Token", "value": "t0p-s3cret"}]},
                "events": ["incident.triggered", "incident.resolved", "incident.triggered"],
                "filter": {"type": "service_reference", "id": svc},
                "description": "Ops bridge"
            }}),
        )
        .await;
    let wid = created["id"].as_str().unwrap().to_owned();
    // The secret is shown once; the header value never.
    assert!(created["delivery_method"]["secret"].as_str().unwrap().len() > 10);
    assert_eq!(
        created["delivery_method"]["custom_headers"][0]["name"],
        "X-Token"
    );
    assert!(!created.to_string().contains("t0p-s3cret"));
    assert_eq!(
        created["events"],
        json!(["incident.triggered", "incident.resolved"])
    );
    assert_eq!(created["active"], true);

    let raw = h.raw_one(&format!("/webhook_subscriptions/{wid}")).await;
    assert_eq!(raw["filter"]["id"], svc);
    assert_eq!(
        raw["delivery_method"]["url"],
        "https://hooks.example.com/pd"
    );
    let got = h
        .call("get_webhook_subscription", json!({"subscription_id": wid}))
        .await;
    let got_text = text(&got);
    assert!(
        !got_text.contains("secret") && !got_text.contains("t0p-s3cret"),
        "{got_text}"
    );

    let updated = h
        .ok(
            "update_webhook_subscription",
            json!({"subscription_id": wid, "webhook_data": {"active": false, "events": ["incident.acknowledged"], "filter": {"type": "account_reference"}}}),
        )
        .await;
    assert_eq!(updated["active"], false);
    assert!(updated["delivery_method"].get("secret").is_none());
    let raw = h.raw_one(&format!("/webhook_subscriptions/{wid}")).await;
    assert_eq!(raw["events"], json!(["incident.acknowledged"]));
    assert_eq!(raw["filter"]["type"], "account_reference");
    assert_eq!(raw["active"], false);
    assert_eq!(raw["description"], "Ops bridge");

    h.done(
        "delete_webhook_subscription",
        json!({"subscription_id": wid}),
    )
    .await;
    assert_eq!(
        h.status(&format!("/webhook_subscriptions/{wid}")).await,
        404
    );
}

#[tokio::test]
async fn webhook_writes_bad_input() {
    let h = Harness::with_writes().await;
    let before = h.raw("/webhook_subscriptions").await["webhook_subscriptions"]
        .as_array()
        .unwrap()
        .len();
    let data = |url: &str, events: serde_json::Value, filter: serde_json::Value| json!({"webhook_data": {"delivery_method": {"url": url}, "events": events, "filter": filter}});
    let acct = json!({"type": "account_reference"});
    h.err_table(&[
        (
            "create_webhook_subscription",
            data(
                "http://hooks.example.com/pd",
                json!(["incident.triggered"]),
                acct.clone(),
            ),
            &["`webhook_data.delivery_method.url`", "https"],
        ),
        (
            "create_webhook_subscription",
            data(
                "https://hooks.example.com/pd",
                json!(["incident.exploded"]),
                acct.clone(),
            ),
            &["incident.exploded", "incident.triggered"],
        ),
        (
            "create_webhook_subscription",
            data("https://hooks.example.com/pd", json!([]), acct.clone()),
            &["`webhook_data.events`"],
        ),
        (
            "create_webhook_subscription",
            data(
                "https://hooks.example.com/pd",
                json!(["incident.triggered"]),
                json!({"type": "team_reference"}),
            ),
            &["`webhook_data.filter.id`"],
        ),
        (
            "create_webhook_subscription",
            data(
                "https://hooks.example.com/pd",
                json!(["incident.triggered"]),
                json!({"type": "team_reference", "id": "PNOPE00"}),
            ),
            &["Team PNOPE00 not found"],
        ),
    ])
    .await;
    let after = h.raw("/webhook_subscriptions").await["webhook_subscriptions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);
    h.err_table(&[
        (
            "update_webhook_subscription",
            json!({"subscription_id": "PNOPE00", "webhook_data": {"active": true}}),
            &["was not found"],
        ),
        (
            "delete_webhook_subscription",
            json!({"subscription_id": "a b"}),
            &["not a valid webhook subscription id"],
        ),
    ])
    .await;
}
