//! Samples for maintenance windows, audit records, notification rules, merge, snooze and
//! status updates (issue 14's routes).

use http::Method;
use serde_json::{Value, json};

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

    c.refusals(&get, "/maintenance_windows", None).await;
    c.refusals(&post, "/maintenance_windows", Some(&body)).await;
    let one = format!("/maintenance_windows/{}", future.id);
    for m in [&get, &delete] {
        c.refusals(m, &one, None).await;
    }

    let all = c
        .get(
            "/maintenance_windows?total=true&include[]=services&include[]=teams&include[]=users",
            User,
            200,
        )
        .await;
    assert_eq!(all["maintenance_windows"].as_array().unwrap().len(), 3);
    let ongoing_only = c
        .get(
            &format!(
                "/maintenance_windows?filter=ongoing&team_ids[]={}",
                ongoing_team(acct, &ongoing)
            ),
            Account,
            200,
        )
        .await;
    let ids = strings(&ongoing_only["maintenance_windows"], "/id");
    assert_eq!(ids, [ongoing.id.as_str()]);
    let open = c
        .get(
            &format!(
                "/maintenance_windows?filter=open&service_ids[]={}&query=FREEZE",
                svc.id
            ),
            Bearer,
            200,
        )
        .await;
    assert_eq!(open["maintenance_windows"][0]["id"], future.id.as_str());
    c.get("/maintenance_windows?filter=soon", User, 400).await;
    c.get(
        &format!("/maintenance_windows/{}?include[]=teams", ongoing.id),
        User,
        200,
    )
    .await;

    let created = c.post("/maintenance_windows", body, Account, 201).await;
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
    c.post("/maintenance_windows", ended, User, 400).await;
    let no_service = json!({"maintenance_window": {"type": "maintenance_window", "start_time": "2026-03-02T13:00:00Z", "end_time": "2026-03-02T14:00:00Z", "services": [{"id": team.id, "type": "service_reference"}]}});
    c.post("/maintenance_windows", no_service, User, 400).await;
    c.delete(&one, User, 204).await;
    c.delete(&format!("/maintenance_windows/{}", ongoing.id), User, 204)
        .await;
    let gone = c.get("/maintenance_windows?filter=past", User, 200).await;
    let ids = strings(&gone["maintenance_windows"], "/id");
    // The deleted ongoing window ended now; the future one is gone.
    assert_eq!(ids, [past.id.as_str(), ongoing.id.as_str()]);

    triage(c).await;
}

/// Merge and snooze, on incidents picked from the live account.
async fn triage(c: &mut Checker) {
    use Auth::*;
    let (put, post) = (Method::PUT, Method::POST);
    let pick = |v: &Value| -> Vec<String> {
        let ids = strings(&v["incidents"], "/id");
        ids.into_iter().map(str::to_owned).collect()
    };
    let triggered = pick(
        &c.get(
            "/incidents?statuses[]=triggered&date_range=all&limit=10",
            User,
            200,
        )
        .await,
    );
    let acked = pick(
        &c.get(
            "/incidents?statuses[]=acknowledged&date_range=all&limit=10",
            User,
            200,
        )
        .await,
    );
    let (target, source) = (&triggered[0], &triggered[1]);
    let merge = |ids: &[&String]| json!({"source_incidents": ids.iter().map(|i| json!({"id": i, "type": "incident_reference"})).collect::<Vec<_>>()});
    let merge_path = format!("/incidents/{target}/merge");
    c.refusals(&put, &merge_path, Some(&merge(&[source]))).await;
    c.put(&merge_path, merge(&[target]), User, 400).await;
    let merged = c.put(&merge_path, merge(&[source]), Account, 200).await;
    assert_eq!(merged["incident"]["id"], target.as_str());
    // The source is resolved now, so it cannot be merged again.
    c.put(&merge_path, merge(&[source]), User, 400).await;

    let snooze_path = format!("/incidents/{}/snooze", acked[0]);
    let hour = json!({"duration": 3600});
    c.refusals(&post, &snooze_path, Some(&hour)).await;
    c.post(
        &format!("/incidents/{}/snooze", triggered[2]),
        hour.clone(),
        User,
        400,
    )
    .await;
    let snoozed = c.post(&snooze_path, hour, Bearer, 201).await;
    assert_eq!(snoozed["incident"]["status"], "acknowledged");

    let su_path = format!("/incidents/{}/status_updates", triggered[2]);
    let update = json!({"message": "Checkout is degraded; a fix is rolling out."});
    c.refusals(&post, &su_path, Some(&update)).await;
    c.post(
        &su_path,
        json!({"message": "x", "subject": "only a subject"}),
        User,
        400,
    )
    .await;
    let sent = c.post(&su_path, update, Account, 200).await;
    assert_eq!(sent["status_update"]["sender"]["type"], "user_reference");
    let html =
        json!({"message": "Fixed", "subject": "Checkout restored", "html_message": "<p>Fixed</p>"});
    let sent = c.post(&su_path, html, User, 200).await;
    assert_eq!(sent["status_update"]["subject"], "Checkout restored");
}

