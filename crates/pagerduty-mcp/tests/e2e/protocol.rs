//! The MCP surface: tool list, annotations, schemas, write gating, credentials, framing, secrets.

use std::time::Duration;

use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::harness::{Harness, Options, text};
use crate::raw_stdio::{StdioServer, initialize_request};

const WRITE_TOOLS: &[&str] = &[
    "send_status_update",
    "merge_incidents",
    "snooze_incident",
    "create_maintenance_window",
    "delete_maintenance_window",
    "create_incident",
    "manage_incidents",
    "add_note_to_incident",
    "add_responders",
    "create_team",
    "update_team",
    "create_escalation_policy",
    "update_escalation_policy",
    "delete_team",
    "add_team_member",
    "remove_team_member",
    "create_user",
    "create_service",
    "update_service",
    "create_webhook_subscription",
    "update_webhook_subscription",
    "delete_webhook_subscription",
    "start_incident_workflow",
    // schedules
    "create_schedule",
    "update_schedule",
    "create_schedule_override",
    "delete_schedule_v3",
    "create_schedule_v3_rotation",
    "delete_schedule_v3_rotation",
    "create_schedule_v3_rotation_event",
    "update_schedule_v3_rotation_event",
    "delete_schedule_v3_rotation_event",
    "create_schedule_v3_custom_shifts",
    "update_schedule_v3_custom_shift",
    "delete_schedule_v3_custom_shift",
    "create_schedule_v3_overrides",
    "update_schedule_v3_override",
    "delete_schedule_v3_override",
    // Incident context
    "create_alert_grouping_setting",
    "update_alert_grouping_setting",
    "delete_alert_grouping_setting",
    // Event orchestrations and status pages
    "update_event_orchestration_router",
    "append_event_orchestration_router_rule",
    "create_status_page_post",
    "create_status_page_post_update",
    // Events API v2
    "send_event",
    "send_change_event",
];
const READ_TOOLS: &[&str] = &[
    "list_maintenance_windows",
    "list_audit_records",
    "get_oncall_handoff",
    "get_service_health",
    "list_notification_rules",
    "find_coverage_gaps",
    "who_is_on_call",
    "find",
    "get_incident_brief",
    "get_user_data",
    "list_incidents",
    "get_incident",
    "list_incident_notes",
    "list_alerts_from_incident",
    "get_alert_from_incident",
    "list_services",
    "get_service",
    "list_oncalls",
    "list_escalation_policies",
    "get_escalation_policy",
    "list_teams",
    "get_team",
    "list_team_members",
    "list_users",
    "list_webhook_subscriptions",
    "get_webhook_subscription",
    "list_extension_schemas",
    "get_extension_schema",
    "list_incident_workflows",
    "get_incident_workflow",
    // schedules
    "list_schedules",
    "get_schedule",
    "list_schedule_users",
    "list_schedule_v3_rotations",
    "get_schedule_v3_rotation",
    "list_schedule_v3_rotation_events",
    "get_schedule_v3_rotation_event",
    "list_schedule_v3_custom_shifts",
    "get_schedule_v3_custom_shift",
    "list_schedule_v3_overrides",
    "get_schedule_v3_override",
    // Incident context
    "list_alert_grouping_settings",
    "get_alert_grouping_setting",
    "list_change_events",
    "get_change_event",
    "list_service_change_events",
    "list_incident_change_events",
    "get_outlier_incident",
    "get_past_incidents",
    "get_related_incidents",
    "list_log_entries",
    "get_log_entry",
    "list_priorities",
    "list_business_services",
    "get_business_service_dependencies",
    "get_technical_service_dependencies",
    "get_responder_metrics",
    "get_incident_metrics_by_service",
    "get_incident_metrics_by_team",
    "get_responder_load_metrics",
    "get_incident_metrics_all",
    // Event orchestrations and status pages
    "list_event_orchestrations",
    "get_event_orchestration",
    "get_event_orchestration_router",
    "get_event_orchestration_service",
    "get_event_orchestration_global",
    "list_status_pages",
    "list_status_page_severities",
    "list_status_page_impacts",
    "list_status_page_statuses",
    "get_status_page_post",
    "list_status_page_post_updates",
];

#[tokio::test]
async fn read_only_by_default_lists_no_write_tool() {
    let h = Harness::read_only().await;
    let info = h.client.peer_info().expect("server info");
    assert_eq!(info.server_info.as_ref().unwrap().name, "pagerduty-mcp");
    assert_eq!(
        info.server_info.as_ref().unwrap().version,
        env!("CARGO_PKG_VERSION")
    );
    let names: Vec<String> = h.tools().await.iter().map(|t| t.name.to_string()).collect();
    for &r in READ_TOOLS {
        assert!(names.contains(&r.to_owned()), "{r} missing");
    }
    for &w in WRITE_TOOLS {
        assert!(
            !names.contains(&w.to_string()),
            "{w} listed without --enable-write-tools"
        );
    }
    assert_eq!(names.len(), READ_TOOLS.len());
}

