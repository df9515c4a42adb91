//! The fault matrix, through the whole server: each PagerDuty failure mode on a read and on a
//! write, what the tool answers, how often the request was sent, and that the server keeps
//! serving afterwards.
//!
//! | fault                     | read (list_incidents)           | write (create_incident)         |
//! |---------------------------|---------------------------------|---------------------------------|
//! | 429 + ratelimit-reset      | retried after the reset → ok    | retried (refused, not done) → ok |
//! | 500 / 502 / 503 (twice)    | retried → ok                    | not retried → clear error, 1 POST |
//! | dropped connection         | retried → ok                    | not retried → clear error, 1 POST |
//! | truncated / malformed JSON | retried → ok                    | not retried → clear error, 1 POST |
//! | slower than the time-out   | clear "timed out" error          | —                               |
//! | persistent 5xx             | bounded retries → clear error    | —                               |

use std::time::Duration;

use http::Method;
use pagerduty_sim::faults::{FaultKind, FaultRule};
use serde_json::json;

use crate::harness::{Harness, array};

/// The failures after which PagerDuty may or may not have done the work: a read retries
/// them, a write never does.
fn unknown_outcome() -> [FaultKind; 5] {
    [
        FaultKind::Status(500),
        FaultKind::Status(503),
        FaultKind::Drop,
        FaultKind::Truncated,
        FaultKind::MalformedJson,
    ]
}

#[tokio::test]
async fn reads_recover_from_transient_faults() {
    let h = Harness::read_only().await;
    let before = [
        FaultKind::RateLimited { reset_secs: 1 },
        FaultKind::Status(502),
    ];
    for kind in before.into_iter().chain(unknown_outcome()) {
        h.sim.clear_requests();
        h.sim.faults().add(
            FaultRule::new(kind.clone())
                .method(Method::GET)
                .path("/incidents")
                .times(2),
        );
        let got = h.ok("list_incidents", json!({"limit": 3})).await;
        assert_eq!(array(&got["items"]).len(), 3, "{kind:?}");
        assert_eq!(
            h.sim.requests().count("GET", "/incidents"),
            3,
            "{kind:?}: two failures, one success"
        );
    }
}

#[tokio::test]
async fn persistent_read_failures_end_in_a_clear_error_and_the_server_keeps_serving() {
    let h = Harness::read_only().await;
    h.always_fault("/incidents", FaultKind::Status(503));
    h.err_says("list_incidents", json!({}), &["503", "PagerDuty's side"])
        .await;
    assert_eq!(
        h.sim.requests().count("GET", "/incidents"),
        4,
        "bounded: 1 try + 3 retries"
    );
    h.sim.faults().clear();
    h.ok("list_incidents", json!({"limit": 1})).await;
}

#[tokio::test]
async fn answers_slower_than_the_time_out_end_in_a_clear_error() {
    let h = Harness::with_args(&["--api-timeout", "1"]).await;
    h.always_fault("/services", FaultKind::Delay(Duration::from_secs(3)));
    let start = std::time::Instant::now();
    h.err_says("list_services", json!({}), &["timed out"]).await;
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "bounded: {:?}",
        start.elapsed()
    );
    h.ok("get_user_data", json!({})).await;
}

#[tokio::test]
async fn writes_are_never_sent_twice() {
    let h = Harness::with_writes().await;
    let service = h.sim.state().services()[0].id.clone();
    let create =
        json!({"incident": {"title": "Queue backlog growing", "service": {"id": service}}});
    for kind in unknown_outcome() {
        h.sim.clear_requests();
        h.sim.faults().add(
            FaultRule::new(kind.clone())
                .method(Method::POST)
                .path("/incidents"),
        );
        let msg = h.err("create_incident", create.clone()).await;
        assert!(!msg.is_empty(), "{kind:?}");
        assert_eq!(
            h.sim.requests().count("POST", "/incidents"),
            1,
            "{kind:?}: {msg}"
        );
    }
    // Rate limiting refuses a request before any work is done: retrying it is safe.
    h.sim.clear_requests();
    h.sim.faults().add(
        FaultRule::new(FaultKind::RateLimited { reset_secs: 0 })
            .method(Method::POST)
            .path("/incidents"),
    );
    h.ok("create_incident", create).await;
    assert_eq!(h.sim.requests().count("POST", "/incidents"), 2);
}
