//! Bad input to the read tools of every domain, as one table: each call is refused, before
//! anything is asked of PagerDuty that cannot work, with an error that names the field and
//! what it allows (or the id that was not found). A failure names the tool and its arguments.

use serde_json::json;

use crate::harness::Harness;

#[tokio::test]
async fn read_tools_refuse_bad_input_and_say_why() {
    let h = Harness::read_only().await;
    h.err_table(&[
        // Escalation policies.
        (
            "get_escalation_policy",
            json!({"policy_id": "PNOPOL1"}),
            &["PNOPOL1", "not found"],
        ),
        (
            "list_escalation_policies",
            json!({"include": ["owners"]}),
            &["include[0]", "targets"],
        ),
        // Extension schemas.
        (
            "get_extension_schema",
            json!({"schema_id": "PNOPE00"}),
            &["Extension schema PNOPE00 was not found"],
        ),
        (
            "list_extension_schemas",
            json!({"limit": 5000}),
            &["`limit`"],
        ),
        // Incidents: listing.
        (
            "list_incidents",
            json!({"statuses": ["open"]}),
            &["statuses[0]", "triggered", "resolved"],
        ),
        ("list_incidents", json!({"limit": 0}), &["`limit`"]),
        ("list_incidents", json!({"limit": "ten"}), &["`limit`"]),
        (
            "list_incidents",
            json!({"request_scope": "mine"}),
            &["request_scope", "assigned"],
        ),
        (
            "list_incidents",
            json!({"since": "last tuesday"}),
            &["`since`"],
        ),
        // Incidents: one by id.
        (
            "get_incident",
            json!({"incident_id": "PNOTREAL"}),
            &["PNOTREAL", "not found"],
        ),
        (
            "get_incident",
            json!({"incident_id": "../users/me"}),
            &["incident_id", "not a valid incident id"],
        ),
        ("get_incident", json!({}), &["missing field `incident_id`"]),
        (
            "get_incident",
            json!({"incident_id": "P1", "query_model": {"include": ["everything"]}}),
            &["query_model.include[0]", "assignees"],
        ),
        // From protocol::unknown_tool_and_stringified_objects.
        (
            "get_incident",
            json!({"incident_id": "PNOPE01", "surprise": 1}),
            &["unknown field `surprise`"],
        ),
        // On-calls.
        (
            "list_oncalls",
            json!({"time_zone": "Mars/Olympus"}),
            &["time_zone", "IANA"],
        ),
        ("list_oncalls", json!({"earliest": "yes"}), &["`earliest`"]),
        // Services.
        (
            "get_service",
            json!({"service_id": "PNOSVC1"}),
            &["Service PNOSVC1 was not found"],
        ),
        ("list_services", json!({"team_ids": "PT1"}), &["`team_ids`"]),
        // Teams.
        (
            "get_team",
            json!({"team_id": "PNOTEAM"}),
            &["Team PNOTEAM was not found"],
        ),
        ("list_teams", json!({"scope": "mine"}), &["`scope`", "my"]),
        (
            "list_team_members",
            json!({"team_id": "PNOTEAM"}),
            &["not found"],
        ),
        ("list_teams", json!({"limit": 0}), &["`limit`"]),
        // From alert_grouping::list_pages_with_the_after_cursor_and_get_matches.
        (
            "get_alert_grouping_setting",
            json!({"setting_id": "PNOPE00"}),
            &["not found (404)"],
        ),
        (
            "list_alert_grouping_settings",
            json!({"after": "x", "before": "x"}),
            &["not both"],
        ),
        // From analytics::responder_metrics_per_member_match_the_log.
        (
            "get_responder_metrics",
            json!({"date_range_start": "2026-11-19T10:00:00Z", "date_range_end": "2026-10-19T10:00:00Z"}),
            &["`date_range_end`"],
        ),
        // From analytics::incident_metrics_by_service_recomputed_from_incidents.
        (
            "get_incident_metrics_by_service",
            json!({"created_at_start": "2026-10-19T10:00:00Z", "created_at_end": "2026-11-19T10:00:00Z", "service_ids": ["PNOSVC1"], "time_zone": "Mars/Olympus"}),
            &["`time_zone`", "IANA"],
        ),
        // From analytics::incident_metrics_all_defaults_to_my_teams_with_a_user_token.
        (
            "get_incident_metrics_all",
            json!({"created_at_start": "2026-11-19T10:00:00Z", "created_at_end": "2026-10-19T10:00:00Z"}),
            &["`created_at_end`", "after `created_at_start`"],
        ),
        // From audit::the_seeded_trail_by_action_type_and_window.
        // PagerDuty's limits, said before any request.
        (
            "list_audit_records",
            json!({"since": "2026-09-01T00:00:00Z", "until": "2026-11-18T00:00:00Z"}),
            &["31 days"],
        ),
        (
            "list_audit_records",
            json!({"resource": "Data"}),
            &["resource_type"],
        ),
        // From brief::brief_names_missing_sections_and_rejects_bad_input.
        (
            "get_incident_brief",
            json!({"incident_id": "PNOPE01"}),
            &["not found"],
        ),
        // From business_services::business_services_and_their_dependencies.
        (
            "get_business_service_dependencies",
            json!({"business_service_id": "PNOPE00"}),
            &["Business service PNOPE00 was not found"],
        ),
        // From business_services::technical_service_dependencies_both_directions.
        (
            "get_technical_service_dependencies",
            json!({"service_id": "PNOPE00"}),
            &["Service PNOPE00 was not found"],
        ),
        // From change_events::list_change_events_matches_the_api_and_counts.
        (
            "get_change_event",
            json!({"change_event_id": "a/b"}),
            &["not a valid change event id"],
        ),
        // From event_orchestrations::orchestrations_bad_input.
        (
            "get_event_orchestration",
            json!({"orchestration_id": "PNOPE00"}),
            &["PNOPE00", "not found"],
        ),
        (
            "get_event_orchestration_router",
            json!({"orchestration_id": "../x"}),
            &["orchestration"],
        ),
        (
            "get_event_orchestration_global",
            json!({"orchestration_id": "PNOPE00"}),
            &["not found"],
        ),
        (
            "get_event_orchestration_service",
            json!({"service_id": "PNOPE00"}),
            &["not found"],
        ),
        (
            "list_event_orchestrations",
            json!({"limit": 0}),
            &["`limit`"],
        ),
        // From change_events::service_change_events_only_that_service.
        (
            "list_service_change_events",
            json!({"service_id": "PNOSVC1", "integration_ids": ["bad id"]}),
            &["integration_ids[0]"],
        ),
        // From event_orchestrations::orchestrations_bad_input.
        (
            "list_event_orchestrations",
            json!({"sort_by": "size:asc"}),
            &["sort_by", "name:asc"],
        ),
        // From handoff::business_hours_leave_the_night_uncovered.
        (
            "get_oncall_handoff",
            json!({"schedule": "Data Business Hours", "at": "2026-11-17T20:00:00Z"}),
            &["nobody is on call"],
        ),
        ("get_oncall_handoff", json!({}), &["either"]),
        // From incident_workflows::incident_workflows_list_and_get.
        (
            "get_incident_workflow",
            json!({"workflow_id": "PNOPE00"}),
            &["Incident workflow PNOPE00 was not found"],
        ),
        (
            "list_incident_workflows",
            json!({"include": ["owners"]}),
            &["`include"],
        ),
        // From incident_context::past_incidents_are_similar_and_on_the_same_service.
        (
            "get_past_incidents",
            json!({"incident_id": "PNOPE01", "query_model": {"limit": 0}}),
            &["query_model.limit", "1 and 999"],
        ),
        // The official schema requires query_model.
        (
            "get_past_incidents",
            json!({"incident_id": "PNOPE01"}),
            &["query_model"],
        ),
        // From incident_context::related_incidents_share_a_dependency_or_content.
        (
            "get_related_incidents",
            json!({"incident_id": "PNOPE01", "query_model": {"additional_details": ["alerts"]}}),
            &["query_model.additional_details"],
        ),
        // From incidents::list_incident_notes_matches_the_api.
        (
            "list_incident_notes",
            json!({"incident_id": "PMISSING1"}),
            &["not found"],
        ),
        // From log_entries::list_log_entries_matches_the_api_with_filters.
        (
            "list_log_entries",
            json!({"query_model": {"time_zone": "Mars/Olympus"}}),
            &["query_model.time_zone", "IANA"],
        ),
        (
            "list_log_entries",
            json!({"query_model": {"limit": 0}}),
            &["query_model.limit"],
        ),
        // From log_entries::get_log_entry_by_id.
        (
            "get_log_entry",
            json!({"log_entry_id": "PNOPE00"}),
            &["Log entry PNOPE00 was not found"],
        ),
        // From maintenance_windows::seeded_windows_by_state.
        (
            "list_maintenance_windows",
            json!({"state": "soon"}),
            &["`state`"],
        ),
        // From notification_rules::rules_resolve_to_contact_methods_in_order.
        (
            "list_notification_rules",
            json!({"user": "nobody at all"}),
            &["nobody at all"],
        ),
        // From oncall_insights::who_is_on_call_by_team_user_and_bad_input.
        ("who_is_on_call", json!({}), &["exactly one"]),
        (
            "who_is_on_call",
            json!({"service": "x", "team": "y"}),
            &["exactly one"],
        ),
        (
            "who_is_on_call",
            json!({"service": "No Such Thing"}),
            &["no service is named"],
        ),
        (
            "who_is_on_call",
            json!({"service": "a"}),
            &["matches several services"],
        ),
        (
            "who_is_on_call",
            json!({"team": "Platform", "time_zone": "Mars/Base"}),
            &["time_zone"],
        ),
        // From oncall_insights::find_ranks_names_and_tolerates_typos.
        ("find", json!({"query": "  "}), &["`query`"]),
        (
            "find",
            json!({"query": "x", "kinds": ["widget"]}),
            &["kinds[0]", "escalation_policy"],
        ),
        // From priorities::list_priorities_in_account_order.
        (
            "list_priorities",
            json!({"limit": 3}),
            &["unknown field `limit`"],
        ),
        // From protocol::unknown_tool_and_stringified_objects.
        // A withheld tool is known: its result says why it is not offered.
        (
            "create_incident",
            json!({"incident": {"title": "x", "service": {"id": "P1"}}}),
            &["--enable-write-tools"],
        ),
        // From schedules::list_schedules_merges_both_kinds.
        (
            "list_schedules",
            json!({"query_model": {"limit": 0}}),
            &["query_model.limit"],
        ),
        // From schedules::get_schedule_answers_for_both_kinds.
        (
            "get_schedule",
            json!({"schedule_id": "PNOPE00"}),
            &["not found (404)"],
        ),
        (
            "get_schedule",
            json!({"schedule_id": "../users"}),
            &["not a valid schedule id"],
        ),
        // From service_health::a_teams_or_named_services.
        (
            "get_service_health",
            json!({"services": ["Search"], "team": "Mobile"}),
            &["not both"],
        ),
        // From status_pages::status_page_reads_bad_input.
        (
            "list_status_pages",
            json!({"query_model": {"status_page_type": "secret"}}),
            &["public", "private"],
        ),
        (
            "list_status_pages",
            json!({"query_model": {"limit": 101}}),
            &["query_model.limit", "100"],
        ),
        // From users::get_user_data_is_the_token_owner.
        (
            "get_user_data",
            json!({"user_id": "P1"}),
            &["unknown field `user_id`"],
        ),
        // From users::list_users_filters_and_pages.
        (
            "list_users",
            json!({"team_ids": ["../x"]}),
            &["not a valid team id"],
        ),
        // From webhooks::webhook_subscriptions_list_and_get.
        (
            "get_webhook_subscription",
            json!({"subscription_id": "PNOPE00"}),
            &["Webhook subscription PNOPE00 was not found"],
        ),
        (
            "list_webhook_subscriptions",
            json!({"filter_type": "galaxy"}),
            &["`filter_type`"],
        ),
    ])
    .await;
}