#[tokio::test]
async fn write_tool_is_not_callable_without_the_flag() {
    let h = Harness::read_only().await;
    let id = h.raw("/incidents?statuses[]=triggered&limit=1").await["incidents"][0]["id"].clone();
    h.err_says(
        "manage_incidents",
        json!({"manage_request": {"incident_ids": [id], "status": "acknowledged"}}),
        &["--enable-write-tools"],
    )
    .await;
    let after = h.raw(&format!("/incidents/{}", id.as_str().unwrap())).await;
    assert_eq!(after["incident"]["status"], "triggered", "nothing was sent");
    assert_eq!(h.sim.requests().count("PUT", "/incidents"), 0);
}

#[tokio::test]
async fn every_tool_is_annotated_and_schemas_are_inline() {
    let h = Harness::with_writes().await;
    let tools = h.tools().await;
    assert_eq!(tools.len(), READ_TOOLS.len() + WRITE_TOOLS.len());
    for t in &tools {
        let a = t
            .annotations
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no annotations", t.name));
        let write = WRITE_TOOLS.contains(&t.name.as_ref());
        assert_eq!(a.read_only_hint, Some(!write), "{}", t.name);
        // The rest only where it differs from the spec's defaults (open world, not
        // idempotent), except that a write always says whether it is destructive.
        assert_eq!(a.destructive_hint.is_some(), write, "{}", t.name);
        assert_eq!(a.open_world_hint, None, "{}", t.name);
        assert_ne!(a.idempotent_hint, Some(false), "{}", t.name);
        assert!(
            t.description.as_deref().is_some_and(|d| d.len() > 30),
            "{} needs a description",
            t.name
        );
        let input = serde_json::to_string(&t.input_schema).unwrap();
        let output =
            serde_json::to_string(t.output_schema.as_ref().expect("output schema")).unwrap();
        for s in [&input, &output] {
            assert!(
                !s.contains("$ref") && !s.contains("$defs"),
                "{} schema not inline: {s}",
                t.name
            );
        }
        assert_eq!(t.input_schema.get("type"), Some(&json!("object")));
        assert_eq!(
            t.output_schema.as_ref().unwrap().get("type"),
            Some(&json!("object")),
            "{}",
            t.name
        );
    }
    let by_name = |n: &str| {
        tools
            .iter()
            .find(|t| t.name == n)
            .unwrap()
            .annotations
            .clone()
            .unwrap()
    };
    assert_eq!(by_name("manage_incidents").destructive_hint, Some(false));
    assert_eq!(
        by_name("add_note_to_incident").destructive_hint,
        Some(false)
    );
    assert_eq!(by_name("create_incident").destructive_hint, Some(true));
    assert_eq!(by_name("create_incident").idempotent_hint, None);
    assert_eq!(by_name("manage_incidents").idempotent_hint, Some(true));
    // The misspelled official name is accepted but the schema advertises the right one.
    let manage = serde_json::to_string(
        &tools
            .iter()
            .find(|t| t.name == "manage_incidents")
            .unwrap()
            .input_schema,
    )
    .unwrap();
    assert!(
        manage.contains("\"assignment\"") && !manage.contains("assignement\""),
        "{manage}"
    );
}

#[tokio::test]
async fn without_credentials_tools_list_but_calls_explain() {
    let h = Harness::start(Options {
        token: None,
        ..Options::default()
    })
    .await;
    assert!(!h.tools().await.is_empty());
    let msg = h.err("list_incidents", json!({})).await;
    assert!(
        msg.starts_with("An API key is required to call the PagerDuty API"),
        "{msg}"
    );
    assert!(msg.contains("PAGERDUTY_USER_API_KEY"));
    assert!(
        h.stderr().contains("PAGERDUTY_USER_API_KEY"),
        "warns on stderr"
    );
    assert_eq!(h.sim.requests().len(), 0, "no request without a credential");
}

#[tokio::test]
async fn wrong_token_says_what_to_check() {
    let h = Harness::start(Options {
        token: Some("u+not-a-real-token"),
        ..Options::default()
    })
    .await;
    h.err_says("get_user_data", json!({}), &["401", "other region (US/EU)"])
        .await;
}

#[tokio::test]
async fn unknown_tool_and_stringified_objects() {
    let h = Harness::read_only().await;
    // An unknown tool is the spec's invalid-params protocol error, not a tool result.
    let err = h
        .client
        .call_tool(rmcp::model::CallToolRequestParams::new("no_such_tool"))
        .await
        .unwrap_err();
    let rmcp::ServiceError::McpError(e) = err else {
        panic!("a JSON-RPC error: {err:?}")
    };
    assert_eq!(e.code.0, -32602);
    assert!(e.message.contains("Unknown tool"), "{}", e.message);
    // A routine protocol error is the client's to handle, not a warning in the server's log;
    // the log itself works (positive control: start-up is logged at info).
    let log = h.stderr();
    assert!(log.contains("INFO"), "{log}");
    assert!(!log.contains("WARN"), "{log}");
    // Some clients send nested objects as JSON strings; they are accepted.
    let id = h.raw_first_id("/incidents?limit=1").await;
    let got = h
        .ok(
            "get_incident",
            json!({"incident_id": id, "query_model": "{\"include\": [\"services\"]}"}),
        )
        .await;
    assert_eq!(got["id"], id);
}

