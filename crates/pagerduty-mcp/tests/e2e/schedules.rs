use pagerduty_sim::{FaultKind, FaultRule};
use serde_json::{Value, json};

use crate::harness::{Harness, all_have, array, ids, raw_ids, strs};

/// The seeded shift-based schedule with rotations, custom shifts and overrides.
async fn sre(h: &Harness) -> Value {
    let list = h.raw("/v3/schedules?query=SRE").await;
    let id = list["schedules"][0]["id"].as_str().unwrap().to_owned();
    h.raw(&format!("/v3/schedules/{id}")).await["schedule"].clone()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn list_schedules_merges_both_kinds() {
    let h = Harness::read_only().await;
    let v2 = h.raw("/schedules?limit=100").await;
    let v3 = h.raw("/v3/schedules").await;
    let got = h
        .ok("list_schedules", json!({"query_model": {"limit": 50}}))
        .await;
    let want: Vec<String> = array(&v2["schedules"])
        .iter()
        .chain(array(&v3["schedules"]))
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sorted(ids(&got)), sorted(want));
    let kinds: Vec<(&str, &str)> = array(&got["items"])
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("Platform Primary", "layer_based")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("SRE Shift-Based On-Call", "shift_based")),
        "{kinds:?}"
    );
    // Enriched: shift-based schedules carry their time zone too.
    let sre = array(&got["items"])
        .iter()
        .find(|s| s["kind"] == "shift_based")
        .unwrap();
    assert!(sre["time_zone"].is_string(), "{sre}");
    assert_eq!(got["degraded"], false);
    assert_eq!(got["sources"][0]["status"], "ok");
    assert_eq!(got["sources"][1]["count"], 2);

    // A user filter reaches into both kinds: Carlos Mendes is on the Mobile Release Watch rotation.
    let carlos = h.sim.state().user_by_name("Carlos Mendes").unwrap().id;
    let got = h
        .ok(
            "list_schedules",
            json!({"query_model": {"user_ids": [carlos]}}),
        )
        .await;
    let names = strs(&got["items"], "name");
    assert_eq!(names, vec!["Mobile Release Watch"]);
}

#[tokio::test]
async fn list_schedules_survives_a_failing_source() {
    let h = Harness::read_only().await;
    h.always_fault("/v3/schedules", FaultKind::Status(403));
    let got = h.ok("list_schedules", json!({"query_model": {}})).await;
    assert_eq!(got["degraded"], true);
    assert_eq!(got["sources"][1]["status"], "error");
    assert!(
        got["sources"][1]["message"]
            .as_str()
            .unwrap()
            .contains("403")
    );
    assert_eq!(array(&got["items"]).len(), 4, "{got}");
    assert!(all_have(&got["items"], "/kind", "layer_based"));
}

#[tokio::test]
async fn get_schedule_answers_for_both_kinds() {
    let h = Harness::read_only().await;
    let v2 = h.raw("/schedules?query=Platform%20Primary").await["schedules"][0].clone();
    let got = h.ok("get_schedule", json!({"schedule_id": v2["id"]})).await;
    assert_eq!(got["kind"], "layer_based");
    assert_eq!(got["name"], v2["name"]);
    assert_eq!(got["time_zone"], "Europe/London");
    assert!(!array(&got["schedule_layers"]).is_empty());

    // A shift-based schedule: /schedules/{id} answers 400, the tool falls back to v3.
    let sre = sre(&h).await;
    let got = h
        .ok("get_schedule", json!({"schedule_id": sre["id"]}))
        .await;
    assert_eq!(got["kind"], "shift_based");
    assert_eq!(got["name"], sre["name"]);
    assert_eq!(got["rotations"][0]["id"], sre["rotations"][0]["id"]);
    assert_eq!(
        h.sim.requests().count(
            "GET",
            &format!("/v3/schedules/{}", sre["id"].as_str().unwrap())
        ),
        2
    );
    // The kind hint goes straight there, and a wrong hint still finds the schedule.
    let hinted = h
        .ok(
            "get_schedule",
            json!({"schedule_id": v2["id"], "kind": "shift_based"}),
        )
        .await;
    assert_eq!(hinted["kind"], "layer_based");
}

