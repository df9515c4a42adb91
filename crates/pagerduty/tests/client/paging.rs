//! Offset pagination: exact windows across pages, the 10 000 cap, and streaming.

use futures::StreamExt;
use pagerduty::Window;
use pagerduty::api::incidents::IncidentQuery;

use crate::{client, sim};

fn all_time() -> IncidentQuery {
    IncidentQuery {
        all_time: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_window_spans_pages_exactly() {
    let sim = sim().await;
    let c = client(&sim);
    let total = sim.state().incidents().len();
    let page = c
        .list(
            &all_time(),
            Window {
                offset: 5,
                limit: 130,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 130);
    assert!(page.more);
    assert_eq!(page.next_offset, Some(135));
    // PagerDuty pages hold at most 100: 100 + 30.
    let limits: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|r| {
            r.query
                .as_deref()?
                .split('&')
                .find(|kv| kv.starts_with("limit="))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(limits, ["limit=100", "limit=30"]);

    let tail = c
        .list(
            &all_time(),
            Window {
                offset: 200,
                limit: 1000,
            },
        )
        .await
        .unwrap();
    assert_eq!(tail.items.len(), total - 200);
    assert!(!tail.more);
    assert_eq!(tail.next_offset, None);
}

#[tokio::test]
async fn the_offset_cap_is_respected() {
    let sim = sim().await;
    let c = client(&sim);
    let e = c
        .list(
            &all_time(),
            Window {
                offset: 10_000,
                limit: 10,
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("narrow the filters"), "{e}");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn streams_stop_at_the_cap() {
    let sim = sim().await;
    let c = client(&sim);
    let items: Vec<_> = c.stream_incidents(&all_time(), 150).collect().await;
    assert_eq!(items.len(), 150);
    assert!(items.iter().all(Result::is_ok));
    assert_eq!(sim.requests().count_prefix("GET", "/incidents"), 2);
    let everything: Vec<_> = c.stream_incidents(&all_time(), usize::MAX).collect().await;
    assert_eq!(everything.len(), sim.state().incidents().len());
}
