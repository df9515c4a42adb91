//! How a person is paged: rules per urgency resolved to contact methods, handoff notices, and
//! addresses masked under `--redact`.

use serde_json::json;

use crate::harness::{Harness, array, strs};

#[tokio::test]
async fn rules_resolve_to_contact_methods_in_order() {
    let h = Harness::read_only().await;
    let samuel = h
        .ok("list_notification_rules", json!({"user": "Samuel Okafor"}))
        .await;
    assert_eq!(samuel["user"]["name"], "Samuel Okafor");
    assert_eq!(
        samuel["high_urgency"],
        json!([
            {"after_minutes": 0, "via": "sms", "label": "Mobile SMS", "address": "+1 5550177342"},
            {"after_minutes": 3, "via": "phone", "label": "Mobile", "address": "+1 5550101259"},
            {"after_minutes": 10, "via": "email", "label": "Default", "address": "samuel.okafor@example.com"},
        ])
    );
    assert_eq!(
        samuel["low_urgency"],
        json!([{"after_minutes": 0, "via": "email", "label": "Default", "address": "samuel.okafor@example.com"}])
    );
    assert_eq!(
        samuel["handoff"],
        json!([{"when": "both", "minutes_before": 60, "via": "sms", "label": "Mobile SMS", "address": "+1 5550177342"}])
    );
    // Without a user: the caller (Morgan Lee), email then a call after 5 minutes, no handoff.
    let me = h.ok("list_notification_rules", json!({})).await;
    assert_eq!(me["user"]["name"], "Morgan Lee");
    let steps: Vec<(u64, &str)> = array(&me["high_urgency"])
        .iter()
        .map(|s| {
            (
                s["after_minutes"].as_u64().unwrap(),
                s["via"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, [(0, "email"), (5, "phone")]);
    assert!(me.get("handoff").is_none(), "{me}");
    // Both urgencies were asked for (PagerDuty answers high only by default).
    let asked = h.sim.requests();
    assert!(
        asked.iter().any(|r| r.path.ends_with("/notification_rules")
            && r.query.as_deref() == Some("urgency=all")),
        "{asked:?}"
    );
}

#[tokio::test]
async fn addresses_are_masked_under_redact() {
    let h = Harness::with_args(&["--redact"]).await;
    let samuel = h
        .ok(
            "list_notification_rules",
            json!({"user": "samuel.okafor@example.com"}),
        )
        .await;
    let addresses = strs(&samuel["high_urgency"], "address");
    assert_eq!(
        addresses,
        ["[phone redacted]", "[phone redacted]", "[email redacted]"]
    );
    assert_eq!(samuel["high_urgency"][0]["via"], "sms");
}