#[tokio::test]
async fn list_schedule_users_matches_the_api() {
    let h = Harness::read_only().await;
    let id = h.raw_first_id("/schedules?query=Payments").await;
    let (since, until) = ("2030-01-01T00:00:00Z", "2030-01-15T00:00:00Z");
    let raw = h
        .raw(&format!(
            "/schedules/{id}/users?since={since}&until={until}"
        ))
        .await;
    let got = h
        .ok(
            "list_schedule_users",
            json!({"schedule_id": id, "since": since, "until": until}),
        )
        .await;
    let want = raw_ids(&raw, "users");
    assert!(!want.is_empty());
    assert_eq!(sorted(ids(&got)), sorted(want));
    h.err_says(
        "list_schedule_users",
        json!({"schedule_id": id, "since": until, "until": since}),
        &["`until`", "must be after since"],
    )
    .await;
}

#[tokio::test]
async fn v3_reads_match_the_api() {
    let h = Harness::read_only().await;
    let s = sre(&h).await;
    let sid = s["id"].as_str().unwrap();
    let rot = &s["rotations"][0];
    let rid = rot["id"].as_str().unwrap();

    let got = h
        .ok("list_schedule_v3_rotations", json!({"schedule_id": sid}))
        .await;
    assert_eq!(
        ids(&got),
        vec![
            rid.to_owned(),
            s["rotations"][1]["id"].as_str().unwrap().to_owned()
        ]
    );
    let got = h
        .ok(
            "get_schedule_v3_rotation",
            json!({"schedule_id": sid, "rotation_id": rid}),
        )
        .await;
    assert_eq!(got["events"][0]["name"], "Weekly primary");

    let events = h
        .ok(
            "list_schedule_v3_rotation_events",
            json!({"schedule_id": sid, "rotation_id": rid}),
        )
        .await;
    let eid = rot["events"][0]["id"].as_str().unwrap();
    assert_eq!(ids(&events), vec![eid.to_owned()]);
    let ev = h
        .ok(
            "get_schedule_v3_rotation_event",
            json!({"schedule_id": sid, "rotation_id": rid, "event_id": eid}),
        )
        .await;
    assert_eq!(ev["recurrence"], json!(["RRULE:FREQ=WEEKLY"]));
    assert_eq!(
        ev["assignment_strategy"],
        rot["events"][0]["assignment_strategy"]
    );

    let (since, until) = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    let raw = h
        .raw(&format!(
            "/v3/schedules/{sid}/custom_shifts?since={since}&until={until}"
        ))
        .await;
    let shifts = h
        .ok(
            "list_schedule_v3_custom_shifts",
            json!({"schedule_id": sid, "since": since, "until": until}),
        )
        .await;
    let want = raw_ids(&raw, "custom_shifts");
    assert_eq!(want.len(), 2);
    assert_eq!(ids(&shifts), want);
    let one = h
        .ok(
            "get_schedule_v3_custom_shift",
            json!({"schedule_id": sid, "custom_shift_id": want[1]}),
        )
        .await;
    assert_eq!(one["start_time"], raw["custom_shifts"][1]["start_time"]);
    assert_eq!(
        one["assignments"][0]["member"],
        raw["custom_shifts"][1]["assignments"][0]["member"]
    );

    let raw = h
        .raw(&format!(
            "/v3/schedules/{sid}/overrides?since={since}&until={until}"
        ))
        .await;
    let ovr = h
        .ok(
            "list_schedule_v3_overrides",
            json!({"schedule_id": sid, "since": since, "until": until}),
        )
        .await;
    assert_eq!(array(&ovr["items"]).len(), 2);
    assert_eq!(ovr["items"][0]["rotation_id"], rid);
    let oid = raw["overrides"][0]["id"].as_str().unwrap();
    let one = h
        .ok(
            "get_schedule_v3_override",
            json!({"schedule_id": sid, "override_id": oid}),
        )
        .await;
    assert_eq!(
        one["overriding_member"],
        raw["overrides"][0]["overriding_member"]
    );

    // Bad input: each read refuses it clearly.
    h.err_table(&[
        (
            "list_schedule_v3_custom_shifts",
            json!({"schedule_id": sid, "since": until, "until": since}),
            &["`until`"],
        ),
        (
            "list_schedule_v3_overrides",
            json!({"schedule_id": sid, "until": until}),
            &["since"],
        ),
        (
            "list_schedule_v3_rotations",
            json!({"schedule_id": sid, "limit": 0}),
            &["`limit`"],
        ),
        (
            "get_schedule_v3_rotation",
            json!({"schedule_id": sid, "rotation_id": "AGO4NOPE"}),
            &["Rotation AGO4NOPE of schedule", "not found (404)"],
        ),
        (
            "list_schedule_v3_rotation_events",
            json!({"schedule_id": sid, "rotation_id": "a/b"}),
            &["not a valid rotation id"],
        ),
        (
            "get_schedule_v3_rotation_event",
            json!({"schedule_id": sid, "rotation_id": rid, "event_id": "AGO4NOPE"}),
            &["Rotation event AGO4NOPE"],
        ),
        (
            "get_schedule_v3_custom_shift",
            json!({"schedule_id": sid, "custom_shift_id": "AGO4NOPE"}),
            &["Custom shift AGO4NOPE"],
        ),
        (
            "get_schedule_v3_override",
            json!({"schedule_id": sid}),
            &["override_id"],
        ),
    ])
    .await;
    // A layer-based schedule through the v3 tools: PagerDuty's own explanation comes through.
    let v2 = h.raw_first_id("/schedules?limit=1").await;
    h.err_says(
        "list_schedule_v3_rotations",
        json!({"schedule_id": v2}),
        &["layer-based schedule"],
    )
    .await;
}

