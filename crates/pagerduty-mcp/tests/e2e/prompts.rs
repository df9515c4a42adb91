//! MCP prompts: listed with their arguments and a caching hint, rendered with the arguments
//! given, argument completion from the account's names, and every tool a prompt names exists.

use rmcp::model::{CacheScope, GetPromptRequestParams};
use serde_json::json;

use crate::harness::Harness;

fn text(r: &rmcp::model::GetPromptResult) -> String {
    r.messages
        .iter()
        .filter_map(|m| m.content.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn render(h: &Harness, name: &str, args: serde_json::Value) -> Result<String, String> {
    let serde_json::Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    h.client
        .get_prompt(GetPromptRequestParams::new(name).with_arguments(args))
        .await
        .map(|r| text(&r))
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn prompts_are_listed_with_arguments_and_a_cache_hint() {
    let h = Harness::read_only().await;
    let listed = h.client.list_all_prompts_with_cache_hint().await.unwrap();
    let names: Vec<(&str, Vec<(&str, bool)>)> = listed
        .items
        .iter()
        .map(|p| {
            let args = p
                .arguments
                .iter()
                .flatten()
                .map(|a| (a.name.as_str(), a.required == Some(true)))
                .collect();
            (p.name.as_str(), args)
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "triage_open_incidents",
                vec![("team", false), ("service", false)]
            ),
            ("shift_handoff_report", vec![("schedule", true)]),
            ("post_incident_review", vec![("incident", true)]),
            ("coverage_review", vec![("team", true), ("weeks", false)]),
        ]
    );
    // An hour, less the moments the client held it.
    let ttl = listed.ttl_ms.unwrap();
    assert!((3_590_000..=3_600_000).contains(&ttl), "{ttl}");
    assert_eq!(listed.cache_scope, Some(CacheScope::Public));
    // Every tool a prompt names is a tool of this server (read-only: they are all reads).
    let tools: Vec<String> = h.tools().await.iter().map(|t| t.name.to_string()).collect();
    for (prompt, tool) in pagerduty_mcp::prompts::tools_named() {
        assert!(tools.contains(&tool.to_owned()), "{prompt} names {tool}");
    }
}

#[tokio::test]
async fn each_prompt_renders_with_its_arguments() {
    let h = Harness::read_only().await;
    let triage = render(&h, "triage_open_incidents", json!({"team": "Payments"}))
        .await
        .unwrap();
    assert!(triage.contains("the services of team Payments"), "{triage}");
    assert!(!triage.contains("{service}"), "{triage}");
    assert!(
        !triage.contains("Scope: service"),
        "an unset argument's line goes: {triage}"
    );
    assert!(
        triage.contains("Tools to use: get_service_health, list_incidents"),
        "{triage}"
    );
    let all = render(&h, "triage_open_incidents", json!({}))
        .await
        .unwrap();
    assert!(!all.contains("Scope:"), "{all}");

    let handoff = render(
        &h,
        "shift_handoff_report",
        json!({"schedule": "Platform Primary"}),
    )
    .await
    .unwrap();
    assert!(
        handoff.contains("get_oncall_handoff for Platform Primary"),
        "{handoff}"
    );
    let review = render(&h, "post_incident_review", json!({"incident": "239"}))
        .await
        .unwrap();
    assert!(review.contains("get_incident_brief for 239"), "{review}");
    let coverage = render(&h, "coverage_review", json!({"team": "Data"}))
        .await
        .unwrap();
    assert!(
        coverage.contains("team Data over the next 2 weeks"),
        "{coverage}"
    );
    let coverage = render(&h, "coverage_review", json!({"team": "Data", "weeks": "4"}))
        .await
        .unwrap();
    assert!(coverage.contains("next 4 weeks"), "{coverage}");

    // The spec's invalid-params errors: a missing required argument, an unknown one or prompt.
    let e = render(&h, "shift_handoff_report", json!({}))
        .await
        .unwrap_err();
    assert!(e.contains("schedule"), "{e}");
    let e = render(&h, "coverage_review", json!({"team": "Data", "days": "3"}))
        .await
        .unwrap_err();
    assert!(e.contains("days"), "{e}");
    let e = render(&h, "nope", json!({})).await.unwrap_err();
    assert!(e.contains("nope"), "{e}");
}

#[tokio::test]
async fn completion_offers_the_accounts_names() {
    let h = Harness::read_only().await;
    let complete = |prompt: &'static str, arg: &'static str, value: &'static str| {
        let c = h.client.clone();
        async move { c.complete_prompt_simple(prompt, arg, value).await.unwrap() }
    };
    assert_eq!(
        complete("triage_open_incidents", "team", "").await,
        ["Data", "Mobile", "Payments", "Platform"]
    );
    assert_eq!(
        complete("coverage_review", "team", "pa").await,
        ["Payments"]
    );
    assert_eq!(
        complete("triage_open_incidents", "service", "c").await,
        ["Checkout API", "Auth Service", "Mobile Backend", "Search"]
    );
    assert_eq!(
        complete("shift_handoff_report", "schedule", "platform").await,
        ["Platform Primary", "Platform Secondary"]
    );
    assert_eq!(
        complete("coverage_review", "weeks", "").await,
        ["1", "2", "4"]
    );
    let recent = complete("post_incident_review", "incident", "23").await;
    assert_eq!(
        recent.first().map(String::as_str),
        Some("239"),
        "{recent:?}"
    );
    assert!(recent.contains(&"239".to_owned()), "{recent:?}");
    // No such argument: nothing to offer.
    assert!(complete("coverage_review", "colour", "").await.is_empty());
}
