//! Each endpoint's request and typed answer.

use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::incidents::{AlertQuery, IncidentQuery, IncidentUpdate};
use pagerduty::api::log_entries::LogEntryQuery;
use pagerduty::api::maintenance_windows::MaintenanceQuery;
use pagerduty::api::oncalls::OncallQuery;
use pagerduty::api::services::ServiceQuery;
use pagerduty::ids::{EscalationPolicyId, IncidentId, ScheduleId, ServiceId, TeamId, UserId};
use pagerduty::models::{AlertStatus, IncidentStatus, MaintenanceState, Reference, Urgency};

use crate::{client, first, sim};

/// Filters go out the way PagerDuty reads them: sets as `key[]` pairs, flags only when on,
/// absent values not at all, fixed sort orders added.
#[tokio::test]
async fn filters_are_sent_as_pagerduty_reads_them() {
    let sim = sim().await;
    let c = client(&sim);
    let team = TeamId::new("PT1").unwrap();
    let incidents = IncidentQuery {
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        urgencies: vec![Urgency::High],
        team_ids: vec![team.clone()],
        all_time: true,
        sort_by: Some("created_at:desc".into()),
        ..Default::default()
    };
    c.list(&incidents, first(1)).await.unwrap();
    let entries = LogEntryQuery {
        since: Some("2026-11-01T00:00:00Z".parse().unwrap()),
        is_overview: true,
        team_ids: vec![team.clone()],
        ..Default::default()
    };
    c.list_log_entries(&entries, first(1)).await.unwrap();
    let not_overview = LogEntryQuery {
        is_overview: false,
        ..entries
    };
    c.list_log_entries(&not_overview, first(1)).await.unwrap();
    c.list(&ServiceQuery::default(), first(1)).await.unwrap();
    c.list_teams(Some("ops"), first(1)).await.unwrap();
    let user = UserId::new("PU1").unwrap();
    let policies = EscalationPolicyQuery {
        query: Some("core".into()),
        user_ids: vec![user.clone()],
        include: vec!["targets".into()],
        ..Default::default()
    };
    c.list(&policies, first(1)).await.unwrap();
    let oncalls = OncallQuery {
        schedule_ids: vec![ScheduleId::new("PS1").unwrap()],
        since: Some("2026-11-01T00:00:00Z".parse().unwrap()),
        until: Some("2026-11-02T00:00:00Z".parse().unwrap()),
        earliest: true,
        time_zone: Some("Europe/London".into()),
        ..Default::default()
    };
    c.list_oncalls(&oncalls, first(1)).await.unwrap();
    let windows = MaintenanceQuery {
        state: Some(MaintenanceState::Ongoing),
        service_ids: vec![ServiceId::new("PSV1").unwrap()],
        ..Default::default()
    };
    c.list(&windows, first(1)).await.unwrap();
    let incident = c
        .list(&IncidentQuery::default(), first(1))
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    let alerts = AlertQuery {
        statuses: vec![AlertStatus::Triggered],
        alert_key: Some("disk-full".into()),
    };
    c.list_incident_alerts(&incident, &alerts, first(1))
        .await
        .unwrap();

    let sent: Vec<Vec<(String, String)>> = sim
        .requests()
        .iter()
        .map(|r| {
            let query = r.query.as_deref().unwrap_or_default().as_bytes();
            let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query)
                .into_owned()
                .filter(|(k, _)| !matches!(k.as_str(), "offset" | "limit"))
                .collect();
            pairs.sort();
            pairs
        })
        .collect();
    let pairs = |kv: &[(&str, &str)]| -> Vec<(String, String)> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        sent,
        [
            pairs(&[
                ("date_range", "all"),
                ("sort_by", "created_at:desc"),
                ("statuses[]", "acknowledged"),
                ("statuses[]", "triggered"),
                ("team_ids[]", "PT1"),
                ("urgencies[]", "high"),
            ]),
            pairs(&[
                ("is_overview", "true"),
                ("since", "2026-11-01T00:00:00Z"),
                ("team_ids[]", "PT1"),
            ]),
            pairs(&[("since", "2026-11-01T00:00:00Z"), ("team_ids[]", "PT1")]),
            pairs(&[("sort_by", "name")]),
            pairs(&[("query", "ops")]),
            pairs(&[
                ("include[]", "targets"),
                ("query", "core"),
                ("sort_by", "name"),
                ("user_ids[]", "PU1"),
            ]),
            pairs(&[
                ("earliest", "true"),
                ("schedule_ids[]", "PS1"),
                ("since", "2026-11-01T00:00:00Z"),
                ("time_zone", "Europe/London"),
                ("until", "2026-11-02T00:00:00Z"),
            ]),
            pairs(&[("filter", "ongoing"), ("service_ids[]", "PSV1")]),
            pairs(&[]),
            pairs(&[("alert_key", "disk-full"), ("statuses[]", "triggered")]),
        ]
    );
}