fn event(name: &str, user: &str, start: &str, end: &str, since: &str) -> Value {
    json!({
        "name": name,
        "start_time": {"date_time": start, "time_zone": "America/New_York"},
        "end_time": {"date_time": end, "time_zone": "America/New_York"},
        "effective_since": since,
        "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO"],
        "assignment_strategy": {"type": "rotating_member_assignment_strategy", "members": [{"type": "user_member", "user_id": user}]},
    })
}

#[tokio::test]
async fn v3_schedule_lifecycle() {
    let h = Harness::with_writes().await;
    let me = h.sim.state().demo_user().unwrap().id;
    let team = h.sim.state().teams()[1].id.clone();

    // create_schedule with a rotation and its event; a bare date-time is read in its zone.
    let made = h
        .ok(
            "create_schedule",
            json!({"schedule_data": {
                "name": "Night Watch", "time_zone": "America/New_York", "description": "nights",
                "teams": [{"id": team}],
                "rotations": [{"events": [event("Nights", &me, "2031-01-06T20:00", "2031-01-07T08:00", "2031-01-06T00:00:00Z")]}],
            }}),
        )
        .await;
    let sid = made["id"].as_str().unwrap().to_owned();
    // `POST /v3/schedules` takes no rotations (the simulator drops them, as PagerDuty does):
    // the rotation and its event were created with their own calls, and the answer shows them.
    let log = h.sim.requests();
    assert_eq!(log.count("POST", "/v3/schedules"), 1);
    assert_eq!(
        log.count("POST", &format!("/v3/schedules/{sid}/rotations")),
        1
    );
    let rid0 = made["rotations"][0]["id"].as_str().unwrap();
    assert_eq!(
        log.count(
            "POST",
            &format!("/v3/schedules/{sid}/rotations/{rid0}/events")
        ),
        1
    );
    assert_eq!(made["rotations"][0]["events"][0]["name"], "Nights");
    let raw = h.raw(&format!("/v3/schedules/{sid}")).await["schedule"].clone();
    assert_eq!(raw["name"], "Night Watch");
    assert_eq!(raw["teams"][0]["id"], team);
    let ev = &raw["rotations"][0]["events"][0];
    assert_eq!(
        ev["start_time"]["date_time"], "2031-01-07T01:00:00Z",
        "20:00 New York"
    );
    assert_eq!(
        ev["assignment_strategy"]["shifts_per_member"], 1,
        "defaulted"
    );

    // update_schedule keeps name and time zone it was not given.
    let up = h
        .ok(
            "update_schedule",
            json!({"schedule_id": sid, "schedule_data": {"description": "overnight cover"}}),
        )
        .await;
    assert_eq!(up["description"], "overnight cover");
    let raw = h.raw(&format!("/v3/schedules/{sid}")).await["schedule"].clone();
    assert_eq!(
        (raw["name"].as_str(), raw["time_zone"].as_str()),
        (Some("Night Watch"), Some("America/New_York"))
    );

    // Rotation → event → update → delete.
    let rot = h
        .ok("create_schedule_v3_rotation", json!({"schedule_id": sid}))
        .await;
    let rid = rot["id"].as_str().unwrap().to_owned();
    assert_eq!(rot["events"], json!([]));
    let ev = h
        .ok(
            "create_schedule_v3_rotation_event",
            json!({"schedule_id": sid, "rotation_id": rid,
                   "event_data": event("Mondays", &me, "2031-02-03T09:00:00-05:00", "2031-02-03T17:00:00-05:00", "2031-02-03T00:00:00Z")}),
        )
        .await;
    let eid = ev["id"].as_str().unwrap().to_owned();
    let mut changed = event(
        "Mondays (late)",
        &me,
        "2031-02-03T10:00:00-05:00",
        "2031-02-03T18:00:00-05:00",
        "2031-02-03T00:00:00Z",
    );
    changed["effective_until"] = json!("2031-06-01T00:00:00Z");
    let up = h
        .ok(
            "update_schedule_v3_rotation_event",
            json!({"schedule_id": sid, "rotation_id": rid, "event_id": eid, "event_data": changed}),
        )
        .await;
    assert_eq!(up["name"], "Mondays (late)");
    let raw = h
        .raw(&format!("/v3/schedules/{sid}/rotations/{rid}/events/{eid}"))
        .await;
    assert_eq!(raw["event"]["effective_until"], "2031-06-01T00:00:00Z");
    assert_eq!(
        raw["event"]["start_time"]["date_time"],
        "2031-02-03T15:00:00Z"
    );

    // Custom shifts: create, update, delete.
    let shifts = h
        .ok(
            "create_schedule_v3_custom_shifts",
            json!({"schedule_id": sid, "custom_shifts": [
                {"start_time": "2031-03-01T09:00:00Z", "end_time": "2031-03-01T17:00:00Z", "assignments": [{"member": {"type": "user_member", "user_id": me}}]},
                {"type": "custom_shift", "start_time": "2031-03-02T09:00:00Z", "end_time": "2031-03-02T17:00:00Z", "assignments": [{"member": {"type": "empty_member"}}]}
            ]}),
        )
        .await;
    assert_eq!(array(&shifts["items"]).len(), 2);
    let cid = shifts["items"][0]["id"].as_str().unwrap().to_owned();
    let up = h
        .ok(
            "update_schedule_v3_custom_shift",
            json!({"schedule_id": sid, "custom_shift_id": cid, "shift_data": {
                "start_time": "2031-03-01T10:00:00Z", "end_time": "2031-03-01T20:00:00Z",
                "assignments": [{"member": {"type": "user_member", "user_id": me}}]}}),
        )
        .await;
    assert_eq!(up["end_time"], "2031-03-01T20:00:00Z");
    let raw = h
        .raw(&format!("/v3/schedules/{sid}/custom_shifts/{cid}"))
        .await;
    assert_eq!(raw["custom_shift"]["start_time"], "2031-03-01T10:00:00Z");

    // Overrides: create on the rotation, update (flat arguments), delete.
    let other = h.sim.state().users()[3].id.clone();
    let ovr = h
        .ok(
            "create_schedule_v3_overrides",
            json!({"schedule_id": sid, "overrides": [{"rotation_id": rid, "start_time": "2031-02-10T14:00:00Z", "end_time": "2031-02-10T22:00:00Z",
                "overridden_member": {"type": "user_member", "user_id": me}, "overriding_member": {"type": "user_member", "user_id": other}}]}),
        )
        .await;
    let oid = ovr["items"][0]["id"].as_str().unwrap().to_owned();
    let up = h
        .ok(
            "update_schedule_v3_override",
            json!({"schedule_id": sid, "override_id": oid, "start_time": "2031-02-10T15:00:00Z", "end_time": "2031-02-10T21:00:00Z",
                   "overridden_member_type": "user_member", "overridden_member_user_id": me, "overriding_member_type": "empty_member"}),
        )
        .await;
    assert_eq!(up["overriding_member"], json!({"type": "empty_member"}));
    let raw = h.raw(&format!("/v3/schedules/{sid}/overrides/{oid}")).await;
    assert_eq!(raw["override"]["start_time"], "2031-02-10T15:00:00Z");

    // Deletes: each object is gone afterwards (404).
    let del = h
        .ok(
            "delete_schedule_v3_override",
            json!({"schedule_id": sid, "override_id": oid}),
        )
        .await;
    assert_eq!(del, json!({"deleted": true, "id": oid}));
    h.err_says(
        "get_schedule_v3_override",
        json!({"schedule_id": sid, "override_id": oid}),
        &["not found (404)"],
    )
    .await;
    h.ok(
        "delete_schedule_v3_custom_shift",
        json!({"schedule_id": sid, "custom_shift_id": cid}),
    )
    .await;
    h.err_says(
        "get_schedule_v3_custom_shift",
        json!({"schedule_id": sid, "custom_shift_id": cid}),
        &["not found (404)"],
    )
    .await;
    h.ok(
        "delete_schedule_v3_rotation_event",
        json!({"schedule_id": sid, "rotation_id": rid, "event_id": eid}),
    )
    .await;
    let events = h
        .raw(&format!("/v3/schedules/{sid}/rotations/{rid}/events"))
        .await;
    assert_eq!(events["events"], json!([]));
    h.ok(
        "delete_schedule_v3_rotation",
        json!({"schedule_id": sid, "rotation_id": rid}),
    )
    .await;
    let rots = h.raw(&format!("/v3/schedules/{sid}/rotations")).await;
    assert_eq!(array(&rots["rotations"]).len(), 1);
    h.ok("delete_schedule_v3", json!({"schedule_id": sid}))
        .await;
    h.err_table(&[
        (
            "get_schedule",
            json!({"schedule_id": sid, "kind": "shift_based"}),
            &["not found (404)"],
        ),
        (
            "delete_schedule_v3",
            json!({"schedule_id": sid}),
            &["not found (404)"],
        ),
    ])
    .await;
}

