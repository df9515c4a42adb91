//! Alert grouping settings: cursor paging, the full write cycle, and config validation.

use pagerduty_sim::store::AlertGroupingSetting;
use serde_json::json;

use crate::harness::{Harness, array, ids};

/// The account's alert grouping setting `id`, as the simulator holds it.
fn stored_setting(h: &Harness, id: &str) -> Option<AlertGroupingSetting> {
    h.sim
        .state()
        .with_account(|a| {
            a.alert_grouping_settings
                .iter()
                .find(|s| s.id == id)
                .cloned()
        })
        .flatten()
}

#[tokio::test]
async fn list_pages_with_the_after_cursor_and_get_matches() {
    let h = Harness::read_only().await;
    let seeded = h.sim.state().account().alert_grouping_settings;
    assert_eq!(seeded.len(), 3);
    let first = h
        .ok(
            "list_alert_grouping_settings",
            json!({"limit": 2, "total": true}),
        )
        .await;
    assert_eq!(ids(&first).len(), 2);
    assert_eq!(first["total"], 3);
    let after = first["after"]
        .as_str()
        .expect("a cursor to continue")
        .to_owned();
    let rest = h
        .ok("list_alert_grouping_settings", json!({"after": after}))
        .await;
    assert!(rest.get("after").is_none(), "end of the list: {rest}");
    let mut all = ids(&first);
    all.extend(ids(&rest));
    let want: Vec<String> = seeded.iter().map(|s| s.id.clone()).collect();
    assert_eq!(all, want);

    // By service: the pipeline's time-window setting only.
    let pipeline = h.sim.state().service_by_name("Data Pipeline").unwrap();
    let by_service = h
        .ok(
            "list_alert_grouping_settings",
            json!({"service_ids": [pipeline.id]}),
        )
        .await;
    assert_eq!(array(&by_service["items"]).len(), 1);
    assert_eq!(by_service["items"][0]["type"], "time");
    assert_eq!(by_service["items"][0]["config"]["timeout"], 600);

    let got = h
        .ok("get_alert_grouping_setting", json!({"setting_id": want[1]}))
        .await;
    assert_eq!(got["name"], seeded[1].name.clone().unwrap());
    assert_eq!(got["type"], "intelligent");
    assert_eq!(got["services"][0]["summary"], "Search");
    assert!(got.get("self").is_none());
}

#[tokio::test]
async fn create_update_delete_round_trip() {
    let h = Harness::with_writes().await;
    let auth = h.sim.state().service_by_name("Auth Service").unwrap();
    let created = h
        .ok(
            "create_alert_grouping_setting",
            json!({"create_model": {"alert_grouping_setting": {
                "name": "Auth bursts", "type": "time", "config": {"timeout": 300},
                "services": [{"id": auth.id}]
            }}}),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["config"]["timeout"], 300);
    let stored = stored_setting(&h, &id).expect("created in the account");
    assert_eq!(stored.kind, "time");
    assert_eq!(stored.service_ids, vec![auth.id.clone()]);

    // Replace with content-based grouping; a read-only field copied from get is ignored.
    let updated = h
        .ok(
            "update_alert_grouping_setting",
            json!({"setting_id": id, "update_model": {"alert_grouping_setting": {
                "name": "Auth by component", "type": "content_based",
                "config": {"aggregate": "any", "fields": ["component", "custom_details.host"], "time_window": 600, "recommended_time_window": 300},
                "services": [{"id": auth.id}]
            }}}),
        )
        .await;
    assert_eq!(updated["type"], "content_based");
    assert_eq!(
        stored_setting(&h, &id)
            .expect("still in the account")
            .config,
        json!({"aggregate": "any", "fields": ["component", "custom_details.host"], "time_window": 600})
    );

    let deleted = h
        .ok("delete_alert_grouping_setting", json!({"setting_id": id}))
        .await;
    assert_eq!(deleted["deleted"], id);
    assert!(
        stored_setting(&h, &id).is_none(),
        "{id} is still in the account"
    );
    h.err_says(
        "delete_alert_grouping_setting",
        json!({"setting_id": id}),
        &["not found (404)"],
    )
    .await;
}

#[tokio::test]
async fn config_is_checked_per_type_before_sending() {
    let h = Harness::with_writes().await;
    let auth = h.sim.state().service_by_name("Auth Service").unwrap();
    let setting = |kind: &str, config: serde_json::Value| json!({"create_model": {"alert_grouping_setting": {"type": kind, "config": config, "services": [{"id": auth.id}]}}});
    h.err_table(&[
        (
            "create_alert_grouping_setting",
            setting("time", json!({"timeout": 30})),
            &[
                "create_model.alert_grouping_setting.config.timeout",
                "60-86400",
            ],
        ),
        (
            "create_alert_grouping_setting",
            setting(
                "content_based",
                json!({"fields": ["summary"], "time_window": 600}),
            ),
            &["config.aggregate", "all or any"],
        ),
        (
            "create_alert_grouping_setting",
            setting("time", json!({"timeout": 600, "fields": ["summary"]})),
            &["does not apply to type time"],
        ),
    ])
    .await;
    let seeded = h.sim.state().account().alert_grouping_settings[1].clone();
    h.err_says(
        "update_alert_grouping_setting",
        json!({"setting_id": seeded.id, "update_model": {"alert_grouping_setting": {
                "type": "intelligent", "config": {"time_window": 5000}, "services": [{"id": seeded.service_ids[0]}]}}}),
        &["300-3600"],
    )
    .await;
    // The API's own rule: one setting per service.
    let checkout = h.sim.state().service_by_name("Checkout API").unwrap();
    h.err_says(
        "create_alert_grouping_setting",
        json!({"create_model": {"alert_grouping_setting": {"type": "time", "config": {"timeout": 600}, "services": [{"id": checkout.id}]}}}),
        &["already uses alert grouping setting"],
    )
    .await;
    assert_eq!(h.sim.state().account().alert_grouping_settings.len(), 3);
}
