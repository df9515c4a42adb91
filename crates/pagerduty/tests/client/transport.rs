//! Headers, credentials, retries and failures, proven with the simulator's fault injection.

use std::time::{Duration, Instant};

use http::Method;
use pagerduty::Credential;
use pagerduty::api::incidents::NewIncident;
use pagerduty::ids::{IncidentId, ServiceId};
use pagerduty_sim::faults::{CredentialKind, FaultKind, FaultRule};
use pagerduty_sim::tokens;

use crate::{client, client_with, sim};

fn new_incident(service: &str) -> NewIncident {
    NewIncident {
        title: "Disk full on db-7".into(),
        service_id: ServiceId::new(service).unwrap(),
        urgency: None,
        details: None,
        assignee_ids: vec![],
        escalation_policy_id: None,
        priority_id: None,
        incident_key: None,
    }
}

fn a_service(sim: &pagerduty_sim::Simulator) -> String {
    sim.state().services()[0].id.clone()
}

#[tokio::test]
async fn sends_pagerduty_headers_and_makes_no_request_at_build() {
    let sim = sim().await;
    let c = client(&sim);
    assert!(
        sim.requests().is_empty(),
        "building the client makes no request"
    );
    c.current_user().await.unwrap();
    c.current_user().await.unwrap();
    let log = sim.requests();
    assert_eq!(
        log.count("GET", "/users/me"),
        1,
        "the current user is cached"
    );
    let r = log.last().unwrap();
    assert_eq!(
        r.accept.as_deref(),
        Some("application/vnd.pagerduty+json;version=2")
    );
    assert_eq!(
        r.user_agent.as_deref(),
        Some(concat!("pagerduty-mcp/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(r.credential, CredentialKind::User);
}

#[tokio::test]
async fn oauth_tokens_are_sent_as_bearer() {
    let sim = sim().await;
    let c = client_with(&sim, Some(Credential::oauth(tokens::OAUTH_TOKEN)));
    let me = c.current_user().await.unwrap();
    assert_eq!(me.email, tokens::DEMO_USER_EMAIL);
    assert_eq!(
        sim.requests().last().unwrap().credential,
        CredentialKind::Oauth
    );
}

#[tokio::test]
async fn account_key_sends_from_on_attributed_writes_only() {
    let sim = sim().await;
    let c = client_with(
        &sim,
        Some(Credential::account_key(
            tokens::ACCOUNT_KEY,
            Some(tokens::DEMO_USER_EMAIL.into()),
        )),
    );
    let service = a_service(&sim);
    c.create_incident(&new_incident(&service)).await.unwrap();
    let log = sim.requests();
    let post = log.iter().find(|r| r.method == "POST").unwrap();
    assert!(post.from_present);
    assert_eq!(post.credential, CredentialKind::Account);

    // Without an actor email, the write is refused locally: nothing is sent.
    let c = client_with(
        &sim,
        Some(Credential::account_key(tokens::ACCOUNT_KEY, None)),
    );
    sim.clear_requests();
    let e = c
        .create_incident(&new_incident(&service))
        .await
        .unwrap_err();
    assert!(matches!(e, pagerduty::Error::MissingFrom), "{e}");
    assert!(e.to_string().contains("PAGERDUTY_FROM_EMAIL"));
    assert!(sim.requests().is_empty());
    // An account key has no user of its own: "me" is the From user, when there is one.
    assert!(matches!(
        c.current_user().await.unwrap_err(),
        pagerduty::Error::MissingFrom
    ));
    let with_from = client_with(
        &sim,
        Some(Credential::account_key(
            tokens::ACCOUNT_KEY,
            Some(tokens::DEMO_USER_EMAIL.into()),
        )),
    );
    assert_eq!(
        with_from.current_user().await.unwrap().email,
        tokens::DEMO_USER_EMAIL
    );
    // Given as a user token, PagerDuty answers /users/me with a 400.
    let as_user = client_with(&sim, Some(Credential::user_token(tokens::ACCOUNT_KEY)));
    assert_eq!(
        as_user.current_user().await.unwrap_err().status(),
        Some(400)
    );
}

#[tokio::test]
async fn missing_credential_sends_nothing() {
    let sim = sim().await;
    let c = client_with(&sim, None);
    let e = c.current_user().await.unwrap_err();
    assert!(
        e.to_string()
            .starts_with("An API key is required to call the PagerDuty API")
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn errors_are_actionable() {
    let sim = sim().await;
    let bad = client_with(&sim, Some(Credential::user_token("not-a-token")));
    let e = bad.current_user().await.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(e.to_string().contains("other region (US/EU)"));
    assert!(!e.to_string().contains("not-a-token"));

    let c = client(&sim);
    let e = c
        .get_incident(&IncidentId::new("PNOPE42").unwrap(), &[])
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(
        e.to_string().starts_with("Incident PNOPE42 was not found"),
        "{e}"
    );

    let e = c
        .create_incident(&NewIncident {
            title: String::new(),
            ..new_incident(&a_service(&sim))
        })
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(e.to_string().contains("rejected"), "{e}");
}

#[tokio::test]
async fn rate_limits_are_retried_after_the_reset() {
    let sim = sim().await;
    sim.faults().add(
        FaultRule::new(FaultKind::RateLimited { reset_secs: 1 })
            .path("/users/me")
            .times(2),
    );
    let c = client(&sim);
    let start = Instant::now();
    c.current_user().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "honoured ratelimit-reset twice"
    );
    assert_eq!(sim.requests().count("GET", "/users/me"), 3);
}

#[tokio::test]
async fn a_long_rate_limit_reset_is_reported_not_waited() {
    let sim = sim().await;
    sim.faults()
        .add(FaultRule::new(FaultKind::RateLimited { reset_secs: 50 }).path("/users/me"));
    let e = client(&sim).current_user().await.unwrap_err();
    assert_eq!(e.status(), Some(429));
    assert!(e.to_string().contains("wait 50 s"), "{e}");
}

#[tokio::test]
async fn reads_retry_server_errors_drops_and_bad_json() {
    let sim = sim().await;
    let c = client(&sim);
    for kind in [
        FaultKind::Status(503),
        FaultKind::Status(500),
        FaultKind::Drop,
        FaultKind::MalformedJson,
        FaultKind::Truncated,
    ] {
        sim.clear_requests();
        sim.faults().add(
            FaultRule::new(kind.clone())
                .method(Method::GET)
                .path("/services")
                .times(2),
        );
        let page = c
            .list_services(
                &Default::default(),
                pagerduty::Window {
                    offset: 0,
                    limit: 3,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(page.items.len(), 3);
        assert_eq!(
            sim.requests().count_prefix("GET", "/services"),
            3,
            "{kind:?}"
        );
    }
    // A persistent failure ends in a clear error after a bounded number of tries.
    sim.clear_requests();
    sim.faults().add(
        FaultRule::new(FaultKind::Status(502))
            .path("/services")
            .always(),
    );
    let e = c
        .list_services(
            &Default::default(),
            pagerduty::Window {
                offset: 0,
                limit: 3,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(502));
    assert!(e.to_string().contains("on PagerDuty's side"), "{e}");
    assert_eq!(sim.requests().count_prefix("GET", "/services"), 4);
}

#[tokio::test]
async fn writes_are_never_sent_twice() {
    let sim = sim().await;
    let c = client(&sim);
    let service = a_service(&sim);
    for kind in [
        FaultKind::Status(500),
        FaultKind::Drop,
        FaultKind::Truncated,
    ] {
        sim.clear_requests();
        sim.faults().add(
            FaultRule::new(kind.clone())
                .method(Method::POST)
                .path("/incidents"),
        );
        let e = c
            .create_incident(&new_incident(&service))
            .await
            .unwrap_err();
        assert_eq!(
            sim.requests().count("POST", "/incidents"),
            1,
            "{kind:?} retried a POST: {e}"
        );
    }
    // A 429 means PagerDuty refused the request before doing anything: retrying is safe.
    sim.clear_requests();
    sim.faults().add(
        FaultRule::new(FaultKind::RateLimited { reset_secs: 0 })
            .method(Method::POST)
            .path("/incidents"),
    );
    c.create_incident(&new_incident(&service)).await.unwrap();
    assert_eq!(sim.requests().count("POST", "/incidents"), 2);
}

#[tokio::test]
async fn slow_answers_time_out_with_a_clear_error() {
    let sim = sim().await;
    sim.faults().add(
        FaultRule::new(FaultKind::Delay(Duration::from_secs(5)))
            .path("/users/me")
            .always(),
    );
    let c = client(&sim);
    let start = Instant::now();
    let e = c.current_user().await.unwrap_err();
    assert!(e.to_string().contains("timed out"), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "bounded: {:?}",
        start.elapsed()
    );
}
