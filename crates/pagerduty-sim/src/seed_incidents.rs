//! The seeded incident history: titles by service kind, notes, resolutions, acknowledgements
//! and escalations over the days before `now`, each with its log entries.

use jiff::Timestamp;
use serde_json::json;

use crate::escalation::first_staffed_level;
use crate::ids::Ids;
use crate::incidents::add_note;
use crate::log_entries::Entry;
use crate::seed::{SERVICES, ts};
use crate::store::Severity::{Critical, Error, Warning};
use crate::store::*;

/// Incident title templates per service (same order as SERVICES):
/// (title, alert severity, slug)
const TITLES: &[&[(&str, Severity, &str)]] = &[
    &[
        ("High error rate on /checkout", Critical, "checkout-5xx"),
        (
            "p99 latency above 2s on POST /cart/items",
            Error,
            "cart-latency",
        ),
        (
            "Checkout API pods crash-looping in eu-west-1",
            Critical,
            "crashloop",
        ),
        ("Order confirmation emails delayed", Warning, "email-delay"),
    ],
    &[
        (
            "Payment authorization failures above 5%",
            Critical,
            "auth-failures",
        ),
        ("Stripe webhook backlog growing", Error, "webhook-backlog"),
        (
            "TLS certificate for pay.example.com expires in 7 days",
            Warning,
            "cert-expiry",
        ),
        ("Refund job failed", Error, "refund-job"),
    ],
    &[
        ("Elasticsearch cluster health RED", Critical, "es-red"),
        ("Disk 92% full on es-data-3", Warning, "disk-full"),
        (
            "Search query latency p95 above 800ms",
            Error,
            "query-latency",
        ),
        ("Index rebuild job stuck", Warning, "reindex-stuck"),
    ],
    &[
        ("Login failures spiking", Critical, "login-failures"),
        (
            "Redis session store memory above 90%",
            Warning,
            "redis-memory",
        ),
        ("OAuth token endpoint returning 503", Critical, "oauth-503"),
        ("JWKS key rotation failed", Error, "jwks-rotation"),
    ],
    &[
        ("Push notification delivery failing", Error, "push-failures"),
        ("Mobile API 5xx rate above 2%", Critical, "mobile-5xx"),
        ("App config endpoint slow", Warning, "config-slow"),
        (
            "Crash rate on Android 14 above threshold",
            Error,
            "android-crash",
        ),
    ],
    &[
        (
            "Kafka consumer lag above 1M messages",
            Error,
            "consumer-lag",
        ),
        ("Nightly ETL job failed", Error, "etl-failed"),
        ("Disk 92% full on db-3", Warning, "db-disk"),
        (
            "Data freshness SLA missed for orders table",
            Critical,
            "freshness",
        ),
    ],
];

const NOTES: &[&str] = &[
    "Looking into it now.",
    "Rolled back the last deploy; error rate is recovering.",
    "Root cause: connection pool exhaustion after the config change.",
    "Scaled the deployment from 6 to 12 replicas.",
    "Vendor status page reports degraded performance, following up with them.",
    "Cleared old snapshots, disk usage back to 61%.",
    "False positive: the monitor threshold was too tight, adjusting it.",
    "Customer support notified; posting updates in #incident.",
];

const RESOLUTIONS: &[&str] = &[
    "Fixed by rollback.",
    "Capacity added.",
    "Transient; recovered on its own.",
    "Config corrected.",
];