#[tokio::test]
async fn v3_writes_refuse_bad_input() {
    let h = Harness::with_writes().await;
    let me = h.sim.state().demo_user().unwrap().id;
    let s = sre(&h).await;
    let sid = s["id"].as_str().unwrap();
    let rid = s["rotations"][0]["id"].as_str().unwrap();
    let eid = s["rotations"][0]["events"][0]["id"].as_str().unwrap();

    h.err_table(&[
        (
            "create_schedule",
            json!({"schedule_data": {"name": "x", "time_zone": "Mars/Base"}}),
            &["schedule_data.time_zone", "IANA"],
        ),
        (
            "update_schedule",
            json!({"schedule_id": sid, "schedule_data": {"rotations": []}}),
            &["create_schedule_v3_rotation"],
        ),
        // `PUT /v3/schedules/{id}` takes no teams: refused rather than silently dropped.
        (
            "update_schedule",
            json!({"schedule_id": sid, "schedule_data": {"teams": [{"id": "PTEAM01", "type": "team_reference"}]}}),
            &["schedule_data.teams"],
        ),
        (
            "create_schedule_v3_rotation",
            json!({"schedule_id": "PNOPE00"}),
            &["not found (404)"],
        ),
    ])
    .await;

    let backwards = event(
        "x",
        &me,
        "2031-01-06T20:00:00Z",
        "2031-01-06T08:00:00Z",
        "2031-01-01T00:00:00Z",
    );
    h.err_says(
        "create_schedule_v3_rotation_event",
        json!({"schedule_id": sid, "rotation_id": rid, "event_data": backwards}),
        &["event_data.end_time", "must be after start_time"],
    )
    .await;
    let mut no_rule = event(
        "x",
        &me,
        "2031-01-06T08:00:00Z",
        "2031-01-06T20:00:00Z",
        "2031-01-01T00:00:00Z",
    );
    no_rule["recurrence"] = json!(["FREQ=DAILY"]);
    h.err_says(
        "create_schedule_v3_rotation_event",
        json!({"schedule_id": sid, "rotation_id": rid, "event_data": no_rule}),
        &["RRULE"],
    )
    .await;
    // The seeded event is active: PagerDuty (the simulator) only lets effective_until change.
    let renamed = event(
        "Renamed",
        &me,
        "2031-01-06T08:00:00Z",
        "2031-01-06T20:00:00Z",
        "2031-01-01T00:00:00Z",
    );
    h.err_says(
        "update_schedule_v3_rotation_event",
        json!({"schedule_id": sid, "rotation_id": rid, "event_id": eid, "event_data": renamed}),
        &["event.name: cannot be changed once the event is active"],
    )
    .await;

    h.err_table(&[
        (
            "create_schedule_v3_custom_shifts",
            json!({"schedule_id": sid, "custom_shifts": [
            {"start_time": "2031-03-01T17:00:00Z", "end_time": "2031-03-01T09:00:00Z", "assignments": [{"member": {"type": "user_member", "user_id": me}}]}]}),
            &["custom_shifts[0].end_time"],
        ),
        // Checked by PagerDuty, reported field by field (v3 error body).
        (
            "create_schedule_v3_custom_shifts",
            json!({"schedule_id": sid, "custom_shifts": [
            {"start_time": "2031-03-01T09:00:00Z", "end_time": "2031-03-01T17:00:00Z", "assignments": [{"member": {"type": "user_member", "user_id": "PNOBODY"}}]}]}),
            &["custom_shifts[0].assignments[0].member.user_id: User PNOBODY not found"],
        ),
    ])
    .await;
    let shift = s["rotations"][0]["id"].as_str().unwrap();
    h.err_says(
        "update_schedule_v3_custom_shift",
        json!({"schedule_id": sid, "custom_shift_id": shift, "shift_data": {
            "start_time": "2031-03-01T09:00:00Z", "end_time": "2031-03-01T17:00:00Z", "assignments": []}}),
        &["shift_data.assignments", "exactly one"],
    )
    .await;

    h.err_table(&[
        (
            "create_schedule_v3_overrides",
            json!({"schedule_id": sid, "overrides": [{"start_time": "2031-02-10T14:00:00Z", "end_time": "2031-02-10T22:00:00Z",
            "overridden_member": {"type": "user_member", "user_id": me}, "overriding_member": {"type": "empty_member"}}]}),
            &["overrides[0].rotation_id", "exactly one"],
        ),
        (
            "update_schedule_v3_override",
            json!({"schedule_id": sid, "override_id": "AGO4X", "start_time": "2031-02-10T15:00:00Z", "end_time": "2031-02-10T21:00:00Z",
            "overridden_member_type": "user_member", "overriding_member_type": "user_member", "overriding_member_user_id": me}),
            &["overridden_member_user_id", "needs a user_id"],
        ),
    ])
    .await;

    for (tool, args) in [
        (
            "delete_schedule_v3_rotation",
            json!({"schedule_id": sid, "rotation_id": "AGO4NOPE"}),
        ),
        (
            "delete_schedule_v3_rotation_event",
            json!({"schedule_id": sid, "rotation_id": rid, "event_id": "AGO4NOPE"}),
        ),
        (
            "delete_schedule_v3_custom_shift",
            json!({"schedule_id": sid, "custom_shift_id": "AGO4NOPE"}),
        ),
        (
            "delete_schedule_v3_override",
            json!({"schedule_id": sid, "override_id": "AGO4NOPE"}),
        ),
    ] {
        let msg = h.err(tool, args).await;
        assert!(
            msg.contains("AGO4NOPE") && msg.contains("not found (404)"),
            "{tool}: {msg}"
        );
    }
}

