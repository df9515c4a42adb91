//! Headers, credentials, retries and failures, proven with the simulator's fault injection.

use std::time::{Duration, Instant};

use http::Method;
use pagerduty::Credential;
use pagerduty::api::incidents::{IncidentQuery, NewIncident};
use pagerduty::api::services::ServiceQuery;
use pagerduty::ids::{IncidentId, ServiceId};
use pagerduty_sim::faults::{CredentialKind, FaultKind, FaultRule};
use pagerduty_sim::tokens;

use crate::{client, client_with, first, sim};

/// The demo user's client with a call budget of `budget`.
fn client_budget(sim: &pagerduty_sim::Simulator, budget: Duration) -> pagerduty::Client {
    pagerduty::Client::builder(pagerduty::ApiHost::parse(&sim.base_url(), false).unwrap())
        .credential(Some(Credential::user_token(tokens::DEMO_USER_TOKEN)))
        .timeout(budget)
        .max_response_bytes(1 << 20)
        .build()
}

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
    assert!(e.to_string().contains("email of the user to act as"), "{e}");
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
    assert!(matches!(e, pagerduty::Error::MissingCredential), "{e}");
    // In the library's terms: which variable holds the token is the application's business.
    assert!(
        e.to_string().contains("build the client with a credential")
            && !e.to_string().contains("PAGERDUTY_"),
        "{e}"
    );
    assert!(sim.requests().is_empty());
}

/// Errors keep their causes: the JSON or HTTP error is the `source()`, not a string.
#[tokio::test]
async fn failures_keep_their_cause() {
    use std::error::Error as _;
    let sim = sim().await;
    let c = client(&sim);
    sim.faults().add(
        FaultRule::new(FaultKind::MalformedJson)
            .path("/users/me")
            .always(),
    );
    let e = c.current_user().await.unwrap_err();
    assert!(matches!(e, pagerduty::Error::Decode { .. }), "{e}");
    let cause = e.source().expect("a decoding error has a cause");
    assert!(cause.is::<serde_json::Error>(), "{cause}");

    sim.faults().clear();
    sim.faults()
        .add(FaultRule::new(FaultKind::Drop).path("/users/me").always());
    let e = client(&sim).current_user().await.unwrap_err();
    assert!(matches!(e, pagerduty::Error::Transport { .. }), "{e}");
    let cause = e.source().expect("a transport error has a cause");
    assert!(cause.is::<reqwest::Error>(), "{cause}");
    // The URL (whose query may hold user data) is not part of it.
    assert!(!cause.to_string().contains("/users/me"), "{cause}");

    // Positive control: without the fault the same call succeeds.
    sim.faults().clear();
    client(&sim).current_user().await.unwrap();
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

/// Rate-limit tests run on tokio's paused clock: waits are measured, not sat through (the
/// clock jumps to the next timer whenever every task is idle).
#[tokio::test(start_paused = true)]
async fn rate_limits_are_retried_after_the_reset() {
    let sim = sim().await;
    let fault = FaultRule::new(FaultKind::RateLimited { reset_secs: 1 }).times(2);
    // Honoured ratelimit-reset twice.
    waits_out(&sim, fault, Duration::from_secs(2), 3).await;
}

/// `fault` on `/users/me` is waited out: the current user is read after at least `wait`,
/// in `requests` requests.
async fn waits_out(
    sim: &pagerduty_sim::Simulator,
    fault: FaultRule,
    wait: Duration,
    requests: usize,
) {
    sim.faults().add(fault.path("/users/me"));
    let c = client_budget(sim, Duration::from_secs(10));
    let start = tokio::time::Instant::now();
    c.current_user().await.unwrap();
    assert!(start.elapsed() >= wait, "waited {:?}", start.elapsed());
    assert_eq!(sim.requests().count("GET", "/users/me"), requests);
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
            .list(&ServiceQuery::default(), first(3))
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
        .list(&ServiceQuery::default(), first(3))
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
    let c = client_budget(&sim, Duration::from_secs(2));
    let start = Instant::now();
    let e = c.current_user().await.unwrap_err();
    assert!(e.to_string().contains("timed out"), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "bounded: {:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_and_a_longer_wait_than_the_budget_is_reported_at_once() {
    let sim = sim().await;
    let fault = FaultRule::new(FaultKind::RetryAfter("1".into()));
    waits_out(&sim, fault, Duration::from_secs(1), 2).await;

    // 999999 s is far past the 10 s budget: no retry, an error naming the wait, at once.
    sim.clear_requests();
    sim.faults()
        .add(FaultRule::new(FaultKind::RetryAfter("999999".into())).path("/users/me"));
    let c = client_budget(&sim, Duration::from_secs(10));
    let start = tokio::time::Instant::now();
    let e = c.current_user().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(e.status(), Some(429));
    assert!(e.to_string().contains("wait 999999 s"), "{e}");
    assert_eq!(sim.requests().count("GET", "/users/me"), 1);
}

/// The budget covers the whole call: a body that drips forever, and retries of 5xx
/// answers, end when the budget does, with an error saying so.
#[tokio::test]
async fn one_budget_bounds_the_whole_call_retries_included() {
    let sim = sim().await;
    sim.faults().add(
        FaultRule::new(FaultKind::Drip {
            every: Duration::from_millis(200),
        })
        .path("/users/me")
        .always(),
    );
    let c = client_budget(&sim, Duration::from_secs(2)).for_one_call();
    let start = Instant::now();
    let e = c.current_user().await.unwrap_err();
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("timed out") && text.contains("time budget of 2 s"),
        "{text}"
    );
}

/// Every attempt is rate limited for 1 s: the waits come out of the same 2.5 s budget, so the
/// call ends with the 429 (naming the wait) before the budget, not after 4 tries. On the
/// paused clock, like the other rate-limit tests.
#[tokio::test(start_paused = true)]
async fn rate_limit_waits_come_out_of_the_call_budget() {
    let sim = sim().await;
    sim.faults().add(
        FaultRule::new(FaultKind::RateLimited { reset_secs: 1 })
            .path("/users/me")
            .always(),
    );
    let c = client_budget(&sim, Duration::from_millis(2500)).for_one_call();
    let start = tokio::time::Instant::now();
    let e = c.current_user().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(e.status(), Some(429), "{e}");
    assert!(e.to_string().contains("wait 1 s"), "{e}");
    assert_eq!(sim.requests().count("GET", "/users/me"), 3);
    // Positive control: without the fault the same budget is plenty.
    sim.faults().clear();
    client_budget(&sim, Duration::from_secs(2))
        .for_one_call()
        .current_user()
        .await
        .unwrap();
}

#[tokio::test]
async fn answers_over_the_size_cap_are_refused_not_buffered() {
    let sim = sim().await;
    let c = client_budget(&sim, Duration::from_secs(10));
    for declared in [false, true] {
        sim.faults().add(
            FaultRule::new(FaultKind::Oversized {
                bytes: 50 << 20,
                declared,
            })
            .path("/users/me"),
        );
        let e = c.current_user().await.unwrap_err();
        assert!(
            e.to_string().contains("larger than the 1024 KiB"),
            "declared {declared}: {e}"
        );
    }
    assert_eq!(sim.requests().count("GET", "/users/me"), 2, "not retried");
    // Positive control: an answer under the cap, of the same shape, is read.
    sim.faults().add(
        FaultRule::new(FaultKind::Oversized {
            bytes: 512 << 10,
            declared: false,
        })
        .path("/incidents"),
    );
    let page = c.list(&IncidentQuery::default(), first(1)).await;
    assert!(page.is_ok(), "{:?}", page.err().map(|e| e.to_string()));
}
