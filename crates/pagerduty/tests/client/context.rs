//! Incident-context calls: cursor paging of alert grouping settings, the analytics filter
//! names per report, totals, and trimmed log entries.

use pagerduty::Error;
use pagerduty::api::alert_grouping::AlertGroupingQuery;
use pagerduty::api::analytics::{MetricsQuery, MetricsReport};
use pagerduty::api::change_events::ChangeEventQuery;
use pagerduty::api::log_entries::LogEntryQuery;
use pagerduty::ids::{TeamId, UserId};
use pagerduty::models::{IncidentMetrics, ResponderMetrics, Time};

use crate::{client, first, sim};

#[tokio::test]
async fn alert_grouping_cursors_walk_the_whole_list() {
    let sim = sim().await;
    let c = client(&sim);
    let mut q = AlertGroupingQuery {
        total: true,
        ..Default::default()
    };
    let mut seen = Vec::new();
    let first = c.list_alert_grouping_settings(&q, 1).await.unwrap();
    assert_eq!(first.total, Some(3));
    assert!(first.before.is_none());
    seen.extend(first.items.iter().map(|s| s.id.to_string()));
    q.total = false;
    q.after = first.after;
    while q.after.is_some() {
        let page = c.list_alert_grouping_settings(&q, 1).await.unwrap();
        assert!(page.before.is_some(), "not the first page");
        seen.extend(page.items.iter().map(|s| s.id.to_string()));
        q.after = page.after;
    }
    let want: Vec<String> = sim
        .state()
        .account()
        .alert_grouping_settings
        .iter()
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(seen, want);
    // One call with a larger limit follows the cursor itself.
    let all = c
        .list_alert_grouping_settings(&AlertGroupingQuery::default(), 10)
        .await
        .unwrap();
    assert_eq!(all.items.len(), 3);
    assert!(all.after.is_none());
}

#[tokio::test]
async fn analytics_reports_use_their_own_filter_names() {
    let sim = sim().await;
    let c = client(&sim);
    let team = TeamId::new(sim.state().teams()[0].id.clone()).unwrap();
    let q = MetricsQuery {
        start: Time(sim.now() - jiff::SignedDuration::from_hours(24 * 30)),
        end: Time(sim.now()),
        urgency: None,
        team_ids: vec![team],
        service_ids: vec![],
        responder_ids: vec![],
        time_zone: None,
        order: None,
        order_by: None,
        aggregate_unit: None,
    };
    // created_at_* for incidents, date_range_* for responders: the simulator rejects the
    // other name as a missing filter.
    let all: Vec<IncidentMetrics> = c
        .analytics_metrics(MetricsReport::IncidentsAll, &q)
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let load: Vec<ResponderMetrics> = c
        .analytics_metrics(MetricsReport::RespondersAll, &q)
        .await
        .unwrap();
    assert_eq!(load.len(), 1);
    // A user token without a team or service filter: PagerDuty's 400, explained.
    let err = c
        .analytics_metrics::<IncidentMetrics>(
            MetricsReport::IncidentsByService,
            &MetricsQuery {
                team_ids: vec![],
                responder_ids: vec![UserId::new("PNOPE00").unwrap()],
                ..q.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.status == 400), "{err}");
    assert!(err.to_string().contains("team_ids or service_ids"), "{err}");
}

#[tokio::test]
async fn totals_and_trimmed_log_entries() {
    let sim = sim().await;
    let c = client(&sim);
    let n = c
        .count_change_events(&ChangeEventQuery::default())
        .await
        .unwrap();
    assert_eq!(n, Some(sim.state().account().change_events.len() as u64));
    let q = LogEntryQuery {
        include: vec!["incidents".into()],
        ..Default::default()
    };
    let page = c.list_log_entries(&q, first(3)).await.unwrap();
    assert_eq!(page.items.len(), 3);
    let json = serde_json::to_string(&page.items).unwrap();
    assert!(!json.contains("\"self\"") && !json.contains("null"));
    // Each entry keeps its own link; the objects passed through inside it are trimmed.
    for e in &page.items {
        let link = e.html_url.as_deref().unwrap_or_default();
        assert!(
            link.starts_with("https://") && link.contains(e.id.as_str()),
            "{link}"
        );
        let nested = serde_json::to_string(&(&e.channel, &e.incident, &e.service)).unwrap();
        assert!(!nested.contains("html_url"), "{nested}");
    }
}