pub(crate) fn seed_incidents(acct: &mut Account, ids: &mut Ids, now: Timestamp, count: usize) {
    let rng_times: Vec<i64> = {
        let mut v: Vec<i64> = (0..count)
            .map(|_| ids.rng.range(10 * 60, 90 * 86_400))
            .collect();
        // Newest incidents first in age order; a few guaranteed-recent ones
        // so there is always open work to look at.
        for (i, age) in [25 * 60, 70 * 60, 3 * 3600, 7 * 3600, 20 * 3600]
            .iter()
            .enumerate()
        {
            if let Some(slot) = v.get_mut(i) {
                *slot = *age;
            }
        }
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    };
    for (n, age) in rng_times.into_iter().enumerate() {
        let created = ts(now, -age);
        let svc_idx = ids.rng.below(SERVICES.len() as u64) as usize;
        let svc = acct.services[svc_idx].clone();
        let (title, severity, slug) = *ids.rng.pick(TITLES[svc_idx]);
        let urgency = if severity == Critical || (severity == Error && ids.rng.chance(60)) {
            Urgency::High
        } else {
            Urgency::Low
        };
        let priority_id = if ids.rng.chance(25) {
            None
        } else {
            let p = match severity {
                Critical => ids.rng.range(0, 2),
                Error => ids.rng.range(1, 4),
                _ => ids.rng.range(2, 5),
            };
            Some(acct.priorities[p as usize].id.clone())
        };
        let status = if age < 2 * 3600 {
            if ids.rng.chance(55) {
                "triggered"
            } else {
                "acknowledged"
            }
        } else if age < 24 * 3600 {
            match ids.rng.below(10) {
                0..=1 => "triggered",
                2..=4 => "acknowledged",
                _ => "resolved",
            }
        } else if age < 3 * 86_400 {
            if ids.rng.chance(12) {
                "acknowledged"
            } else {
                "resolved"
            }
        } else if ids.rng.chance(2) {
            "acknowledged"
        } else {
            "resolved"
        };
        let (level, on_call) = first_staffed_level(acct, &svc.escalation_policy_id, created);
        let number = n as u64 + 1;
        let key = format!(
            "{}/{}/{}",
            svc.name.to_lowercase().replace(' ', "-"),
            slug,
            ids.hex(8)
        );
        let id = ids.mint();
        let alert_n = 1 + ids.rng.below(if severity == Critical { 4 } else { 2 }) as usize;
        let mut alerts = Vec::new();
        for a in 0..alert_n {
            let at = ts(created, a as i64 * ids.rng.range(20, 600));
            alerts.push(Alert {
                id: ids.mint(),
                created_at: at,
                status: AlertStatus::Triggered,
                alert_key: if a == 0 {
                    key.clone()
                } else {
                    format!("{key}-{a}")
                },
                severity,
                summary: title.into(),
                details: json!({
                    "source": format!("{}-{}", slug, 1 + ids.rng.below(6)),
                    "component": svc.name,
                    "metric_value": ids.rng.range(50, 999),
                    "runbook": format!("https://runbooks.example.com/{slug}"),
                }),
                integration_id: svc.integrations.first().map(|i| i.id.clone()),
            });
        }
        let inc = Incident {
            id,
            number,
            title: title.into(),
            created_at: created,
            updated_at: created,
            status: IncidentStatus::Triggered,
            incident_key: key,
            service_id: svc.id.clone(),
            escalation_policy_id: svc.escalation_policy_id.clone(),
            escalation_level: level,
            urgency,
            priority_id,
            assignments: on_call.iter().map(|u| (u.clone(), created)).collect(),
            assigned_via: "escalation_policy".into(),
            acknowledgements: vec![],
            resolved_at: None,
            last_status_change_at: created,
            last_status_change_by: Agent::Service(svc.id.clone()),
            body_details: None,
            alerts,
            notes: vec![],
            responders: vec![],
            responder_requests: vec![],
            first_trigger_log_entry_id: String::new(),
            team_ids: svc.team_ids.clone(),
        };
        acct.incidents.push(inc);
        let idx = acct.incidents.len() - 1;
        let trig = Entry::new(
            "trigger_log_entry",
            created,
            idx,
            Agent::Service(svc.id.clone()),
            "Triggered through the API.",
        )
        .record(acct);
        acct.incidents[idx].first_trigger_log_entry_id = trig;
        let names: Vec<String> = on_call
            .iter()
            .filter_map(|u| acct.user(u).map(|u| u.name.clone()))
            .collect();
        Entry::new(
            "assign_log_entry",
            created,
            idx,
            Agent::Service(svc.id.clone()),
            format!("Assigned to {}.", names.join(", ")),
        )
        .channel("auto")
        .assignees(on_call.clone())
        .record(acct);
        for u in &on_call {
            let s = format!(
                "Notified {} by SMS.",
                acct.user(u).map(|x| x.name.as_str()).unwrap_or("user")
            );
            Entry::new(
                "notify_log_entry",
                ts(created, 5),
                idx,
                Agent::Service(svc.id.clone()),
                s,
            )
            .channel("auto")
            .user(Some(u.clone()))
            .record(acct);
        }
        let responder = on_call.first().cloned();
        let mut last = created;
        if status != "triggered"
            && let Some(r) = responder.clone()
        {
            let at = ts(created, ids.rng.range(60, 900).min(age.max(61) - 1));
            let name = acct.user(&r).map(|x| x.name.clone()).unwrap_or_default();
            Entry::new(
                "acknowledge_log_entry",
                at,
                idx,
                Agent::User(r.clone()),
                format!("Acknowledged by {name}."),
            )
            .channel("web_ui")
            .record(acct);
            let inc = &mut acct.incidents[idx];
            inc.status = IncidentStatus::Acknowledged;
            inc.acknowledgements = vec![(r.clone(), at)];
            inc.assignments = vec![(r.clone(), at)];
            inc.last_status_change_at = at;
            inc.last_status_change_by = Agent::User(r);
            last = at;
        }
        if ids.rng.chance(30) {
            let notes = 1 + ids.rng.below(2) as i64;
            for k in 0..notes {
                let author = responder
                    .clone()
                    .unwrap_or_else(|| acct.users[0].id.clone());
                let at = ts(created, 300 + k * 600).min(ts(now, -60));
                let content = (*ids.rng.pick(NOTES)).to_string();
                let note = Note {
                    id: ids.mint(),
                    user_id: author,
                    content,
                    created_at: at,
                };
                add_note(acct, idx, note);
                last = last.max(at);
            }
        }
        if status == "resolved" {
            let dur = ids.rng.range(5 * 60, 8 * 3600);
            let at = ts(created, dur).min(ts(now, -60)).max(ts(last, 60));
            let by_user = responder.clone().filter(|_| ids.rng.chance(75));
            let agent = match &by_user {
                Some(u) => Agent::User(u.clone()),
                None => Agent::Service(svc.id.clone()),
            };
            let note = by_user
                .as_ref()
                .map(|_| (*ids.rng.pick(RESOLUTIONS)).to_string());
            let summary = match &by_user {
                Some(u) => format!(
                    "Resolved by {}.",
                    acct.user(u).map(|x| x.name.as_str()).unwrap_or("user")
                ),
                None => "Resolved through the API.".into(),
            };
            Entry::new("resolve_log_entry", at, idx, agent.clone(), summary)
                .channel(if by_user.is_some() { "web_ui" } else { "api" })
                .note(note)
                .record(acct);
            let inc = &mut acct.incidents[idx];
            inc.status = IncidentStatus::Resolved;
            inc.assignments.clear();
            inc.resolved_at = Some(at);
            inc.last_status_change_at = at;
            inc.last_status_change_by = agent;
            for a in &mut inc.alerts {
                a.status = AlertStatus::Resolved;
            }
            last = at;
        }
        acct.incidents[idx].updated_at = last;
    }
}
