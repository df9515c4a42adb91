//! Analytics: every figure checked is recomputed here from the simulator's raw incidents
//! and log entries.

use jiff::{SignedDuration, Timestamp};
use pagerduty_sim::store::{Account, Agent, Incident};
use serde_json::{Value, json};

use crate::harness::{Harness, array};

fn range(h: &Harness, days: i64) -> (Timestamp, Timestamp) {
    let now = h.sim.now();
    (
        now - SignedDuration::from_hours(24 * days),
        now + SignedDuration::from_hours(24),
    )
}

fn in_range(a: &Account, (s, e): (Timestamp, Timestamp)) -> impl Iterator<Item = &Incident> {
    a.incidents
        .iter()
        .filter(move |i| i.created_at >= s && i.created_at < e)
}

fn mean(v: &[i64]) -> i64 {
    (v.iter().sum::<i64>() as f64 / v.len() as f64).round() as i64
}

/// How many of `incidents` have a `kind` log entry by an agent that `by` accepts.
fn count_logged<'a>(
    a: &Account,
    incidents: impl IntoIterator<Item = &'a Incident>,
    kind: &str,
    by: impl Fn(&Agent) -> bool,
) -> usize {
    incidents
        .into_iter()
        .filter(|i| {
            a.log_entries
                .iter()
                .any(|e| e.incident_id == i.id && e.kind == kind && by(&e.agent))
        })
        .count()
}

fn first_ack(a: &Account, i: &Incident) -> Option<Timestamp> {
    a.log_entries
        .iter()
        .filter(|e| e.incident_id == i.id && e.kind == "acknowledge_log_entry")
        .map(|e| e.created_at)
        .min()
}

#[tokio::test]
async fn incident_metrics_by_service_recomputed_from_incidents() {
    let h = Harness::read_only().await;
    let a = h.sim.state().account();
    let svc = h.sim.state().service_by_name("Checkout API").unwrap();
    let r = range(&h, 30);
    let got = h
        .ok(
            "get_incident_metrics_by_service",
            json!({"created_at_start": r.0.to_string(), "created_at_end": r.1.to_string(), "service_ids": [svc.id]}),
        )
        .await;
    assert!(got.get("note").is_none(), "filtered by service: no scoping");
    let rows = array(&got["data"]);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let mine: Vec<&Incident> = in_range(&a, r).filter(|i| i.service_id == svc.id).collect();
    assert!(!mine.is_empty());
    assert_eq!(row["service_id"], svc.id.as_str());
    assert_eq!(row["service_name"], "Checkout API");
    assert_eq!(row["total_incident_count"], mine.len());
    let to_resolve: Vec<i64> = mine
        .iter()
        .filter_map(|i| Some(i.resolved_at?.duration_since(i.created_at).as_secs()))
        .collect();
    assert_eq!(row["mean_seconds_to_resolve"], mean(&to_resolve));
    let to_ack: Vec<i64> = mine
        .iter()
        .filter_map(|i| Some(first_ack(&a, i)?.duration_since(i.created_at).as_secs()))
        .collect();
    assert_eq!(row["mean_seconds_to_first_ack"], mean(&to_ack));
    assert_eq!(row["total_incidents_acknowledged"], to_ack.len());
    assert!(row["up_time_pct"].as_f64().unwrap() <= 100.0);
}

#[tokio::test]
async fn incident_metrics_all_defaults_to_my_teams_with_a_user_token() {
    let h = Harness::read_only().await;
    let a = h.sim.state().account();
    let me = h.sim.state().demo_user().unwrap();
    let my_teams = a.team_ids_of_user(&me.id);
    let r = range(&h, 14);
    let got = h
        .ok(
            "get_incident_metrics_all",
            json!({"created_at_start": r.0.to_string(), "created_at_end": r.1.to_string(), "urgency": "high"}),
        )
        .await;
    let note = got["note"].as_str().expect("says how it was scoped");
    assert!(
        note.contains("Scoped to your teams") && note.contains("team_ids"),
        "{note}"
    );
    let mine: Vec<&Incident> = in_range(&a, r)
        .filter(|i| i.urgency == "high" && i.team_ids.iter().any(|t| my_teams.contains(t)))
        .collect();
    let row = &got["data"][0];
    assert_eq!(row["total_incident_count"], mine.len());
    let mut to_resolve: Vec<i64> = mine
        .iter()
        .filter_map(|i| Some(i.resolved_at?.duration_since(i.created_at).as_secs()))
        .collect();
    to_resolve.sort_unstable();
    let p50 = to_resolve[(to_resolve.len() as f64 * 0.5).ceil() as usize - 1];
    assert_eq!(row["p50_seconds_to_resolve"], p50);
    let auto = count_logged(&a, mine, "resolve_log_entry", |by| {
        matches!(by, Agent::Service(_))
    });
    assert_eq!(row["total_incidents_auto_resolved"], auto);
}

