//! Incident intelligence: past, related and outlier incidents derived from the account's
//! own history.

use serde_json::json;

use crate::harness::{Harness, array, newest_incident, strs};

#[tokio::test]
async fn past_incidents_are_similar_and_on_the_same_service() {
    let h = Harness::read_only().await;
    let account = h.sim.state().account();
    let inc = newest_incident(&h.sim, |i| i.status == "resolved");
    let got = h
        .ok(
            "get_past_incidents",
            json!({"incident_id": inc.id, "query_model": {"limit": 3, "total": true}}),
        )
        .await;
    let past = array(&got["past_incidents"]);
    assert!(!past.is_empty() && past.len() <= 3);
    // Ground truth: earlier incidents on the same service with the same title exist.
    let same_title = account
        .incidents
        .iter()
        .filter(|i| {
            i.service_id == inc.service_id && i.title == inc.title && i.created_at < inc.created_at
        })
        .count();
    assert!(got["total"].as_u64().unwrap() >= same_title as u64);
    for p in past {
        let id = p["incident"]["id"].as_str().unwrap();
        let other = account.incidents.iter().find(|i| i.id == id).unwrap();
        assert_eq!(other.service_id, inc.service_id);
        assert!(other.created_at < inc.created_at);
        assert!(p["score"].as_f64().unwrap() > 0.0);
    }
    if same_title > 0 {
        assert_eq!(past[0]["incident"]["title"], inc.title.as_str());
        assert_eq!(past[0]["score"], 100.0);
    }
    let scores: Vec<f64> = past.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[tokio::test]
async fn related_incidents_share_a_dependency_or_content() {
    let h = Harness::read_only().await;
    let account = h.sim.state().account();
    // Find an incident the simulator relates to another (close in time).
    let mut found = None;
    for inc in account.incidents.iter().rev().take(120) {
        let raw = h
            .raw(&format!("/incidents/{}/related_incidents", inc.id))
            .await;
        if !array(&raw["related_incidents"]).is_empty() {
            found = Some((inc.clone(), raw));
            break;
        }
    }
    let (inc, raw) = found.expect("some incident has related incidents");
    let got = h
        .ok(
            "get_related_incidents",
            json!({"incident_id": inc.id, "query_model": {"additional_details": ["incident"]}}),
        )
        .await;
    let related = array(&got["related_incidents"]);
    assert_eq!(related.len(), array(&raw["related_incidents"]).len());
    for r in related {
        let other = account
            .incidents
            .iter()
            .find(|i| i.id == r["incident"]["id"].as_str().unwrap())
            .unwrap();
        assert!(
            other
                .created_at
                .duration_since(inc.created_at)
                .abs()
                .as_hours()
                <= 2
        );
        // With additional_details the full incident comes back (status, service).
        assert_eq!(r["incident"]["status"], other.status.as_str());
        assert_eq!(r["incident"]["service"]["id"], other.service_id.as_str());
        let kinds = strs(&r["relationships"], "type");
        assert!(!kinds.is_empty());
        if kinds.contains(&"service_dependency") {
            let linked = account.service_dependencies.iter().any(|d| {
                (d.dependent.1 == inc.service_id && d.supporting.1 == other.service_id)
                    || (d.supporting.1 == inc.service_id && d.dependent.1 == other.service_id)
            }) || account.service_dependencies.iter().any(|d| {
                d.supporting.1 == other.service_id
                    && account
                        .service_dependencies
                        .iter()
                        .any(|e| e.supporting.1 == inc.service_id && e.dependent == d.dependent)
            });
            assert!(linked, "{r}");
        }
    }
}

#[tokio::test]
async fn outlier_incident_counts_its_kind_on_the_service() {
    let h = Harness::read_only().await;
    let account = h.sim.state().account();
    let inc = account.incidents.last().unwrap();
    let since = inc.created_at - jiff::SignedDuration::from_hours(24 * 30);
    let got = h
        .ok(
            "get_outlier_incident",
            json!({"incident_id": inc.id, "query_model": {"since": since.to_string()}}),
        )
        .await;
    let same_kind = account
        .incidents
        .iter()
        .filter(|i| {
            i.service_id == inc.service_id
                && i.title == inc.title
                && i.created_at >= since
                && i.created_at <= inc.created_at
        })
        .count();
    let on_service = account
        .incidents
        .iter()
        .filter(|i| {
            i.service_id == inc.service_id
                && i.created_at >= since
                && i.created_at <= inc.created_at
        })
        .count();
    let occ = &got["incident"]["occurrence"];
    assert_eq!(occ["count"], same_kind);
    let freq = (same_kind as f64 / on_service as f64 * 100.0).round() / 100.0;
    assert_eq!(occ["frequency"].as_f64().unwrap(), freq);
    assert_eq!(got["incident"]["id"], inc.id.as_str());
    assert!(got["incident_template"]["mined_text"].as_str().is_some());

    h.err_says(
        "get_outlier_incident",
        json!({"incident_id": inc.id, "query_model": {"since": "last week"}}),
        &["query_model.since"],
    )
    .await;
}
