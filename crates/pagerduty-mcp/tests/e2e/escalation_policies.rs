use serde_json::json;

use crate::harness::{Harness, array, ids};

#[tokio::test]
async fn escalation_policies_list_and_get() {
    let h = Harness::read_only().await;
    let raw = h
        .raw_list("/escalation_policies?limit=100&sort_by=name")
        .await;
    let first = &raw[0];
    let one = h
        .ok("get_escalation_policy", json!({"policy_id": first["id"]}))
        .await;
    assert_eq!(one["name"], first["name"]);
    let levels = array(&one["escalation_rules"]);
    assert_eq!(levels.len(), array(&first["escalation_rules"]).len());
    assert!(!array(&levels[0]["targets"]).is_empty());

    // Policies notifying a user.
    let user = array(&levels[0]["targets"])
        .iter()
        .find(|t| t["type"] == "user_reference")
        .map(|t| t["id"].as_str().unwrap().to_owned());
    if let Some(user) = user {
        let by_user = h
            .ok("list_escalation_policies", json!({"user_ids": [user]}))
            .await;
        assert!(ids(&by_user).contains(&first["id"].as_str().unwrap().to_owned()));
    }
}

#[tokio::test]
async fn escalation_policies_are_created_and_updated() {
    let h = Harness::with_writes().await;
    let st = h.sim.state();
    let me = st.demo_user().unwrap();
    let schedule = st.schedules()[0].clone();
    let team = st.teams()[0].clone();
    let made = h
        .ok(
            "create_escalation_policy",
            json!({"escalation_policy_data": {"escalation_policy": {
                "name": "Checkout Escalation", "description": "payments on-call", "num_loops": 1,
                "teams": [{"id": team.id, "type": "team_reference", "summary": team.name}],
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 15, "escalation_rule_assignment_strategy": "round_robin",
                     "targets": [{"id": me.id, "type": "user_reference", "summary": me.name}]},
                    {"escalation_delay_in_minutes": 30,
                     "targets": [{"id": schedule.id, "type": "schedule_reference"}]}
                ]}}}),
        )
        .await;
    let pid = made["id"].as_str().unwrap().to_owned();
    assert!(
        made["html_url"].as_str().unwrap().starts_with("https://"),
        "{made}"
    );
    let raw = h.raw_one(&format!("/escalation_policies/{pid}")).await;
    assert_eq!(raw["name"], "Checkout Escalation");
    assert_eq!(raw["num_loops"], 1);
    assert_eq!(raw["teams"][0]["id"], team.id.as_str());
    let rules = array(&raw["escalation_rules"]);
    assert_eq!(rules.len(), 2);
    assert_eq!(
        rules[0]["escalation_rule_assignment_strategy"],
        "round_robin"
    );
    assert_eq!(rules[1]["targets"][0]["id"], schedule.id.as_str());
    assert_eq!(
        made["escalation_rules"][0]["escalation_rule_assignment_strategy"], "round_robin",
        "the result says how a level assigns"
    );

    // A rename keeps the levels, loops and team: PUT takes the whole policy, so it is read first.
    let renamed = h
        .ok(
            "update_escalation_policy",
            json!({"policy_id": pid, "escalation_policy_data": {"escalation_policy": {"name": "Checkout EP"}}}),
        )
        .await;
    assert_eq!(renamed["name"], "Checkout EP");
    let raw = h.raw_one(&format!("/escalation_policies/{pid}")).await;
    assert_eq!(array(&raw["escalation_rules"]).len(), 2);
    assert_eq!(
        raw["escalation_rules"][0]["escalation_rule_assignment_strategy"],
        "round_robin"
    );
    assert_eq!(raw["teams"][0]["id"], team.id.as_str());
    assert_eq!(raw["num_loops"], 1);

    // New levels replace the old ones.
    h.ok(
        "update_escalation_policy",
        json!({"policy_id": pid, "escalation_policy_data": {"escalation_policy": {
            "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [{"id": me.id, "type": "user_reference"}]}]}}}),
    )
    .await;
    let raw = h.raw_one(&format!("/escalation_policies/{pid}")).await;
    assert_eq!(array(&raw["escalation_rules"]).len(), 1);
    assert_eq!(raw["escalation_rules"][0]["escalation_delay_in_minutes"], 5);

    // Planned, not sent.
    let before = h.sim.state().escalation_policies().len();
    let plan = h
        .ok(
            "create_escalation_policy",
            json!({"dry_run": true, "escalation_policy_data": {"escalation_policy": {"name": "Planned",
                   "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [{"id": me.id, "type": "user_reference"}]}]}}}),
        )
        .await;
    assert_eq!(plan["would_send"][0]["method"], "POST");
    assert_eq!(h.sim.state().escalation_policies().len(), before);

    // Refusals, ours and PagerDuty's.
    let rule = json!([{"escalation_delay_in_minutes": 5, "targets": [{"id": me.id, "type": "user_reference"}]}]);
    for (policy, expect) in [
        (
            json!({"name": "x", "escalation_rules": []}),
            "at least one level",
        ),
        (
            json!({"name": "x", "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": []}]}),
            "1 to 10",
        ),
        (
            json!({"name": "x", "escalation_rules": rule, "teams": [{"id": "PT1"}, {"id": "PT2"}]}),
            "at most one team",
        ),
        (
            json!({"name": "Checkout EP", "escalation_rules": rule}),
            "already been taken",
        ),
        (
            json!({"name": "y", "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [{"id": "PNOPE42", "type": "user_reference"}]}]}),
            "not found",
        ),
    ] {
        let msg = h
            .err(
                "create_escalation_policy",
                json!({"escalation_policy_data": {"escalation_policy": policy}}),
            )
            .await;
        assert!(msg.contains(expect), "{expect}: {msg}");
    }
    h.err_says(
        "update_escalation_policy",
        json!({"policy_id": pid, "escalation_policy_data": {"escalation_policy": {}}}),
        &["nothing to change"],
    )
    .await;
}