/// The string at `pointer` in each item of a JSON array.
fn strings<'a>(list: &'a Value, pointer: &str) -> Vec<&'a str> {
    let items = list.as_array().expect("a list");
    items
        .iter()
        .map(|i| i.pointer(pointer).and_then(Value::as_str).expect(pointer))
        .collect()
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
    let per: Vec<String> = vec![
        format!("/users/{}/audit/records", acct.users[0].id),
        format!("/teams/{}/audit/records", acct.teams[3].id),
        format!("/schedules/{}/audit/records", sched.id),
        format!("/v3/schedules/{}/audit/records", acct.schedules_v3[0].id),
        format!(
            "/escalation_policies/{}/audit/records",
            acct.escalation_policies[0].id
        ),
        format!("/services/{}/audit/records", acct.services[0].id),
    ];
    let month = "since=2026-02-01T00:00:00Z&until=2026-03-02T12:00:00Z";
    for path in &per {
        c.refusals(&get, path, None).await;
        c.get(&format!("{path}?{month}&limit=5"), User, 200).await;
    }
    let all = "/audit/records";
    c.get(all, Anonymous, 401).await;
    let page = c.get(&format!("{all}?{month}&limit=2"), User, 200).await;
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = c
        .get(
            &format!("{all}?{month}&limit=2&cursor={cursor}"),
            Account,
            200,
        )
        .await;
    assert_ne!(next["records"][0]["id"], page["records"][1]["id"]);
    let deleted = c
        .get(&format!("{all}?{month}&actions[]=delete&root_resource_types[]=schedules&actor_type=api_key_reference"), User, 200)
        .await;
    // The seeded deletion, and the schedule deleted earlier in this test (named as it was).
    let names = strings(&deleted["records"], "/root_resource/summary");
    assert!(names.contains(&"Legacy DB On-Call"), "{names:?}");
    assert!(!names.contains(&""), "{names:?}");
    for bad in [
        "since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z",
        "actor_id=PUSER01",
        "cursor=NOPE",
        "actions[]=rename",
    ] {
        c.get(&format!("{all}?{bad}"), User, 400).await;
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
    let user = format!("/users/{}", samuel.id);
    for tail in [
        "contact_methods",
        "notification_rules",
        "oncall_handoff_notification_rules",
    ] {
        let path = format!("{user}/{tail}");
        c.refusals(&get, &path, None).await;
        c.get(&path, User, 200).await;
    }
    let cms = c
        .get(&format!("{user}/contact_methods"), Account, 200)
        .await;
    let kinds = strings(&cms["contact_methods"], "/type");
    assert_eq!(
        kinds,
        [
            "email_contact_method",
            "phone_contact_method",
            "sms_contact_method"
        ]
    );
    let rules = format!("{user}/notification_rules");
    let high = c.get(&rules, User, 200).await;
    assert_eq!(
        high["notification_rules"].as_array().unwrap().len(),
        3,
        "high urgency by default"
    );
    let all = c
        .get(
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
    c.get(&format!("{rules}?urgency=urgent"), User, 400).await;
}
