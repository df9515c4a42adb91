//! The audit trail: a write made over MCP shows up in it right after, and the seeded trail
//! answers the security review's questions (who overrode, who deleted a schedule).

use serde_json::{Value, json};

use crate::harness::{Harness, array};

fn summary(records: &Value) -> Vec<(String, String, String, String)> {
    array(&records["records"])
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_owned(),
                r["by"]["name"].as_str().unwrap_or("-").to_owned(),
                r["resource"]["name"].as_str().unwrap_or("-").to_owned(),
                r["changed"]["kind"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_override_made_over_mcp_is_in_the_schedules_trail() {
    let h = Harness::with_writes().await;
    let sched = h.sim.state().schedule_by_name("Platform Primary").unwrap();
    let me = h.sim.state().demo_user().unwrap().id;
    // Before: only Yuki's override from this morning (the description edit is 26 hours old).
    let before = h
        .ok(
            "list_audit_records",
            json!({"resource_type": "schedule", "resource": "Platform Primary"}),
        )
        .await;
    assert_eq!(
        summary(&before),
        [(
            "create".into(),
            "Yuki Tanaka".into(),
            "Platform Primary".into(),
            "override".into()
        )]
    );
    let made = h
        .ok(
            "create_schedule_override",
            json!({"schedule_id": sched.id, "override_request": {"overrides": [
                {"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T20:00:00Z", "user_id": me}]}}),
        )
        .await;
    assert_eq!(made["created"], 1, "{made}");
    let after = h
        .ok(
            "list_audit_records",
            json!({"resource_type": "schedule", "resource": sched.id}),
        )
        .await;
    let rows = summary(&after);
    assert_eq!(rows.len(), 2, "{after}");
    assert_eq!(
        rows[0],
        (
            "create".into(),
            "Morgan Lee".into(),
            "Platform Primary".into(),
            "override".into()
        )
    );
    let mine = &after["records"][0];
    assert_eq!(mine["at"], "2026-11-18T10:00:00Z");
    assert_eq!(mine["via"], "api_token …demo");
    let fields: Vec<(&str, &str)> = array(&mine["fields"])
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("user", me.as_str())), "{fields:?}");
    assert!(
        fields.contains(&("start", "2026-11-20T08:00:00Z")),
        "{fields:?}"
    );
    // The same change account-wide, filtered by actor: only the demo user's.
    let by_me = h
        .ok(
            "list_audit_records",
            json!({"actor": "morgan.lee@example.com"}),
        )
        .await;
    assert_eq!(summary(&by_me), rows[..1]);
    // A read changes nothing.
    let again = h
        .ok(
            "list_audit_records",
            json!({"resource_type": "schedule", "resource": sched.id}),
        )
        .await;
    assert_eq!(summary(&again), rows);
}

#[tokio::test]
async fn the_seeded_trail_by_action_type_and_window() {
    let h = Harness::read_only().await;
    let month = json!({"since": "2026-10-25T00:00:00Z", "until": "2026-11-18T10:00:00Z"});
    let mut all_args = month.clone();
    all_args["limit"] = json!(100);
    let all = h.ok("list_audit_records", all_args).await;
    assert_eq!(
        summary(&all),
        [
            ("create", "Yuki Tanaka", "Platform Primary", "override"),
            ("update", "Yuki Tanaka", "Platform Primary", "-"),
            ("update", "Olivia Brown", "Mobile Escalation", "-"),
            ("update", "Priya Shah", "Checkout API", "-"),
            ("update", "Hannah Schmidt", "Data", "user"),
            ("delete", "General access API key", "Legacy DB On-Call", "-"),
        ]
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    // The deletion was made with the account key, which has no user.
    let mut deletes = month.clone();
    deletes["actions"] = json!(["delete"]);
    deletes["resource_type"] = json!("schedule");
    let deleted = h.ok("list_audit_records", deletes).await;
    assert_eq!(array(&deleted["records"]).len(), 1);
    assert_eq!(deleted["records"][0]["by"]["kind"], "api_key");
    assert_eq!(
        deleted["records"][0]["fields"][0],
        json!({"name": "name", "before": "Legacy DB On-Call"})
    );
    // Cursor paging walks the same records, newest first, without repeats.
    let mut paged = Vec::new();
    let mut args = month.clone();
    args["limit"] = json!(4);
    loop {
        let page = h.ok("list_audit_records", args.clone()).await;
        paged.extend(summary(&page));
        match page["next_cursor"].as_str() {
            Some(c) => args["cursor"] = json!(c),
            None => break,
        }
    }
    assert_eq!(paged, summary(&all));
    // A resource's trail with an action filter is filtered here, and says so.
    let team_trail = async |action: &str| {
        let args = json!({"resource_type": "team", "resource": "Data", "actions": [action],
                          "since": "2026-10-25T00:00:00Z"});
        h.ok("list_audit_records", args).await
    };
    let team = team_trail("delete").await;
    assert_eq!(team["records"], json!([]));
    assert!(team["note"].as_str().unwrap().contains("applied"), "{team}");
    let team = team_trail("update").await;
    assert_eq!(team["records"][0]["changed"]["name"], "Emma Dubois");
}
