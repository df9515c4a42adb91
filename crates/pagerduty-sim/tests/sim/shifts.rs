//! Shift-based (v3) schedules as real schedules: rotations recur by RRULE, custom shifts and
//! overrides apply, and the result is what `/oncalls`, escalation policies and the final
//! schedule all agree on. Exact intervals at a fixed clock, and both sides of DST changes.

use jiff::Timestamp;
use pagerduty_sim::{SimConfig, Simulator, tokens};
use reqwest::StatusCode;
use serde_json::{Value, json};

const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn sim_at(now: &str) -> Simulator {
    Simulator::start(SimConfig {
        now: Some(t(now)),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

async fn send(
    sim: &Simulator,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut rb = reqwest::Client::new()
        .request(method, format!("{}{path}", sim.base_url()))
        .header("Accept", ACCEPT)
        .header(
            "Authorization",
            format!("Token token={}", tokens::DEMO_USER_TOKEN),
        )
        .header("From", tokens::DEMO_USER_EMAIL);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(sim: &Simulator, path: &str) -> Value {
    let (s, v) = send(sim, reqwest::Method::GET, path, None).await;
    assert_eq!(s, 200, "GET {path}: {v}");
    v
}

/// (user id or "-", start, end, source type), sorted.
fn assignments(schedule: &Value) -> Vec<(String, Timestamp, Timestamp, String)> {
    let mut v: Vec<_> = schedule["final_schedule"]["computed_shift_assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["member"]["user_id"].as_str().unwrap_or("-").to_owned(),
                t(a["start_time"].as_str().unwrap()),
                t(a["end_time"].as_str().unwrap()),
                a["source"]["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    v
}

/// The on-call entries of a `/oncalls` answer at escalation `level`.
fn at_level(oncalls: &Value, level: u64) -> Vec<&Value> {
    oncalls["oncalls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["escalation_level"] == level)
        .collect()
}

fn user(sim: &Simulator, i: usize) -> String {
    sim.state().users()[i].id.clone()
}

fn v3_id(sim: &Simulator, name: &str) -> String {
    sim.state().schedule_v3_by_name(name).unwrap().id
}

/// The seeded SRE schedule at a fixed Wednesday: the weekly primary hands off Mondays 09:00
/// London, an override swaps Thursday's primary, the weekend pair shares Saturdays and
/// Sundays, and a custom shift is half overridden.
#[tokio::test]
async fn seeded_shift_based_schedule_expands_to_exact_intervals() {
    let sim = sim_at("2026-11-18T10:00:00Z").await;
    let id = v3_id(&sim, "SRE Shift-Based On-Call");
    let got = get(
        &sim,
        &format!("/v3/schedules/{id}?include[]=final_schedule&since=2026-11-16T00:00:00Z&until=2026-11-30T00:00:00Z"),
    )
    .await;
    let u = |i| user(&sim, i);
    let row = |who: String, s: &str, e: &str, src: &str| (who, t(s), t(e), src.to_owned());
    let mut want = vec![
        row(
            u(0),
            "2026-11-16T00:00:00Z",
            "2026-11-16T09:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(3),
            "2026-11-16T09:00:00Z",
            "2026-11-19T10:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(7),
            "2026-11-19T10:00:00Z",
            "2026-11-20T10:00:00Z",
            "schedule_rotation_override",
        ),
        row(
            u(3),
            "2026-11-20T10:00:00Z",
            "2026-11-23T09:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(7),
            "2026-11-21T00:00:00Z",
            "2026-11-23T00:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(0),
            "2026-11-21T00:00:00Z",
            "2026-11-23T00:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(1),
            "2026-11-23T09:00:00Z",
            "2026-11-30T00:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(4),
            "2026-11-23T10:00:00Z",
            "2026-11-23T14:00:00Z",
            "custom_shift_override",
        ),
        row(
            u(5),
            "2026-11-23T14:00:00Z",
            "2026-11-23T18:00:00Z",
            "custom_shift",
        ),
        row(
            u(7),
            "2026-11-28T00:00:00Z",
            "2026-11-30T00:00:00Z",
            "schedule_rotation",
        ),
        row(
            u(0),
            "2026-11-28T00:00:00Z",
            "2026-11-30T00:00:00Z",
            "schedule_rotation",
        ),
    ];
    want.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    assert_eq!(assignments(&got["schedule"]), want);
    assert_eq!(
        got["schedule"]["final_schedule"]["rendered_coverage_percentage"],
        100.0
    );
    // Times are rendered in the schedule's zone unless asked otherwise.
    let first = &got["schedule"]["final_schedule"]["computed_shift_assignments"][0];
    assert_eq!(first["start_time"], "2026-11-16T00:00:00+00:00");
    let ny = get(
        &sim,
        &format!("/v3/schedules/{id}?include[]=final_schedule&since=2026-11-16T00:00:00Z&until=2026-11-17T00:00:00Z&time_zone=America/New_York"),
    )
    .await;
    assert_eq!(
        ny["schedule"]["final_schedule"]["computed_shift_assignments"][0]["start_time"],
        "2026-11-15T19:00:00-05:00"
    );
    // Without a range there is nothing to compute.
    let bare = get(
        &sim,
        &format!("/v3/schedules/{id}?include[]=final_schedule"),
    )
    .await;
    assert!(bare["schedule"].get("final_schedule").is_none());
}

/// A policy whose first level is the shift-based schedule: `/oncalls` lists its shifts, whole,
/// with the right level, and `earliest` keeps each person's first one.
#[tokio::test]
async fn oncalls_cover_an_escalation_level_that_targets_a_shift_based_schedule() {
    let sim = sim_at("2026-11-18T10:00:00Z").await;
    let sid = v3_id(&sim, "SRE Shift-Based On-Call");
    let ep = sim
        .state()
        .escalation_policy_by_name("SRE Escalation")
        .unwrap();
    let now = get(&sim, &format!("/oncalls?escalation_policy_ids[]={}", ep.id)).await;
    let level1 = at_level(&now, 1);
    assert_eq!(level1.len(), 1, "{now}");
    assert_eq!(level1[0]["user"]["id"], user(&sim, 3).as_str());
    assert_eq!(level1[0]["schedule"]["id"], sid.as_str());
    assert_eq!(level1[0]["schedule"]["summary"], "SRE Shift-Based On-Call");
    assert_eq!(
        t(level1[0]["start"].as_str().unwrap()),
        t("2026-11-16T09:00:00Z")
    );
    assert_eq!(
        t(level1[0]["end"].as_str().unwrap()),
        t("2026-11-19T10:00:00Z")
    );
    // "Now" follows the clock as a test moves it: the override, then next week's primary.
    for (at, who) in [("2026-11-19T12:00:00Z", 7), ("2026-11-24T10:00:00Z", 1)] {
        sim.set_now(t(at));
        let now = get(&sim, &format!("/oncalls?escalation_policy_ids[]={}", ep.id)).await;
        let level1 = at_level(&now, 1);
        assert_eq!(level1.len(), 1, "{at}: {now}");
        assert_eq!(level1[0]["user"]["id"], user(&sim, who).as_str(), "{at}");
    }
    sim.set_now(t("2026-11-18T10:00:00Z"));
    // Level 2 is the layer-based Platform Primary: both kinds answer in one list.
    assert!(!at_level(&now, 2).is_empty(), "{now}");

    let week = format!(
        "/oncalls?escalation_policy_ids[]={}&schedule_ids[]={sid}&since=2026-11-18T10:00:00Z&until=2026-11-25T10:00:00Z&limit=100",
        ep.id
    );
    let all = get(&sim, &week).await;
    let spans: Vec<(String, Timestamp)> = all["oncalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["user"]["id"].as_str().unwrap().to_owned(),
                t(o["start"].as_str().unwrap()),
            )
        })
        .collect();
    let u3 = user(&sim, 3);
    assert_eq!(
        spans.iter().filter(|(u, _)| *u == u3).count(),
        2,
        "u3 before and after the override: {all}"
    );
    let first = get(&sim, &format!("{week}&earliest=true")).await;
    let firsts = first["oncalls"].as_array().unwrap();
    assert!(firsts.len() < spans.len());
    assert_eq!(
        firsts
            .iter()
            .filter(|o| o["user"]["id"] == u3.as_str())
            .count(),
        1
    );
}

#[tokio::test]
async fn recurrences_pagerduty_rejects_are_rejected_with_its_error_shape() {
    let sim = sim_at("2026-11-18T10:00:00Z").await;
    let id = v3_id(&sim, "SRE Shift-Based On-Call");
    let rot = get(&sim, &format!("/v3/schedules/{id}/rotations")).await["rotations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let event = |rec: Value| {
        json!({"event": {
            "name": "Extra",
            "start_time": {"date_time": "2026-12-07T09:00:00Z", "time_zone": "Europe/London"},
            "end_time": {"date_time": "2026-12-07T17:00:00Z", "time_zone": "Europe/London"},
            "effective_since": "2026-12-07T00:00:00Z",
            "recurrence": rec,
            "assignment_strategy": {"type": "every_member_assignment_strategy",
                                    "members": [{"type": "user_member", "user_id": user(&sim, 0)}]},
        }})
    };
    let path = format!("/v3/schedules/{id}/rotations/{rot}/events");
    for bad in [
        json!(["RRULE:FREQ=BOGUS"]),
        json!(["RRULE:BYDAY=MO"]),
        json!(["RRULE:FREQ=WEEKLY;BYDAY=XX"]),
        json!(["RRULE:FREQ=WEEKLY", "RRULE:FREQ=DAILY"]),
        json!(["EXRULE:FREQ=DAILY"]),
    ] {
        let (s, v) = send(&sim, reqwest::Method::POST, &path, Some(event(bad.clone()))).await;
        assert_eq!(s, 400, "{bad}: {v}");
        assert_eq!(v["error"]["code"], 2001);
        assert!(
            v["error"]["errors"]["event.recurrence"].is_array(),
            "{bad}: {v}"
        );
    }
    // Positive control: a valid rule with an exception date is accepted.
    let (s, v) = send(
        &sim,
        reqwest::Method::POST,
        &path,
        Some(event(json!([
            "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
            "EXDATE;TZID=Europe/London:20261209T090000"
        ]))),
    )
    .await;
    assert_eq!(s, 201, "{v}");
}

/// Creates a shift-based schedule in `zone` with a weekly Monday 09:00 handoff between two
/// people, starting on `first_monday`, and returns its id.
async fn weekly_schedule(sim: &Simulator, zone: &str, first_monday: &str) -> String {
    let start = jiff::civil::Date::strptime("%Y-%m-%d", first_monday)
        .unwrap()
        .at(9, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get(zone).unwrap())
        .unwrap();
    let end = start.checked_add(jiff::Span::new().days(7)).unwrap();
    // As PagerDuty's API has it: the schedule, then its rotation, then the rotation's event.
    let body = json!({"schedule": {"name": format!("Weekly {zone}"), "time_zone": zone}});
    let (s, v) = send(sim, reqwest::Method::POST, "/v3/schedules", Some(body)).await;
    assert_eq!(s, 201, "{v}");
    let id = v["schedule"]["id"].as_str().unwrap().to_owned();
    let path = format!("/v3/schedules/{id}/rotations");
    let (s, v) = send(
        sim,
        reqwest::Method::POST,
        &path,
        Some(json!({"rotation": {}})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let rot = v["rotation"]["id"].as_str().unwrap().to_owned();
    let event = json!({"event": {
        "name": "Weekly",
        "start_time": {"date_time": start.timestamp().to_string(), "time_zone": zone},
        "end_time": {"date_time": end.timestamp().to_string(), "time_zone": zone},
        "effective_since": start.timestamp().to_string(),
        "recurrence": ["RRULE:FREQ=WEEKLY"],
        "assignment_strategy": {"type": "rotating_member_assignment_strategy", "shifts_per_member": 1,
            "members": [{"type": "user_member", "user_id": user(sim, 0)},
                        {"type": "user_member", "user_id": user(sim, 3)}]},
    }});
    let (s, v) = send(
        sim,
        reqwest::Method::POST,
        &format!("{path}/{rot}/events"),
        Some(event),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    id
}

/// Handoffs stay at 09:00 local on both sides of each DST change, in Berlin and New York,
/// spring and autumn.
#[tokio::test]
async fn weekly_handoffs_keep_local_time_across_dst_changes() {
    // (zone, first Monday, window since, until, the handoffs expected in it)
    let cases = [
        // Berlin spring: 2027-03-28 02:00 CET -> 03:00 CEST.
        (
            "Europe/Berlin",
            "2027-03-01",
            "2027-03-20T00:00:00Z",
            "2027-04-03T00:00:00Z",
            ["2027-03-22T09:00:00+01:00", "2027-03-29T09:00:00+02:00"],
        ),
        // Berlin autumn: 2026-10-25 03:00 CEST -> 02:00 CET.
        (
            "Europe/Berlin",
            "2026-10-05",
            "2026-10-17T00:00:00Z",
            "2026-10-31T00:00:00Z",
            ["2026-10-19T09:00:00+02:00", "2026-10-26T09:00:00+01:00"],
        ),
        // New York spring: 2027-03-14 02:00 EST -> 03:00 EDT.
        (
            "America/New_York",
            "2027-02-22",
            "2027-03-06T00:00:00Z",
            "2027-03-20T00:00:00Z",
            ["2027-03-08T09:00:00-05:00", "2027-03-15T09:00:00-04:00"],
        ),
        // New York autumn: 2026-11-01 02:00 EDT -> 01:00 EST.
        (
            "America/New_York",
            "2026-10-12",
            "2026-10-24T00:00:00Z",
            "2026-11-07T00:00:00Z",
            ["2026-10-26T09:00:00-04:00", "2026-11-02T09:00:00-05:00"],
        ),
    ];
    for (zone, first_monday, since, until, handoffs) in cases {
        // The clock sits before the change when the schedule is made.
        let sim = sim_at(&format!("{first_monday}T00:00:00Z")).await;
        let id = weekly_schedule(&sim, zone, first_monday).await;
        let got = get(
            &sim,
            &format!("/v3/schedules/{id}?include[]=final_schedule&since={since}&until={until}"),
        )
        .await;
        let starts: Vec<String> = got["schedule"]["final_schedule"]["computed_shift_assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["start_time"].as_str().unwrap().to_owned())
            .filter(|s| t(s) > t(since))
            .collect();
        assert_eq!(
            starts, handoffs,
            "{zone} {since}: rendered in the schedule's zone"
        );
        let [before, after] = handoffs.map(t);
        // One minute before the handoff the previous person is still on.
        let just_before = after
            .checked_sub(jiff::SignedDuration::from_mins(1))
            .unwrap();
        let prev = get(
            &sim,
            &format!("/v3/schedules/{id}?include[]=final_schedule&overflow=true&since={just_before}&until={after}"),
        )
        .await;
        let a = &prev["schedule"]["final_schedule"]["computed_shift_assignments"][0];
        assert_eq!(t(a["start_time"].as_str().unwrap()), before);
        assert_eq!(t(a["end_time"].as_str().unwrap()), after);
    }
}