#[tokio::test]
async fn incidents_filter_get_and_update() {
    let sim = sim().await;
    let c = client(&sim);
    let q = IncidentQuery {
        statuses: vec![IncidentStatus::Triggered],
        urgencies: vec![Urgency::High],
        ..Default::default()
    };
    let page = c.list(&q, first(100)).await.unwrap();
    assert!(!page.items.is_empty());
    assert!(
        page.items
            .iter()
            .all(|i| i.status == IncidentStatus::Triggered && i.urgency == Some(Urgency::High))
    );

    let id = page.items[0].id.clone();
    let got = c.get_incident(&id, &[]).await.unwrap();
    assert_eq!(got.title, page.items[0].title);

    let updated = c
        .update_incidents(
            std::slice::from_ref(&id),
            &IncidentUpdate {
                status: Some(IncidentStatus::Acknowledged),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated[0].status, IncidentStatus::Acknowledged);
    assert_eq!(
        c.get_incident(&id, &[]).await.unwrap().status,
        IncidentStatus::Acknowledged
    );
}

#[tokio::test]
async fn notes_alerts_and_responders() {
    let sim = sim().await;
    let c = client(&sim);
    let open = IncidentQuery {
        statuses: vec![IncidentStatus::Triggered],
        ..Default::default()
    };
    let id = c.list(&open, first(1)).await.unwrap().items[0].id.clone();
    let note = c
        .add_incident_note(&id, "checked dashboards")
        .await
        .unwrap();
    assert!(
        c.list_incident_notes(&id)
            .await
            .unwrap()
            .iter()
            .any(|n| n.id == note.id)
    );

    let alerts = c
        .list_incident_alerts(&id, &AlertQuery::default(), first(100))
        .await
        .unwrap();
    assert!(!alerts.items.is_empty());
    let one = c
        .get_incident_alert(&id, &alerts.items[0].id)
        .await
        .unwrap();
    assert_eq!(one.id, alerts.items[0].id);

    let me = c.current_user().await.unwrap().id.clone();
    let other = UserId::new(sim.state().users()[3].id.clone()).unwrap();
    let rr = c
        .add_responders(
            &id,
            &me,
            "need help",
            &[Reference::new(other.as_str(), "user_reference")],
        )
        .await
        .unwrap();
    assert_eq!(rr.responder_request_targets[0].id, other.as_str());
    let incident: IncidentId = id;
    let responders = c
        .get_incident(&incident, &[])
        .await
        .unwrap()
        .incidents_responders;
    assert!(responders.iter().any(|r| r.user.id == other.as_str()));
}

#[tokio::test]
async fn services_policies_and_oncalls() {
    let sim = sim().await;
    let c = client(&sim);
    let services = c.list(&ServiceQuery::default(), first(100)).await.unwrap();
    assert_eq!(services.items.len(), sim.state().services().len());
    let names: Vec<&str> = services.items.iter().map(|s| s.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");
    let s = c
        .get(&ServiceId::new(services.items[0].id.as_str()).unwrap())
        .await
        .unwrap();
    let ep_id = EscalationPolicyId::new(s.escalation_policy.unwrap().id).unwrap();
    let ep = c.get(&ep_id).await.unwrap();
    assert!(!ep.escalation_rules.is_empty());
    let eps = c
        .list(&EscalationPolicyQuery::default(), first(100))
        .await
        .unwrap();
    assert!(eps.items.iter().any(|p| p.id == ep.id));

    let oncalls = c
        .list_oncalls(
            &OncallQuery {
                escalation_policy_ids: vec![ep_id.clone()],
                earliest: true,
                ..Default::default()
            },
            first(100),
        )
        .await
        .unwrap();
    assert!(
        oncalls
            .items
            .iter()
            .all(|o| o.escalation_policy.id == ep_id.as_str())
    );
    assert!(oncalls.items.iter().any(|o| o.escalation_level == 1));
}
