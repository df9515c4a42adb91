//! Samples for maintenance windows, audit records, notification rules, merge, snooze and
//! status updates (issue 14's routes).

use http::Method;
use serde_json::json;

use super::{Auth, Checker};

pub async fn samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
    audit_samples(c, acct).await;
    notification_samples(c, acct).await;
    use Auth::*;
    let (get, post, delete) = (Method::GET, Method::POST, Method::DELETE);
    let by_desc = |d: &str| {
        acct.maintenance_windows
            .iter()
            .find(|w| w.description.contains(d))
            .unwrap()
            .clone()
    };
    let (past, ongoing, future) = (by_desc("reindex"), by_desc("Kafka"), by_desc("freeze"));
    let svc = &acct.services[0];
    let team = &acct.teams[0];
    let body = json!({"maintenance_window": {"type": "maintenance_window", "start_time": "2026-03-02T11:00:00Z", "end_time": "2026-03-02T14:00:00Z", "description": "Spec window", "services": [{"id": svc.id, "type": "service_reference"}]}});

    c.refusals(
        &get,
        "/maintenance_windows",
        "/maintenance_windows",
        None,
        None,
    )
    .await;
    c.refusals(
        &post,
        "/maintenance_windows",
        "/maintenance_windows",
        Some(&body),
        None,
    )
    .await;
    let one = format!("/maintenance_windows/{}", future.id);
    for m in [&get, &delete] {
        c.refusals(
            m,
            "/maintenance_windows/{id}",
            &one,
            None,
            Some("/maintenance_windows/PNOPE00"),
        )
        .await;
    }

    let all = c
        .get(
            "/maintenance_windows",
            "/maintenance_windows?total=true&include[]=services&include[]=teams&include[]=users",
            User,
            200,
        )
        .await;
    assert_eq!(all["maintenance_windows"].as_array().unwrap().len(), 3);
    let ongoing_only = c
        .get(
            "/maintenance_windows",
            &format!(
                "/maintenance_windows?filter=ongoing&team_ids[]={}",
                ongoing_team(acct, &ongoing)
            ),
            Account,
            200,
        )
        .await;
    let ids: Vec<&str> = ongoing_only["maintenance_windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [ongoing.id.as_str()]);
    let open = c
        .get(
            "/maintenance_windows",
            &format!(
                "/maintenance_windows?filter=open&service_ids[]={}&query=FREEZE",
                svc.id
            ),
            Bearer,
            200,
        )
        .await;
    assert_eq!(open["maintenance_windows"][0]["id"], future.id.as_str());
    c.get(
        "/maintenance_windows",
        "/maintenance_windows?filter=soon",
        User,
        400,
    )
    .await;
    c.get(
        "/maintenance_windows/{id}",
        &format!("/maintenance_windows/{}?include[]=teams", ongoing.id),
        User,
        200,
    )
    .await;

    let created = c
        .check(
            post.clone(),
            "/maintenance_windows",
            "/maintenance_windows",
            Some(body),
            Account,
            201,
        )
        .await;
    // The start was in the past, so it became now.
    assert_eq!(
        created["maintenance_window"]["start_time"],
        "2026-03-02T12:00:00Z"
    );
    assert_eq!(
        created["maintenance_window"]["created_by"]["type"],
        "user_reference"
    );
    let ended = json!({"maintenance_window": {"type": "maintenance_window", "start_time": "2026-03-01T11:00:00Z", "end_time": "2026-03-01T14:00:00Z", "services": [{"id": svc.id, "type": "service_reference"}]}});
    c.check(
        post.clone(),
        "/maintenance_windows",
        "/maintenance_windows",
        Some(ended),
        User,
        400,
    )
    .await;
    let no_service = json!({"maintenance_window": {"type": "maintenance_window", "start_time": "2026-03-02T13:00:00Z", "end_time": "2026-03-02T14:00:00Z", "services": [{"id": team.id, "type": "service_reference"}]}});
    c.check(
        post.clone(),
        "/maintenance_windows",
        "/maintenance_windows",
        Some(no_service),
        User,
        400,
    )
    .await;
    c.delete("/maintenance_windows/{id}", &one, User, 204).await;
    c.delete(
        "/maintenance_windows/{id}",
        &format!("/maintenance_windows/{}", ongoing.id),
        User,
        204,
    )
    .await;
    let gone = c
        .get(
            "/maintenance_windows",
            "/maintenance_windows?filter=past",
            User,
            200,
        )
        .await;
    let ids: Vec<&str> = gone["maintenance_windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    // The deleted ongoing window ended now; the future one is gone.
    assert_eq!(ids, [past.id.as_str(), ongoing.id.as_str()]);

    triage(c).await;
}

/// Merge and snooze, on incidents picked from the live account.
async fn triage(c: &mut Checker) {
    use Auth::*;
    let (put, post) = (Method::PUT, Method::POST);
    let pick = |v: &serde_json::Value| -> Vec<String> {
        v["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let triggered = pick(
        &c.get(
            "/incidents",
            "/incidents?statuses[]=triggered&date_range=all&limit=10",
            User,
            200,
        )
        .await,
    );
    let acked = pick(
        &c.get(
            "/incidents",
            "/incidents?statuses[]=acknowledged&date_range=all&limit=10",
            User,
            200,
        )
        .await,
    );
    let (target, source) = (&triggered[0], &triggered[1]);
    let merge = |ids: &[&String]| json!({"source_incidents": ids.iter().map(|i| json!({"id": i, "type": "incident_reference"})).collect::<Vec<_>>()});
    let merge_path = format!("/incidents/{target}/merge");
    c.refusals(
        &put,
        "/incidents/{id}/merge",
        &merge_path,
        Some(&merge(&[source])),
        Some("/incidents/PNOPE00/merge"),
    )
    .await;
    c.check(
        put.clone(),
        "/incidents/{id}/merge",
        &merge_path,
        Some(merge(&[target])),
        User,
        400,
    )
    .await;
    let merged = c
        .check(
            put.clone(),
            "/incidents/{id}/merge",
            &merge_path,
            Some(merge(&[source])),
            Account,
            200,
        )
        .await;
    assert_eq!(merged["incident"]["id"], target.as_str());
    // The source is resolved now, so it cannot be merged again.
    c.check(
        put.clone(),
        "/incidents/{id}/merge",
        &merge_path,
        Some(merge(&[source])),
        User,
        400,
    )
    .await;

    let snooze_path = format!("/incidents/{}/snooze", acked[0]);
    let hour = json!({"duration": 3600});
    c.refusals(
        &post,
        "/incidents/{id}/snooze",
        &snooze_path,
        Some(&hour),
        Some("/incidents/PNOPE00/snooze"),
    )
    .await;
    c.check(
        post.clone(),
        "/incidents/{id}/snooze",
        &format!("/incidents/{}/snooze", triggered[2]),
        Some(hour.clone()),
        User,
        400,
    )
    .await;
    let snoozed = c
        .check(
            post.clone(),
            "/incidents/{id}/snooze",
            &snooze_path,
            Some(hour),
            Bearer,
            201,
        )
        .await;
    assert_eq!(snoozed["incident"]["status"], "acknowledged");

    let su_path = format!("/incidents/{}/status_updates", triggered[2]);
    let update = json!({"message": "Checkout is degraded; a fix is rolling out."});
    c.refusals(
        &post,
        "/incidents/{id}/status_updates",
        &su_path,
        Some(&update),
        Some("/incidents/PNOPE00/status_updates"),
    )
    .await;
    c.check(
        post.clone(),
        "/incidents/{id}/status_updates",
        &su_path,
        Some(json!({"message": "x", "subject": "only a subject"})),
        User,
        400,
    )
    .await;
    let sent = c
        .check(
            post.clone(),
            "/incidents/{id}/status_updates",
            &su_path,
            Some(update),
            Account,
            200,
        )
        .await;
    assert_eq!(sent["status_update"]["sender"]["type"], "user_reference");
    let html =
        json!({"message": "Fixed", "subject": "Checkout restored", "html_message": "<p>Fixed</p>"});
    let sent = c
        .check(
            post.clone(),
            "/incidents/{id}/status_updates",
            &su_path,
            Some(html),
            User,
            200,
        )
        .await;
    assert_eq!(sent["status_update"]["subject"], "Checkout restored");
}

fn ongoing_team(
    acct: &pagerduty_sim::Account,
    w: &pagerduty_sim::maintenance_windows::MaintenanceWindow,
) -> String {
    acct.service(&w.service_ids[0]).unwrap().team_ids[0].clone()
}

/// The audit trail, account-wide and per resource: 401, 404, bad windows and cursors, pages.
async fn audit_samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
    use Auth::*;
    let get = Method::GET;
    let sched = acct
        .schedules
        .iter()
        .find(|s| s.name == "Platform Primary")
        .unwrap();
    let per: Vec<(&'static str, String)> = vec![
        (
            "/users/{id}/audit/records",
            format!("/users/{}/audit/records", acct.users[0].id),
        ),
        (
            "/teams/{id}/audit/records",
            format!("/teams/{}/audit/records", acct.teams[3].id),
        ),
        (
            "/schedules/{id}/audit/records",
            format!("/schedules/{}/audit/records", sched.id),
        ),
        (
            "/v3/schedules/{id}/audit/records",
            format!("/v3/schedules/{}/audit/records", acct.schedules_v3[0].id),
        ),
        (
            "/escalation_policies/{id}/audit/records",
            format!(
                "/escalation_policies/{}/audit/records",
                acct.escalation_policies[0].id
            ),
        ),
        (
            "/services/{id}/audit/records",
            format!("/services/{}/audit/records", acct.services[0].id),
        ),
    ];
    let month = "since=2026-02-01T00:00:00Z&until=2026-03-02T12:00:00Z";
    for (template, path) in &per {
        let missing = template.replace("{id}", "PNOPE00");
        c.refusals(&get, template, path, None, Some(&missing)).await;
        c.get(template, &format!("{path}?{month}&limit=5"), User, 200)
            .await;
    }
    let all = "/audit/records";
    c.get(all, all, Anonymous, 401).await;
    let page = c
        .get(all, &format!("{all}?{month}&limit=2"), User, 200)
        .await;
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = c
        .get(
            all,
            &format!("{all}?{month}&limit=2&cursor={cursor}"),
            Account,
            200,
        )
        .await;
    assert_ne!(next["records"][0]["id"], page["records"][1]["id"]);
    let deleted = c
        .get(all, &format!("{all}?{month}&actions[]=delete&root_resource_types[]=schedules&actor_type=api_key_reference"), User, 200)
        .await;
    // The seeded deletion, and the schedule deleted earlier in this test (named as it was).
    let names: Vec<&str> = deleted["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["root_resource"]["summary"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Legacy DB On-Call"), "{names:?}");
    assert!(!names.contains(&""), "{names:?}");
    for bad in [
        "since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z",
        "actor_id=PUSER01",
        "cursor=NOPE",
        "actions[]=rename",
    ] {
        c.get(all, &format!("{all}?{bad}"), User, 400).await;
    }
}