#[tokio::test]
async fn malformed_json_rpc_gets_an_error_and_the_server_keeps_serving() {
    let mut s = StdioServer::start(&[]).await;
    // Not JSON at all: ignored, as every official MCP SDK does (answering could start an error
    // storm with a peer that echoes). JSON that is not JSON-RPC: an error answer.
    s.send(b"{this is not json").await;
    s.send(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":42}")
        .await;
    s.send(initialize_request().as_bytes()).await;
    let (mut saw_init, mut saw_error) = (false, false);
    for _ in 0..3 {
        let msg = s.answer("initialize, after two malformed lines").await;
        if msg["id"] == 1 {
            assert_eq!(msg["result"]["serverInfo"]["name"], "pagerduty-mcp");
            saw_init = true;
            break;
        }
        assert!(
            msg.get("error").is_some(),
            "the bad line gets an error: {msg}"
        );
        saw_error = true;
    }
    assert!(saw_error, "malformed JSON-RPC gets a protocol error");
    assert!(saw_init, "server still serves after malformed lines");
}

/// A recognisable token, trace-level logs, failing and succeeding calls: the token appears
/// nowhere the server writes.
#[tokio::test]
async fn canary_token_never_leaks() {
    const CANARY: &str = "CANARY_tok3n+LEAK-9f8e7d";
    let h = Harness::start(Options {
        token: Some(CANARY),
        env: &[("PAGERDUTY_MCP_LOG", "trace")],
        ..Options::default()
    })
    .await;
    let calls = [
        ("get_user_data", json!({})),
        ("list_incidents", json!({"statuses": ["triggered"]})),
        ("get_incident", json!({"incident_id": "PNOPE00"})),
        ("get_incident", json!({"incident_id": "../etc"})),
    ];
    let mut outputs = Vec::new();
    for (tool, args) in &calls {
        outputs.push(text(&h.call(tool, args.clone()).await));
    }
    // Positive control: the log holds every call, including the client's request lines.
    let stderr = h.stderr_after_calls(calls.len()).await;
    assert!(
        stderr.contains("TRACE") && stderr.contains("PagerDuty request"),
        "trace logging is on and shows the requests"
    );
    assert!(
        !stderr.contains(CANARY) && !stderr.contains("tok3n"),
        "token in stderr"
    );
    for o in outputs {
        assert!(!o.contains("tok3n"), "token in tool output: {o}");
    }

    // And with a working token at trace level.
    let h = Harness::start(Options {
        env: &[("PAGERDUTY_MCP_LOG", "trace")],
        ..Options::default()
    })
    .await;
    let out = text(&h.call("list_incidents", json!({"limit": 3})).await);
    let stderr = h.stderr_after_calls(1).await;
    assert!(
        stderr.contains("PagerDuty request"),
        "the request was logged"
    );
    assert!(!stderr.contains(h.token()), "valid token in stderr");
    assert!(!out.contains(h.token()));
}

/// Hostile bytes on stdin: a 10 MB line, invalid UTF-8, and EOF in the middle of a message.
#[tokio::test]
async fn stdio_survives_huge_lines_bad_utf8_and_eof_mid_message() {
    let StdioServer {
        sim: _sim,
        mut child,
        mut stdin,
        mut out,
    } = StdioServer::start(&[]).await;
    let mut huge = vec![b'x'; 10 * 1024 * 1024];
    huge.push(b'\n');
    let writer = tokio::spawn(async move {
        stdin.write_all(&huge).await.unwrap();
        stdin
            .write_all(b"\xff\xfe{\"jsonrpc\":\"2.0\"\xc3\x28}\n")
            .await
            .unwrap();
        stdin
            .write_all(format!("{}\n", initialize_request()).as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
        stdin
    });
    let answer = loop {
        let msg = out
            .answer("initialize, after a 10 MB line and bad UTF-8")
            .await;
        if msg["id"] == 1 {
            break msg;
        }
    };
    assert_eq!(answer["result"]["serverInfo"]["name"], "pagerduty-mcp");
    let mut stdin = writer.await.unwrap();
    // Half a message, then EOF: the server exits cleanly.
    stdin
        .write_all(br#"{"jsonrpc":"2.0","id":2,"method":"tools/li"#)
        .await
        .unwrap();
    drop(stdin);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("exits on EOF")
        .unwrap();
    assert!(status.success(), "clean exit on EOF: {status}");
}