#[tokio::test]
async fn incident_metrics_by_team_per_week_add_up() {
    let h = Harness::read_only().await;
    let a = h.sim.state().account();
    let team = a.teams.iter().find(|t| t.name == "Data").unwrap().clone();
    let r = range(&h, 28);
    let got = h
        .ok(
            "get_incident_metrics_by_team",
            json!({"created_at_start": r.0.to_string(), "created_at_end": r.1.to_string(), "team_ids": [team.id], "aggregate_unit": "week", "time_zone": "Europe/Berlin"}),
        )
        .await;
    let rows = array(&got["data"]);
    assert!(rows.len() >= 4, "one row per week: {rows:?}");
    assert!(
        rows.iter()
            .all(|r| r["team_name"] == "Data" && r["range_start"].is_string())
    );
    let sum: u64 = rows
        .iter()
        .map(|r| r["total_incident_count"].as_u64().unwrap())
        .sum();
    let want = in_range(&a, r)
        .filter(|i| i.team_ids.contains(&team.id))
        .count();
    assert_eq!(sum, want as u64);
    h.err_says(
        "get_incident_metrics_by_team",
        json!({"created_at_start": r.0.to_string(), "created_at_end": r.1.to_string(), "team_ids": [team.id], "aggregate_unit": "year"}),
        &["aggregate_unit"],
    )
    .await;
}

fn notifications_to(a: &Account, user: &str, r: (Timestamp, Timestamp)) -> usize {
    let ids: Vec<&str> = in_range(a, r).map(|i| i.id.as_str()).collect();
    a.log_entries
        .iter()
        .filter(|e| {
            e.kind == "notify_log_entry"
                && e.user_id.as_deref() == Some(user)
                && ids.contains(&e.incident_id.as_str())
        })
        .count()
}

#[tokio::test]
async fn responder_metrics_per_member_match_the_log() {
    let h = Harness::read_only().await;
    let a = h.sim.state().account();
    let me = h.sim.state().demo_user().unwrap();
    let team = a.team_ids_of_user(&me.id)[0].clone();
    let r = range(&h, 30);
    let got = h
        .ok(
            "get_responder_metrics",
            json!({"date_range_start": r.0.to_string(), "date_range_end": r.1.to_string(), "team_ids": [team], "order_by": "total_notifications", "order": "desc"}),
        )
        .await;
    let rows = array(&got["data"]);
    assert!(rows.iter().all(|r| r["team_id"] == team.as_str()));
    let counts: Vec<u64> = rows
        .iter()
        .map(|r| r["total_notifications"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let mine: &Value = rows
        .iter()
        .find(|r| r["responder_id"] == me.id.as_str())
        .expect("the demo user responded");
    assert_eq!(mine["responder_name"], me.name.as_str());
    assert_eq!(mine["total_notifications"], notifications_to(&a, &me.id, r));
    let acked = count_logged(&a, in_range(&a, r), "acknowledge_log_entry", |by| {
        *by == Agent::User(me.id.clone())
    });
    assert_eq!(mine["total_incidents_acknowledged"], acked);
}

#[tokio::test]
async fn responder_load_combines_the_selected_responders() {
    let h = Harness::read_only().await;
    let a = h.sim.state().account();
    let users: Vec<String> = a.users.iter().take(3).map(|u| u.id.clone()).collect();
    let r = range(&h, 30);
    let got = h
        .ok(
            "get_responder_load_metrics",
            json!({"date_range_start": r.0.to_string(), "date_range_end": r.1.to_string(), "responder_ids": users}),
        )
        .await;
    let rows = array(&got["data"]);
    assert_eq!(rows.len(), 1, "one combined row");
    assert!(rows[0].get("responder_id").is_none());
    let want: usize = users.iter().map(|u| notifications_to(&a, u, r)).sum();
    assert_eq!(rows[0]["total_notifications"], want);
    h.err_says(
        "get_responder_load_metrics",
        json!({"date_range_start": r.0.to_string(), "date_range_end": r.1.to_string(), "responder_ids": users, "order_by": " "}),
        &["`order_by`"],
    )
    .await;
}
