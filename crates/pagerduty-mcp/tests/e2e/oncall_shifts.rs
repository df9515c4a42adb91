//! On-call answers that are right for every schedule: shift-based schedules in every on-call
//! tool, exact whole-second coverage gaps, id-first resolution, one zone rule, every shift by
//! default, and a clock the tests fix (both sides of DST changes).

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::harness::{Harness, Options, array};

fn ts(v: &Value) -> Timestamp {
    v.as_str().unwrap().parse().unwrap()
}

fn user(h: &Harness, i: usize) -> String {
    h.sim.state().users()[i].id.clone()
}

fn v3_id(h: &Harness, name: &str) -> String {
    h.sim.state().schedule_v3_by_name(name).unwrap().id
}

/// Gaps as (start, end) pairs of the first coverage entry named `name`.
pub fn gaps_of(got: &Value, name: &str) -> Vec<(String, String)> {
    let entry = array(&got["coverage"])
        .iter()
        .find(|c| c["schedule"]["summary"] == name)
        .unwrap_or_else(|| panic!("{name} in {got}"));
    array(&entry["gaps"])
        .iter()
        .map(|g| {
            (
                g["start"].as_str().unwrap().to_owned(),
                g["end"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The default window starts at "now": fully covered schedules of both kinds report no gap
/// (no sub-second "gap" at the end), and nothing prints as negative zero.
#[tokio::test]
async fn fully_covered_schedules_of_both_kinds_have_no_gaps() {
    let h = Harness::read_only().await;
    let got = h
        .ok(
            "find_coverage_gaps",
            json!({"schedules": ["Platform Primary", "Platform Secondary", "Payments On-Call", "SRE Shift-Based On-Call"]}),
        )
        .await;
    let coverage = array(&got["coverage"]);
    assert_eq!(coverage.len(), 4);
    for c in coverage {
        assert_eq!(c["gaps"], json!([]), "{c}");
        assert_eq!(c["uncovered_hours"], 0.0);
        assert!(c.get("error").is_none());
    }
    assert_eq!(coverage[3]["kind"], "shift_based");
    assert_eq!(coverage[0]["kind"], "layer_based");
    assert_eq!(got["summary"], "Someone is on call throughout the window.");
    assert!(!got.to_string().contains("-0.0"), "{got}");
    // The window is whole seconds and starts at the fixed "now", in the user's zone.
    let demo = h.sim.state().demo_user().unwrap();
    assert_eq!(got["time_zone"], demo.time_zone.as_str());
    assert_eq!(ts(&got["since"]), h.sim.now());
    // Policies without gaps: nothing counted, no negative zero (positive control: Data).
    for (policy, gapped) in [
        ("Platform Escalation", 0),
        ("SRE Escalation", 1),
        ("Data Escalation", 1),
    ] {
        let got = h
            .ok("find_coverage_gaps", json!({"escalation_policy": policy}))
            .await;
        let with_gaps = array(&got["coverage"])
            .iter()
            .filter(|c| !array(&c["gaps"]).is_empty())
            .count();
        assert_eq!(with_gaps, gapped, "{policy}: {got}");
        assert!(!got.to_string().contains("-0.0"), "{got}");
        assert!(
            array(&got["coverage"])
                .iter()
                .all(|c| c.get("error").is_none())
        );
    }
}

/// A mixed request: a layer-based schedule, a shift-based one with exact weekday gaps, and
/// an id nobody has, which is reported without failing the others.
#[tokio::test]
async fn a_mixed_request_answers_for_each_schedule() {
    let h = Harness::read_only().await;
    // The week after the fixed now, midnight to midnight Los Angeles: Mobile Release Watch's
    // rotation puts its first member on 08:00-18:00 Monday to Friday.
    let (since, until) = ("2026-11-23T08:00:00Z", "2026-11-30T08:00:00Z");
    let got = h
        .ok(
            "find_coverage_gaps",
            json!({"schedules": ["Data Business Hours", "Mobile Release Watch", "PNOSUCH1"],
                   "since": since, "until": until, "time_zone": "America/Los_Angeles"}),
        )
        .await;
    let coverage = array(&got["coverage"]);
    assert_eq!(coverage.len(), 3, "{got}");
    let d = |day: u8, hour: u8| format!("2026-11-{day:02}T{hour:02}:00:00-08:00");
    let mut want = vec![(d(23, 0), d(23, 8))];
    for day in 23..27 {
        want.push((d(day, 18), d(day + 1, 8)));
    }
    want.push((d(27, 18), "2026-11-30T00:00:00-08:00".to_owned()));
    assert_eq!(gaps_of(&got, "Mobile Release Watch"), want);
    let mobile = coverage
        .iter()
        .find(|c| c["schedule"]["summary"] == "Mobile Release Watch")
        .unwrap();
    assert_eq!(mobile["kind"], "shift_based");
    assert_eq!(mobile["uncovered_hours"], 118.0, "168 h minus 5 × 10 h");
    assert_eq!(mobile["gaps"][0]["seconds"], 8 * 3600);
    // 09:00-17:00 Berlin is 00:00-08:00 here: the window opens covered.
    assert_eq!(gaps_of(&got, "Data Business Hours").len(), 5);
    let missing = &coverage[2];
    assert_eq!(missing["schedule"]["id"], "PNOSUCH1");
    assert!(
        missing["error"].as_str().unwrap().contains("PNOSUCH1"),
        "{missing}"
    );
    let summary = got["summary"].as_str().unwrap();
    assert!(summary.starts_with("2 of 2 have gaps"), "{summary}");
    assert!(summary.contains("Could not be read: PNOSUCH1"), "{summary}");
}

/// An escalation policy whose first level is a shift-based schedule: who_is_on_call, gaps per
/// level, list_oncalls, get_schedule and list_schedule_users all see its shifts.
#[tokio::test]
async fn every_oncall_tool_sees_shift_based_schedules() {
    let h = Harness::read_only().await;
    let sre = v3_id(&h, "SRE Shift-Based On-Call");
    let (u3, u7) = (user(&h, 3), user(&h, 7));

    // By name and by id; the answer says its zone (the demo user's, London).
    for key in ["SRE Shift-Based On-Call", sre.as_str()] {
        let who = h.ok("who_is_on_call", json!({"schedule": key})).await;
        assert_eq!(who["time_zone"], "Europe/London");
        let s = &who["schedule"];
        assert_eq!(s["schedule"]["id"], sre.as_str());
        assert_eq!(s["kind"], "shift_based");
        assert_eq!(array(&s["now"]).len(), 1, "{who}");
        assert_eq!(s["now"][0]["user"]["id"], u3.as_str());
        assert!(
            s["now"][0]["user"]["summary"].is_string(),
            "names are filled in"
        );
        assert_eq!(s["now"][0]["from"], "2026-11-16T09:00:00+00:00");
        assert_eq!(s["now"][0]["until"], "2026-11-19T10:00:00+00:00");
        assert_eq!(
            s["next"]["user"]["id"],
            u7.as_str(),
            "the override takes over"
        );
        assert_eq!(s["next"]["from"], "2026-11-19T10:00:00+00:00");
        // The policy that targets it answers too.
        let policy = &who["policies"][0];
        assert_eq!(policy["escalation_policy"]["summary"], "SRE Escalation");
        assert_eq!(policy["levels"][0]["now"][0]["user"]["id"], u3.as_str());
    }

    // list_oncalls: every shift of the week by default, first shifts only when asked.
    let week = json!({"schedule_ids": [sre], "since": "2026-11-18T10:00:00Z", "until": "2026-11-25T10:00:00Z"});
    let all = h.ok("list_oncalls", week.clone()).await;
    assert_eq!(all["earliest_only"], false);
    assert!(all.get("note").is_none());
    assert_eq!(all["time_zone"], "Europe/London");
    let mut first = week.clone();
    first["earliest"] = json!(true);
    let first = h.ok("list_oncalls", first).await;
    assert_eq!(first["earliest_only"], true);
    assert!(first["note"].as_str().unwrap().contains("first shift"));
    let n = |v: &Value| array(&v["items"]).len();
    assert!(n(&all) > n(&first), "{} vs {}", n(&all), n(&first));
    let raw = h
        .raw(&format!("/oncalls?schedule_ids[]={sre}&since=2026-11-18T10:00:00Z&until=2026-11-25T10:00:00Z&limit=100"))
        .await;
    assert_eq!(n(&all), array(&raw["oncalls"]).len());

    // get_schedule with a range: who is on when.
    let got = h
        .ok(
            "get_schedule",
            json!({"schedule_id": sre, "since": "2026-11-19T00:00:00Z", "until": "2026-11-21T00:00:00Z", "time_zone": "UTC"}),
        )
        .await;
    assert_eq!(got["kind"], "shift_based");
    assert_eq!(got["on_call_time_zone"], "UTC");
    let on: Vec<(String, String, String)> = array(&got["on_call"])
        .iter()
        .map(|s| {
            (
                s["user"]["id"].as_str().unwrap().to_owned(),
                s["start"].as_str().unwrap().to_owned(),
                s["end"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        on,
        vec![
            (
                u3.clone(),
                "2026-11-19T00:00:00+00:00".into(),
                "2026-11-19T10:00:00+00:00".into()
            ),
            (
                u7.clone(),
                "2026-11-19T10:00:00+00:00".into(),
                "2026-11-20T10:00:00+00:00".into()
            ),
            (
                u3.clone(),
                "2026-11-20T10:00:00+00:00".into(),
                "2026-11-21T00:00:00+00:00".into()
            ),
        ]
    );
    // And for a layer-based one.
    let primary = h.sim.state().schedule_by_name("Platform Primary").unwrap();
    let got = h
        .ok(
            "get_schedule",
            json!({"schedule_id": primary.id, "since": "2026-11-18T00:00:00Z", "until": "2026-11-19T00:00:00Z"}),
        )
        .await;
    assert_eq!(got["kind"], "layer_based");
    assert!(!array(&got["on_call"]).is_empty());
    let covered: i64 = array(&got["on_call"])
        .iter()
        .map(|s| ts(&s["end"]).as_second() - ts(&s["start"]).as_second())
        .sum();
    assert_eq!(covered, 86_400, "a 24/7 schedule covers the whole day");

    // list_schedule_users: the people on its final schedule.
    let users = h
        .ok(
            "list_schedule_users",
            json!({"schedule_id": sre, "since": "2026-11-19T00:00:00Z", "until": "2026-11-21T00:00:00Z"}),
        )
        .await;
    let mut ids: Vec<&str> = array(&users["items"])
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want = vec![u3.as_str(), u7.as_str()];
    want.sort();
    assert_eq!(ids, want);

    // find knows both kinds.
    let found = h
        .ok(
            "find",
            json!({"query": "shift-based", "kinds": ["schedule"]}),
        )
        .await;
    assert_eq!(found["matches"][0]["id"], sre.as_str());
    assert_eq!(found["matches"][0]["schedule_kind"], "shift_based");
}

/// An id-shaped argument is an id first, even when another object's name is that id; and a
/// name must match the name.
#[tokio::test]
async fn ids_resolve_first_and_names_must_match() {
    let h = Harness::read_only().await;
    let checkout = h.sim.state().service_by_name("Checkout API").unwrap();
    let data_ep = h
        .sim
        .state()
        .escalation_policies()
        .into_iter()
        .find(|e| e.name == "Data Escalation")
        .unwrap();
    assert_ne!(checkout.escalation_policy_id, data_ep.id);
    // An impostor service named like Checkout API's id.
    let resp = reqwest::Client::new()
        .post(format!("{}/services", h.sim.base_url()))
        .header("Authorization", format!("Token token={}", h.token()))
        .header("Accept", "application/vnd.pagerduty+json;version=2")
        .json(&json!({"service": {"name": checkout.id, "escalation_policy": {"id": data_ep.id, "type": "escalation_policy_reference"}}}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let who = h
        .ok("who_is_on_call", json!({"service": checkout.id}))
        .await;
    assert_eq!(
        who["policies"][0]["escalation_policy"]["id"],
        checkout.escalation_policy_id.as_str()
    );
    // Positive control: by name it is the impostor's policy.
    let by_name = h
        .ok(
            "who_is_on_call",
            json!({"service": format!("{} ", checkout.id.to_lowercase())}),
        )
        .await;
    assert_eq!(
        by_name["policies"][0]["escalation_policy"]["id"],
        data_ep.id.as_str()
    );
    // A close name that is not unique is refused with the candidates and their ids.
    let msg = h
        .err_says(
            "who_is_on_call",
            json!({"schedule": "platform"}),
            &["matches several schedules"],
        )
        .await;
    assert!(
        msg.contains("Platform Primary (") && msg.contains("Platform Secondary ("),
        "{msg}"
    );
    // The single close match is taken.
    let who = h
        .ok("who_is_on_call", json!({"schedule": "release watch"}))
        .await;
    assert_eq!(
        who["schedule"]["schedule"]["summary"],
        "Mobile Release Watch"
    );
}

/// Data Business Hours (Mon-Fri 09:00-17:00 Berlin) in the weeks that hold a DST change, with
/// the clock on either side of it: gaps end at 09:00 local in the offset of their day.
#[tokio::test]
async fn berlin_gaps_across_dst_changes() {
    // (clock, week start Monday 00:00 local, end, offset before, offset after, uncovered hours)
    let cases = [
        (
            "2027-03-24T12:00:00Z",
            "2027-03-22T00:00:00+01:00",
            "2027-03-29T00:00:00+02:00",
            "+01:00",
            "+02:00",
            127.0,
        ),
        (
            "2027-03-30T12:00:00Z",
            "2027-03-22T00:00:00+01:00",
            "2027-03-29T00:00:00+02:00",
            "+01:00",
            "+02:00",
            127.0,
        ),
        (
            "2026-10-21T12:00:00Z",
            "2026-10-19T00:00:00+02:00",
            "2026-10-26T00:00:00+01:00",
            "+02:00",
            "+01:00",
            129.0,
        ),
        (
            "2026-10-27T12:00:00Z",
            "2026-10-19T00:00:00+02:00",
            "2026-10-26T00:00:00+01:00",
            "+02:00",
            "+01:00",
            129.0,
        ),
    ];
    for (clock, since, until, before, after, hours) in cases {
        let h = Harness::start_at(Options::default(), clock.parse().unwrap()).await;
        let got = h
            .ok(
                "find_coverage_gaps",
                json!({"schedules": ["Data Business Hours"], "since": since, "until": until, "time_zone": "Europe/Berlin"}),
            )
            .await;
        let gaps = gaps_of(&got, "Data Business Hours");
        assert_eq!(gaps.len(), 6, "{clock}: {got}");
        assert_eq!(gaps[0].1, format!("{}T09:00:00{before}", &since[..10]));
        assert!(
            gaps[4].0.ends_with(&format!("T17:00:00{before}")),
            "{gaps:?}"
        );
        assert_eq!(
            gaps[5].1,
            until.to_owned(),
            "the last gap runs into the {after} side"
        );
        assert_eq!(got["coverage"][0]["uncovered_hours"], hours, "{clock}");
    }
}

/// Platform Secondary hands off daily at 08:00 New York: who_is_on_call, with the clock on
/// either side of each change, names the next handoff at 08:00 local in the right offset.
#[tokio::test]
async fn new_york_handoffs_across_dst_changes() {
    let cases = [
        // Spring 2027-03-14.
        ("2027-03-10T15:00:00Z", "2027-03-11T08:00:00-05:00"),
        ("2027-03-17T15:00:00Z", "2027-03-18T08:00:00-04:00"),
        // Autumn 2026-11-01.
        ("2026-10-28T15:00:00Z", "2026-10-29T08:00:00-04:00"),
        ("2026-11-04T15:00:00Z", "2026-11-05T08:00:00-05:00"),
    ];
    for (clock, next) in cases {
        let h = Harness::start_at(Options::default(), clock.parse().unwrap()).await;
        let who = h
            .ok(
                "who_is_on_call",
                json!({"schedule": "Platform Secondary", "time_zone": "America/New_York", "horizon_hours": 48}),
            )
            .await;
        let s = &who["schedule"];
        assert_eq!(s["next"]["from"], next, "{clock}: {who}");
        assert_eq!(
            s["now"][0]["until"], next,
            "the current shift ends at the handoff"
        );
        assert_eq!(ts(&who["at"]), clock.parse::<Timestamp>().unwrap());
    }
}

type Spans = Vec<(i64, i64)>;

/// Sorted, disjoint union of `v`, cut to `[lo, hi)`.
fn union(v: impl IntoIterator<Item = (i64, i64)>, lo: i64, hi: i64) -> Spans {
    let mut v: Spans = v
        .into_iter()
        .map(|(s, e)| (s.max(lo), e.min(hi)))
        .filter(|(s, e)| s < e)
        .collect();
    v.sort();
    let mut out: Spans = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn complement(covered: &Spans, lo: i64, hi: i64) -> Spans {
    let mut out = Vec::new();
    let mut cursor = lo;
    for &(s, e) in covered {
        if s > cursor {
            out.push((cursor, s));
        }
        cursor = cursor.max(e);
    }
    if cursor < hi {
        out.push((cursor, hi));
    }
    out
}

fn secs(v: &Value) -> i64 {
    ts(v).as_second()
}

/// One window on one schedule: `/oncalls` (every shift) and the final schedule cover exactly
/// the same time, and `find_coverage_gaps` answers exactly the rest.
async fn check_window(
    h: &Harness,
    id: &str,
    shift_based: bool,
    since: Timestamp,
    until: Timestamp,
) -> Result<(), String> {
    let (lo, hi) = (since.as_second(), until.as_second());
    let oncalls = h
        .raw(&format!(
            "/oncalls?schedule_ids[]={id}&since={since}&until={until}&limit=100"
        ))
        .await;
    if oncalls["more"] == true {
        return Err("more than one page of on-calls".into());
    }
    let from_oncalls = union(
        array(&oncalls["oncalls"])
            .iter()
            .map(|o| (secs(&o["start"]), secs(&o["end"]))),
        lo,
        hi,
    );
    let final_spans: Spans = if shift_based {
        h.raw(&format!(
            "/v3/schedules/{id}?include[]=final_schedule&since={since}&until={until}"
        ))
        .await["schedule"]["final_schedule"]["computed_shift_assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["member"]["type"] == "user_member")
            .map(|a| (secs(&a["start_time"]), secs(&a["end_time"])))
            .collect()
    } else {
        h.raw(&format!("/schedules/{id}?since={since}&until={until}"))
            .await["schedule"]["final_schedule"]["rendered_schedule_entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (secs(&e["start"]), secs(&e["end"])))
            .collect()
    };
    let from_final = union(final_spans, lo, hi);
    if from_oncalls != from_final {
        return Err(format!(
            "{id} {since}..{until}: /oncalls {from_oncalls:?} != final {from_final:?}"
        ));
    }
    let got = h
        .ok(
            "find_coverage_gaps",
            json!({"schedules": [id], "since": since.to_string(), "until": until.to_string()}),
        )
        .await;
    let gaps: Spans = array(&got["coverage"][0]["gaps"])
        .iter()
        .map(|g| (secs(&g["start"]), secs(&g["end"])))
        .collect();
    let want = complement(&from_final, lo, hi);
    if gaps != want {
        return Err(format!(
            "{id} {since}..{until}: gaps {gaps:?} != complement {want:?}"
        ));
    }
    let seconds: i64 = want.iter().map(|(s, e)| e - s).sum();
    let hours = got["coverage"][0]["uncovered_hours"].as_f64().unwrap();
    if (hours - (seconds as f64 / 36.0).round() / 100.0).abs() > 1e-9 {
        return Err(format!("{id}: {hours} h for {seconds} s"));
    }
    Ok(())
}

/// Random whole-second windows (from a week back to two months ahead, up to two weeks long)
/// on every seeded schedule of both kinds, at the fixed clock and at one whose windows cross
/// the spring DST changes in Europe and the United States.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oncalls_final_schedules_and_gaps_agree_on_random_windows() {
    use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
    for clock in [
        crate::harness::fixed_now(),
        "2027-03-10T10:00:00Z".parse().unwrap(),
    ] {
        let h = Harness::start_at(Options::default(), clock).await;
        let mut schedules: Vec<(String, bool)> = h
            .sim
            .state()
            .schedules()
            .into_iter()
            .map(|s| (s.id, false))
            .collect();
        let v3: Vec<String> = h
            .sim
            .state()
            .with_account(|a| a.schedules_v3.iter().map(|s| s.id.clone()).collect())
            .unwrap();
        assert_eq!((schedules.len(), v3.len()), (4, 2));
        schedules.extend(v3.into_iter().map(|id| (id, true)));
        let now = h.sim.now().as_second();
        let config = Config {
            cases: 8,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        let strategy = (-7 * 86_400i64..60 * 86_400, 1i64..14 * 86_400);
        let handle = tokio::runtime::Handle::current();
        let result = runner.run(&strategy, |(offset, length)| {
            let since = Timestamp::from_second(now + offset).unwrap();
            let until = Timestamp::from_second(now + offset + length).unwrap();
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    for (id, shift_based) in &schedules {
                        check_window(&h, id, *shift_based, since, until)
                            .await
                            .map_err(TestCaseError::fail)?;
                    }
                    Ok(())
                })
            })
        });
        if let Err(e) = result {
            panic!("clock {clock}: {e}");
        }
    }
}

/// A recurrence PagerDuty would reject reaches the model as the API's field error; a valid
/// one is created (positive control).
#[tokio::test]
async fn a_bogus_recurrence_is_rejected_by_the_api() {
    let h = Harness::with_writes().await;
    let sid = v3_id(&h, "SRE Shift-Based On-Call");
    let rid = h
        .raw_first_id(&format!("/v3/schedules/{sid}/rotations"))
        .await;
    let event = |rule: &str| {
        json!({"schedule_id": sid, "rotation_id": rid, "event_data": {
            "name": "Extra",
            "start_time": {"date_time": "2026-12-07T09:00:00Z", "time_zone": "Europe/London"},
            "end_time": {"date_time": "2026-12-07T17:00:00Z", "time_zone": "Europe/London"},
            "effective_since": "2026-12-07T00:00:00Z",
            "recurrence": [rule],
            "assignment_strategy": {"type": "every_member_assignment_strategy",
                                    "members": [{"type": "user_member", "user_id": user(&h, 0)}]},
        }})
    };
    h.err_says(
        "create_schedule_v3_rotation_event",
        event("RRULE:FREQ=BOGUS"),
        &["RFC 5545"],
    )
    .await;
    let ok = h
        .ok(
            "create_schedule_v3_rotation_event",
            event("RRULE:FREQ=WEEKLY;BYDAY=MO"),
        )
        .await;
    assert_eq!(ok["recurrence"], json!(["RRULE:FREQ=WEEKLY;BYDAY=MO"]));
}