/// Bad input to the write tools, as one table: refused with an error that names the field and
/// what it allows. Each tool's successful write is in its domain's module (the positive
/// control).
#[tokio::test]
async fn write_tools_refuse_bad_input_and_say_why() {
    let h = Harness::with_writes().await;
    h.err_table(&[
        // From incidents::create_incident_bad_input.
        (
            "create_incident",
            json!({"incident": {"service": {"id": "PX"}}}),
            &["incident", "missing field `title`"],
        ),
        (
            "create_incident",
            json!({"incident": {"title": "x", "service": {"id": "PNOSERVICE"}, "urgency": "urgent"}}),
            &["incident.urgency", "high"],
        ),
        (
            "create_incident",
            json!({"incident": {"title": "x", "service": {"id": "PNOSERVICE"}}}),
            &["PagerDuty"],
        ),
        // From incidents::manage_incidents_bad_input (nothing is sent: checked below).
        (
            "manage_incidents",
            json!({"manage_request": {"incident_ids": ["P1"], "status": "closed"}}),
            &["manage_request.status", "acknowledged"],
        ),
        (
            "manage_incidents",
            json!({"manage_request": {"incident_ids": []}}),
            &["incident_ids"],
        ),
        (
            "manage_incidents",
            json!({"manage_request": {"incident_ids": ["P1"]}}),
            &["nothing to change"],
        ),
        (
            "manage_incidents",
            json!({"manage_request": {"incident_ids": ["P1"], "assignment": {"id": "PU1"}, "escalation_level": 2}}),
            &["not both"],
        ),
        // From events::bad_events_get_clear_errors.
        (
            "send_change_event",
            json!({"routing_key": "short", "summary": "s"}),
            &["32-character"],
        ),
        // No key anywhere.
        (
            "send_change_event",
            json!({"summary": "Deploy"}),
            &["PAGERDUTY_ROUTING_KEY"],
        ),
        // From incidents::add_note_then_list_it.
        (
            "add_note_to_incident",
            json!({"incident_id": "PNOPE01", "note": "  "}),
            &["`note`"],
        ),
        // From incidents::add_responders_requests_help.
        (
            "add_responders",
            json!({"incident_id": "PNOPE01", "request": {"message": "x",
                   "responder_request_targets": [{"responder_request_target": {"id": "PNOUSER", "type": "team_reference"}}]}}),
            &["type", "user_reference"],
        ),
        // From incident_triage::snooze_only_acknowledged_incidents.
        (
            "snooze_incident",
            json!({"incident_id": "PNOPE01", "duration_minutes": 20000}),
            &["`duration_minutes`"],
        ),
        // From users::create_user_bad_input (nothing is sent: checked below).
        (
            "create_user",
            json!({"request": {"name": "A", "email": "not-an-email"}}),
            &["`request.email`"],
        ),
        (
            "create_user",
            json!({"request": {"name": "A", "email": "zed.bad@example.com", "time_zone": "Mars/Olympus"}}),
            &["`request.time_zone`", "IANA"],
        ),
        (
            "create_user",
            json!({"request": {"name": "A", "email": "zed.bad@example.com", "role": "owner"}}),
            &["`request.role`"],
        ),
        (
            "create_user",
            json!({"request": {"name": "A", "email": "zed.bad@example.com", "role": "boss"}}),
            &["unknown variant `boss`"],
        ),
        // From services::service_writes_bad_input.
        (
            "create_service",
            json!({"service_data": {"service": {"name": "No policy"}}}),
            &["`service_data.service.escalation_policy`"],
        ),
        (
            "create_service",
            json!({"service_data": {"service": {"name": "X", "escalation_policy": {"id": "PNOPE00"}}}}),
            &["Escalation policy PNOPE00 not found"],
        ),
        // From teams::team_writes_bad_input.
        (
            "create_team",
            json!({"create_model": {"team": {"name": "  "}}}),
            &["`create_model.team.name`"],
        ),
        (
            "create_team",
            json!({"create_model": {"team": {"name": "x", "default_role": "observer"}}}),
            &["default_role", "manager"],
        ),
    ])
    .await;
    // What is refused before sending sends nothing: no incident changed, no user created.
    assert_eq!(h.sim.requests().count("PUT", "/incidents"), 0);
    assert!(h.raw_list("/users?query=zed.bad").await.is_empty());
}