#[tokio::test]
async fn create_schedule_override_reports_each_override() {
    let h = Harness::with_writes().await;
    let sched = h.sim.state().schedule_by_name("Payments On-Call").unwrap();
    let me = h.sim.state().demo_user().unwrap().id;
    let got = h
        .ok(
            "create_schedule_override",
            json!({"schedule_id": sched.id, "override_request": {"overrides": [
                {"start": "2031-05-01T08:00:00Z", "end": "2031-05-01T20:00:00Z", "user_id": me},
                {"start": "2031-05-02T08:00:00Z", "end": "2031-05-02T20:00:00Z", "user_id": "PNOBODY"}
            ]}}),
        )
        .await;
    assert_eq!(
        (got["created"].as_u64(), got["rejected"].as_u64()),
        (Some(1), Some(1)),
        "{got}"
    );
    assert!(
        got["overrides"][1]["errors"][0]
            .as_str()
            .unwrap()
            .contains("PNOBODY")
    );
    let id = got["overrides"][0]["override"]["id"].as_str().unwrap();
    let raw = h
        .raw(&format!(
            "/schedules/{}/overrides?since=2031-05-01T00:00:00Z&until=2031-05-03T00:00:00Z",
            sched.id
        ))
        .await;
    assert_eq!(raw["overrides"][0]["id"], id);
    assert_eq!(raw["overrides"][0]["user"]["id"], me);
    // Whoever is on call then is the override's user.
    let users = h
        .ok("list_schedule_users", json!({"schedule_id": sched.id, "since": "2031-05-01T09:00:00Z", "until": "2031-05-01T10:00:00Z"}))
        .await;
    assert_eq!(ids(&users), vec![me.clone()]);

    h.err_says(
        "create_schedule_override",
        json!({"schedule_id": sched.id, "override_request": {"overrides": [
            {"start": "2031-05-01T20:00:00Z", "end": "2031-05-01T08:00:00Z", "user_id": me}]}}),
        &["override_request.overrides[0].end"],
    )
    .await;
}

#[tokio::test]
async fn create_schedule_says_what_exists_when_a_later_step_fails() {
    let h = Harness::with_writes().await;
    let me = h.sim.state().demo_user().unwrap().id;
    // The schedule is created; creating its first rotation fails (a write is not retried).
    h.sim.faults().add(
        FaultRule::new(FaultKind::Status(500))
            .method(http::Method::POST)
            .path("/v3/schedules/")
            .times(1),
    );
    let msg = h
        .err(
            "create_schedule",
            json!({"schedule_data": {
                "name": "Half Built", "time_zone": "UTC",
                "rotations": [{"events": [event("Days", &me, "2031-01-06T09:00:00Z", "2031-01-06T17:00:00Z", "2031-01-06T00:00:00Z")]}],
            }}),
        )
        .await;
    let made = h
        .sim
        .state()
        .account()
        .schedules_v3
        .iter()
        .find(|s| s.name == "Half Built")
        .map(|s| s.id.clone())
        .expect("the schedule itself was created");
    assert!(
        msg.contains(&format!("Schedule {made} (Half Built) was created"))
            && msg.contains("creating rotation 1 failed")
            && msg.contains("create_schedule_v3_rotation"),
        "{msg}"
    );
}
