//! who_is_on_call and find, checked against the simulator's own on-call computation.

use serde_json::{Value, json};

use crate::harness::{Harness, all_have, array};

fn ts(s: &Value) -> jiff::Timestamp {
    s.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn who_is_on_call_for_a_service_now_and_next_in_two_zones() {
    let h = Harness::read_only().await;
    let service = h.sim.state().service_by_name("Checkout API").unwrap();
    let ep = service.escalation_policy_id.clone();
    let tokyo = h
        .ok(
            "who_is_on_call",
            json!({"service": "checkout api", "time_zone": "Asia/Tokyo"}),
        )
        .await;
    let ny = h
        .ok(
            "who_is_on_call",
            json!({"service": service.id, "time_zone": "America/New_York"}),
        )
        .await;
    assert_eq!(tokyo["policies"][0]["escalation_policy"]["id"], ep.as_str());
    assert!(tokyo["at"].as_str().unwrap().ends_with("+09:00"));
    assert!(
        ny["at"].as_str().unwrap().ends_with("-05:00")
            || ny["at"].as_str().unwrap().ends_with("-04:00")
    );

    // The simulator's /oncalls for the same policy and week is the oracle.
    let now = h.sim.now();
    let until = now + jiff::SignedDuration::from_hours(168);
    let raw = h
        .raw(&format!(
            "/oncalls?escalation_policy_ids[]={ep}&since={now}&until={until}&limit=100"
        ))
        .await;
    let raw = array(&raw["oncalls"]);
    let level1_now: Vec<&Value> = raw
        .iter()
        .filter(|o| o["escalation_level"] == 1)
        .filter(|o| o["start"].is_null() || ts(&o["start"]) <= now)
        .collect();
    let level = &tokyo["policies"][0]["levels"][0];
    assert_eq!(level["level"], 1);
    let now_users: Vec<&Value> = array(&level["now"])
        .iter()
        .map(|s| &s["user"]["id"])
        .collect();
    let raw_users: Vec<&Value> = level1_now.iter().map(|o| &o["user"]["id"]).collect();
    assert_eq!(now_users, raw_users);
    // The handoff: the same instant in both zones, written in each zone's offset.
    let (t_next, n_next) = (
        &tokyo["policies"][0]["levels"][0]["next"],
        &ny["policies"][0]["levels"][0]["next"],
    );
    assert!(
        t_next["from"].as_str().unwrap().ends_with("+09:00"),
        "{t_next}"
    );
    assert_eq!(ts(&t_next["from"]), ts(&n_next["from"]));
    assert_eq!(t_next["user"]["id"], n_next["user"]["id"]);
    assert_ne!(t_next["user"]["id"], *now_users[0], "next is someone else");
    let raw_next = raw
        .iter()
        .filter(|o| o["escalation_level"] == 1 && !o["start"].is_null() && ts(&o["start"]) > now)
        .filter(|o| !raw_users.contains(&&o["user"]["id"]))
        .min_by_key(|o| ts(&o["start"]))
        .unwrap();
    assert_eq!(t_next["user"]["id"], raw_next["user"]["id"]);
    assert_eq!(ts(&t_next["from"]), ts(&raw_next["start"]));
    // The level-2 direct target is on call permanently.
    let level2 = &tokyo["policies"][0]["levels"][1];
    assert_eq!(level2["level"], 2);
    assert!(level2["now"][0].get("until").is_none());
}

#[tokio::test]
async fn who_is_on_call_by_team_user_and_bad_input() {
    let h = Harness::read_only().await;
    let team = h
        .ok(
            "who_is_on_call",
            json!({"team": "Platform", "time_zone": "UTC"}),
        )
        .await;
    assert!(!array(&team["policies"]).is_empty());
    let demo = h.sim.state().demo_user().unwrap();
    let me = h.ok("who_is_on_call", json!({"user": demo.email})).await;
    for p in array(&me["policies"]) {
        for l in array(&p["levels"]) {
            for s in array(&l["now"]) {
                assert_eq!(s["user"]["id"], demo.id.as_str());
            }
        }
    }
    // Default zone: the current user's.
    assert_eq!(me["time_zone"], demo.time_zone.as_str());
}

#[tokio::test]
async fn find_ranks_names_and_tolerates_typos() {
    let h = Harness::read_only().await;
    let checkout = h.sim.state().service_by_name("Checkout API").unwrap();
    let found = h.ok("find", json!({"query": "chekout"})).await;
    assert_eq!(found["matches"][0]["id"], checkout.id.as_str());
    assert_eq!(found["matches"][0]["kind"], "service");
    let exact = h.ok("find", json!({"query": "Payments"})).await;
    assert_eq!(exact["matches"][0]["score"], 1.0);
    assert_eq!(exact["matches"][0]["name"], "Payments");
    let teams_only = h
        .ok("find", json!({"query": "Payments", "kinds": ["team"]}))
        .await;
    assert!(all_have(&teams_only["matches"], "/kind", "team"));
}

/// The seeded "Data Business Hours" schedule covers Mon-Fri 09:00-17:00 Berlin only.
#[tokio::test]
async fn coverage_gaps_of_a_business_hours_schedule_are_exact() {
    use jiff::civil::Weekday;
    let h = Harness::read_only().await;
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    // The Monday after next, midnight Berlin, for a whole week.
    let today = h.sim.now().to_zoned_datetime(berlin.clone()).date();
    let monday = today.nth_weekday(2, Weekday::Monday).unwrap();
    let start = monday.to_zoned_datetime(berlin.clone()).unwrap();
    let end = start.checked_add(jiff::Span::new().days(7)).unwrap();
    let got = h
        .ok(
            "find_coverage_gaps",
            json!({"schedules": ["Data Business Hours"], "since": start.timestamp().to_string(),
                   "until": end.timestamp().to_string(), "time_zone": "Europe/Berlin"}),
        )
        .await;
    let at = |d: jiff::civil::Date, hour: i8| {
        d.at(hour, 0, 0, 0)
            .to_zoned_datetime(berlin.clone())
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let day = |n: i32| monday.checked_add(jiff::Span::new().days(n)).unwrap();
    let mut expected = vec![(at(day(0), 0), at(day(0), 9))];
    for n in 0..4 {
        expected.push((at(day(n), 17), at(day(n + 1), 9)));
    }
    expected.push((at(day(4), 17), at(day(7), 0)));
    let gaps = crate::oncall_shifts::gaps_of(&got, "Data Business Hours");
    assert_eq!(gaps, expected);
    assert_eq!(
        got["coverage"][0]["uncovered_hours"], 128.0,
        "168 h minus 5 × 8 h"
    );

    // Per level of the Data escalation policy: level 1 is that schedule, level 2 a person.
    let policy = h
        .ok("find_coverage_gaps", json!({"escalation_policy": "Data Escalation", "since": start.timestamp().to_string(), "until": end.timestamp().to_string()}))
        .await;
    assert_eq!(policy["coverage"][0]["escalation_level"], 1);
    assert_eq!(array(&policy["coverage"][0]["gaps"]).len(), 6);
    assert_eq!(policy["coverage"][1]["gaps"], json!([]));
    assert!(
        policy["summary"]
            .as_str()
            .unwrap()
            .starts_with("1 of 2 have gaps")
    );

    h.err_table(&[
        (
            "find_coverage_gaps",
            json!({}),
            &["either `schedules` or `escalation_policy`"],
        ),
        (
            "find_coverage_gaps",
            json!({"schedules": ["Data Business Hours"], "since": "2026-01-10T00:00:00Z", "until": "2026-01-01T00:00:00Z"}),
            &["`until`"],
        ),
    ])
    .await;
}