/// Contact methods, notification rules (by urgency, with contact methods included) and
/// handoff rules of the user who has SMS, phone and email rules.
async fn notification_samples(c: &mut Checker, acct: &pagerduty_sim::Account) {
    use Auth::*;
    let get = Method::GET;
    let samuel = acct
        .users
        .iter()
        .find(|u| u.name == pagerduty_sim::notification_rules::SMS_USER)
        .unwrap();
    for (template, tail) in [
        ("/users/{id}/contact_methods", "contact_methods"),
        ("/users/{id}/notification_rules", "notification_rules"),
        (
            "/users/{id}/oncall_handoff_notification_rules",
            "oncall_handoff_notification_rules",
        ),
    ] {
        let path = format!("/users/{}/{tail}", samuel.id);
        let missing = format!("/users/PNOPE00/{tail}");
        c.refusals(&get, template, &path, None, Some(&missing))
            .await;
        c.get(template, &path, User, 200).await;
    }
    let cms = c
        .get(
            "/users/{id}/contact_methods",
            &format!("/users/{}/contact_methods", samuel.id),
            Account,
            200,
        )
        .await;
    let kinds: Vec<&str> = cms["contact_methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "email_contact_method",
            "phone_contact_method",
            "sms_contact_method"
        ]
    );
    let rules = format!("/users/{}/notification_rules", samuel.id);
    let high = c
        .get("/users/{id}/notification_rules", &rules, User, 200)
        .await;
    assert_eq!(
        high["notification_rules"].as_array().unwrap().len(),
        3,
        "high urgency by default"
    );
    let all = c
        .get(
            "/users/{id}/notification_rules",
            &format!("{rules}?urgency=all&include[]=contact_methods"),
            User,
            200,
        )
        .await;
    assert_eq!(all["notification_rules"].as_array().unwrap().len(), 4);
    assert_eq!(
        all["notification_rules"][0]["contact_method"]["type"],
        "sms_contact_method"
    );
    c.get(
        "/users/{id}/notification_rules",
        &format!("{rules}?urgency=urgent"),
        User,
        400,
    )
    .await;
}
