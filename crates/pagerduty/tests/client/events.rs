//! The Events API v2 client against the simulator: no Authorization header, 202 decoded,
//! 400 in the Events error shape worded, 429/5xx retried for POST, 400 never.

use pagerduty::events::{
    ChangeEvent, ChangeEventPayload, Event, EventAction, EventPayload, Severity,
};
use pagerduty::{Client, Journal};
use pagerduty_sim::{FaultKind, FaultRule, Simulator};
use reqwest::Method;

use crate::{client, client_with, sim};

fn key(sim: &Simulator) -> String {
    sim.state().services()[0].integrations[0]
        .integration_key
        .clone()
}

fn trigger(routing_key: &str, dedup: &str) -> Event {
    Event {
        routing_key: routing_key.into(),
        event_action: EventAction::Trigger,
        dedup_key: Some(dedup.into()),
        payload: Some(EventPayload {
            summary: "Queue depth over 10k".into(),
            source: "mq-1".into(),
            severity: Severity::Error,
            timestamp: None,
            component: Some("rabbitmq".into()),
            group: None,
            class: None,
            custom_details: None,
        }),
        client: None,
        client_url: None,
        links: vec![],
        images: vec![],
    }
}

#[tokio::test]
async fn events_need_no_credential_and_open_incidents() {
    let sim = sim().await;
    // No REST credential at all: the Events API does not use one.
    let c: Client = client_with(&sim, None);
    let before = sim.state().incidents().len();
    let ok = c
        .send_event(&trigger(&key(&sim), "mq/depth"))
        .await
        .unwrap();
    assert_eq!(ok.status, "success");
    assert_eq!(ok.dedup_key.as_deref(), Some("mq/depth"));
    assert_eq!(sim.state().incidents().len(), before + 1);
    // The first request to `path`: its credential and `Accept` header.
    let sent_to = |path: &str| {
        let log = sim.requests();
        let rec = log.iter().find(|r| r.path == path).unwrap();
        (rec.credential, rec.accept.clone())
    };
    let (credential, accept) = sent_to("/v2/enqueue");
    assert_eq!(credential, pagerduty_sim::CredentialKind::None);
    // The Events API answers application/json only, so that is what it is asked for; REST
    // calls keep the versioned media type (the positive control).
    assert_eq!(accept.as_deref(), Some("application/json"));
    client(&sim).list_priorities().await.unwrap();
    let (_, accept) = sent_to("/priorities");
    assert_eq!(
        accept.as_deref(),
        Some("application/vnd.pagerduty+json;version=2")
    );

    let change = ChangeEvent {
        routing_key: key(&sim).into(),
        payload: ChangeEventPayload {
            summary: "Deploy mq v2".into(),
            source: None,
            timestamp: None,
            custom_details: None,
        },
        links: vec![],
        images: vec![],
    };
    assert_eq!(
        c.send_change_event(&change).await.unwrap().status,
        "success"
    );
}

#[tokio::test]
async fn rejected_events_are_worded_and_not_retried() {
    let sim = sim().await;
    let e = client(&sim)
        .send_event(&trigger(&"0".repeat(32), "x"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    let text = e.to_string();
    assert!(
        text.contains("trigger event")
            && text.contains("does not match any Events API v2 integration"),
        "{text}"
    );
    assert_eq!(sim.requests().count("POST", "/v2/enqueue"), 1);
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_retried() {
    for kind in [
        FaultKind::Status(503),
        FaultKind::RateLimited { reset_secs: 0 },
    ] {
        let sim = sim().await;
        sim.faults().add(
            FaultRule::new(kind.clone())
                .method(Method::POST)
                .path("/v2/enqueue")
                .times(2),
        );
        let ok = client(&sim)
            .send_event(&trigger(&key(&sim), "retry"))
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(ok.status, "success");
        assert_eq!(sim.requests().count("POST", "/v2/enqueue"), 3, "{kind:?}");
    }
}

#[tokio::test]
async fn dry_run_journal_masks_the_routing_key() {
    let sim = sim().await;
    let journal = Journal::dry_run();
    let c = client(&sim).with_journal(journal.clone());
    let k = key(&sim);
    let e = c.send_event(&trigger(&k, "dry")).await.unwrap_err();
    assert!(matches!(e, pagerduty::Error::DryRun));
    let entries = journal.entries();
    assert_eq!(entries.len(), 1);
    let shown = serde_json::to_string(&entries[0]).unwrap();
    assert!(!shown.contains(&k), "{shown}");
    assert!(!entries[0].headers.contains_key("Authorization"));
    assert_eq!(entries[0].path, "/v2/enqueue");
    assert_eq!(sim.requests().count("POST", "/v2/enqueue"), 0);
}
