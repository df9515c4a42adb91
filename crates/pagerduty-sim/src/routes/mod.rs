//! The route table (single source for the router and `served_routes()`) and the router
//! built from it; the middleware is in `observe`, the generic resource handlers in `resource`,
//! the shared handler helpers in `helpers`.

pub mod alert_grouping;
pub mod analytics;
pub mod audit;
pub mod business_services;
pub mod change_events;
pub mod escalation_policies;
pub mod event_orchestrations;
pub mod events;
pub mod extension_schemas;
pub mod incident_context;
pub mod incident_triage;
pub mod incident_workflows;
pub mod incidents;
pub mod log_entries;
pub mod maintenance_windows;
pub mod notification_rules;
pub mod oncalls;
pub mod priorities;
pub mod schedules;
pub mod schedules_v3;
pub mod services;
pub mod status_pages;
pub mod teams;
pub mod users;
pub mod webhooks;

mod admin;
mod helpers;
mod observe;
mod resource;

use admin::{add_fault, clear_faults, clear_requests, list_faults, list_requests};
pub use helpers::*;
use observe::observe;
pub use resource::*;

use axum::{
    Json, Router,
    http::Method,
    middleware::from_fn_with_state,
    routing::{MethodRouter, delete, get, post, put},
};
use serde_json::json;

use crate::AppState;
use crate::auth::{self, Gate};
use crate::error::ApiError;

/// One served operation.
pub struct Route {
    pub method: Method,
    /// The OpenAPI path template (axum 0.8 uses the same `{param}` syntax).
    pub path: &'static str,
    pub from_required: bool,
    pub handler: MethodRouter<AppState>,
}

/// Served operations whose spec marks `From` as required; enforced for account keys.
/// `tests/sim/openapi` checks this list against the spec, route by route.
const FROM_REQUIRED: &[(&str, &str)] = &[
    ("PUT", "/incidents"),
    ("POST", "/incidents"),
    ("PUT", "/incidents/{id}"),
    ("POST", "/incidents/{id}/notes"),
    ("PUT", "/incidents/{id}/merge"),
    ("POST", "/incidents/{id}/snooze"),
    ("POST", "/incidents/{id}/status_updates"),
    ("POST", "/maintenance_windows"),
    ("POST", "/users"),
];

fn r(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
    let from_required = FROM_REQUIRED
        .iter()
        .any(|(m, p)| *m == method.as_str() && *p == path);
    Route {
        method,
        path,
        from_required,
        handler,
    }
}

/// The route table. Add new operations here (and a sample in `tests/sim/openapi/`).
pub fn table() -> Vec<Route> {
    use crate::audit::RootKind as Kind;
    use crate::event_orchestrations::EventOrchestration;
    use crate::maintenance_windows::MaintenanceWindow;
    use crate::schedule_v3::{CustomShift, OverrideShift};
    use crate::store::{
        AlertGroupingSetting, ChangeEvent, EscalationPolicy, ExtensionSchema, IncidentWorkflow,
        LogEntry, Service, ServiceKind, Team, User, WebhookSubscription,
    };
    use Method as M;
    use analytics::Group;
    vec![
        r(M::GET, "/users/me", get(users::me)),
        r(M::GET, "/users", get(list::<User>)),
        r(M::GET, "/users/{id}", get(get_by_id::<User>)),
        r(M::GET, "/teams", get(list::<Team>)),
        r(M::GET, "/teams/{id}", get(get_by_id::<Team>)),
        r(M::GET, "/teams/{id}/members", get(teams::members)),
        r(M::GET, "/services", get(list::<Service>)),
        r(M::GET, "/services/{id}", get(get_by_id::<Service>)),
        r(
            M::GET,
            "/escalation_policies",
            get(list::<EscalationPolicy>),
        ),
        r(
            M::GET,
            "/escalation_policies/{id}",
            get(get_by_id::<EscalationPolicy>),
        ),
        r(M::GET, "/schedules", get(schedules::list)),
        r(M::GET, "/schedules/{id}", get(schedules::get)),
        r(
            M::GET,
            "/schedules/{id}/overrides",
            get(schedules::overrides),
        ),
        r(M::GET, "/schedules/{id}/users", get(schedules::users)),
        r(M::GET, "/oncalls", get(oncalls::list)),
        r(M::GET, "/priorities", get(priorities::list)),
        r(M::GET, "/incidents", get(incidents::list)),
        r(M::POST, "/incidents", post(incidents::create)),
        r(M::PUT, "/incidents", put(incidents::update_many)),
        r(M::GET, "/incidents/{id}", get(incidents::get)),
        r(M::PUT, "/incidents/{id}", put(incidents::update)),
        r(M::GET, "/incidents/{id}/notes", get(incidents::notes)),
        r(
            M::POST,
            "/incidents/{id}/notes",
            post(incidents::create_note),
        ),
        r(M::GET, "/incidents/{id}/alerts", get(incidents::alerts)),
        r(
            M::GET,
            "/incidents/{id}/alerts/{alert_id}",
            get(incidents::alert),
        ),
        r(
            M::GET,
            "/incidents/{id}/log_entries",
            get(incidents::log_entries),
        ),
        r(
            M::POST,
            "/incidents/{id}/responder_requests",
            post(incidents::responder_request),
        ),
        r(
            M::GET,
            "/maintenance_windows",
            get(list::<MaintenanceWindow>),
        ),
        r(
            M::POST,
            "/maintenance_windows",
            post(create::<MaintenanceWindow>),
        ),
        r(
            M::GET,
            "/maintenance_windows/{id}",
            get(get_by_id::<MaintenanceWindow>),
        ),
        r(
            M::DELETE,
            "/maintenance_windows/{id}",
            delete(remove::<MaintenanceWindow>),
        ),
        r(M::PUT, "/incidents/{id}/merge", put(incident_triage::merge)),
        r(
            M::POST,
            "/incidents/{id}/snooze",
            post(incident_triage::snooze),
        ),
        r(
            M::POST,
            "/incidents/{id}/status_updates",
            post(incident_triage::status_update),
        ),
        r(M::GET, "/log_entries", get(log_entries::list)),
        r(M::GET, "/log_entries/{id}", get(get_by_id::<LogEntry>)),
        r(M::POST, "/users", post(create::<User>)),
        r(M::POST, "/teams", post(create::<Team>)),
        r(M::PUT, "/teams/{id}", put(update::<Team>)),
        r(
            M::POST,
            "/escalation_policies",
            post(create::<EscalationPolicy>),
        ),
        r(
            M::PUT,
            "/escalation_policies/{id}",
            put(update::<EscalationPolicy>),
        ),
        r(M::DELETE, "/teams/{id}", delete(remove::<Team>)),
        r(M::PUT, "/teams/{id}/users/{user_id}", put(teams::put_user)),
        r(
            M::DELETE,
            "/teams/{id}/users/{user_id}",
            delete(teams::delete_user),
        ),
        r(M::POST, "/services", post(create::<Service>)),
        r(M::PUT, "/services/{id}", put(update::<Service>)),
        r(
            M::GET,
            "/webhook_subscriptions",
            get(list::<WebhookSubscription>),
        ),
        r(
            M::POST,
            "/webhook_subscriptions",
            post(create::<WebhookSubscription>),
        ),
        r(
            M::GET,
            "/webhook_subscriptions/{id}",
            get(get_by_id::<WebhookSubscription>),
        ),
        r(
            M::PUT,
            "/webhook_subscriptions/{id}",
            put(update::<WebhookSubscription>),
        ),
        r(
            M::DELETE,
            "/webhook_subscriptions/{id}",
            delete(remove::<WebhookSubscription>),
        ),
        r(M::GET, "/extension_schemas", get(list::<ExtensionSchema>)),
        r(
            M::GET,
            "/extension_schemas/{id}",
            get(get_by_id::<ExtensionSchema>),
        ),
        r(M::GET, "/incident_workflows", get(list::<IncidentWorkflow>)),
        r(
            M::GET,
            "/incident_workflows/{id}",
            get(get_by_id::<IncidentWorkflow>),
        ),
        r(
            M::POST,
            "/incident_workflows/{id}/instances",
            post(incident_workflows::start),
        ),
        r(
            M::POST,
            "/schedules/{id}/overrides",
            post(schedules::create_overrides),
        ),
        r(M::GET, "/v3/schedules", get(schedules_v3::list)),
        r(M::POST, "/v3/schedules", post(schedules_v3::create)),
        r(M::GET, "/v3/schedules/{id}", get(schedules_v3::get)),
        r(M::PUT, "/v3/schedules/{id}", put(schedules_v3::update)),
        r(
            M::DELETE,
            "/v3/schedules/{id}",
            delete(schedules_v3::delete),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/rotations",
            get(schedules_v3::list_rotations),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/rotations",
            post(schedules_v3::create_rotation),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/rotations/{rotation_id}",
            get(schedules_v3::get_rotation),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/rotations/{rotation_id}",
            delete(schedules_v3::delete_rotation),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/rotations/{rotation_id}/events",
            get(schedules_v3::list_events),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/rotations/{rotation_id}/events",
            post(schedules_v3::create_event),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            get(schedules_v3::get_event),
        ),
        r(
            M::PUT,
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            put(schedules_v3::update_event),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            delete(schedules_v3::delete_event),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/custom_shifts",
            get(schedules_v3::list_timed::<CustomShift>),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/custom_shifts",
            post(schedules_v3::create_timed::<CustomShift>),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            get(schedules_v3::get_timed::<CustomShift>),
        ),
        r(
            M::PUT,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            put(schedules_v3::update_timed::<CustomShift>),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            delete(schedules_v3::delete_timed::<CustomShift>),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/overrides",
            get(schedules_v3::list_timed::<OverrideShift>),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/overrides",
            post(schedules_v3::create_timed::<OverrideShift>),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/overrides/{override_id}",
            get(schedules_v3::get_timed::<OverrideShift>),
        ),
        r(
            M::PUT,
            "/v3/schedules/{id}/overrides/{override_id}",
            put(schedules_v3::update_timed::<OverrideShift>),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/overrides/{override_id}",
            delete(schedules_v3::delete_timed::<OverrideShift>),
        ),
        // Incident context: alert grouping, change events, intelligence, business
        // services, analytics.
        r(
            M::GET,
            "/alert_grouping_settings",
            get(alert_grouping::list),
        ),
        r(
            M::POST,
            "/alert_grouping_settings",
            post(create::<AlertGroupingSetting>),
        ),
        r(
            M::GET,
            "/alert_grouping_settings/{id}",
            get(get_by_id::<AlertGroupingSetting>),
        ),
        r(
            M::PUT,
            "/alert_grouping_settings/{id}",
            put(update::<AlertGroupingSetting>),
        ),
        r(
            M::DELETE,
            "/alert_grouping_settings/{id}",
            delete(remove::<AlertGroupingSetting>),
        ),
        r(M::GET, "/change_events", get(list::<ChangeEvent>)),
        r(M::GET, "/change_events/{id}", get(get_by_id::<ChangeEvent>)),
        r(
            M::GET,
            "/services/{id}/change_events",
            get(change_events::for_service),
        ),
        r(
            M::GET,
            "/incidents/{id}/related_change_events",
            get(change_events::for_incident),
        ),
        r(
            M::GET,
            "/incidents/{id}/past_incidents",
            get(incident_context::past_incidents),
        ),
        r(
            M::GET,
            "/incidents/{id}/related_incidents",
            get(incident_context::related_incidents),
        ),
        r(
            M::GET,
            "/incidents/{id}/outlier_incident",
            get(incident_context::outlier_incident),
        ),
        r(M::GET, "/business_services", get(business_services::list)),
        r(
            M::GET,
            "/service_dependencies/business_services/{id}",
            business_services::dependencies(ServiceKind::Business),
        ),
        r(
            M::GET,
            "/service_dependencies/technical_services/{id}",
            business_services::dependencies(ServiceKind::Technical),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/all",
            analytics::metrics(Group::All),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/services",
            analytics::metrics(Group::Service),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/teams",
            analytics::metrics(Group::Team),
        ),
        r(
            M::POST,
            "/analytics/metrics/responders/all",
            analytics::metrics(Group::Responder),
        ),
        r(
            M::POST,
            "/analytics/metrics/responders/teams",
            analytics::metrics(Group::TeamResponder),
        ),
        // Event orchestrations and status pages.
        r(
            M::GET,
            "/event_orchestrations",
            get(list::<EventOrchestration>),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}",
            get(get_by_id::<EventOrchestration>),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}/router",
            event_orchestrations::path("router", |eo| &eo.router),
        ),
        r(
            M::PUT,
            "/event_orchestrations/{id}/router",
            put(event_orchestrations::update_router),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}/global",
            event_orchestrations::path("global", |eo| &eo.global),
        ),
        r(
            M::GET,
            "/event_orchestrations/services/{service_id}",
            get(event_orchestrations::service),
        ),
        r(M::GET, "/status_pages", get(status_pages::list)),
        r(
            M::GET,
            "/status_pages/{id}/severities",
            status_pages::options("severities"),
        ),
        r(
            M::GET,
            "/status_pages/{id}/impacts",
            status_pages::options("impacts"),
        ),
        r(
            M::GET,
            "/status_pages/{id}/statuses",
            status_pages::options("statuses"),
        ),
        r(
            M::POST,
            "/status_pages/{id}/posts",
            post(status_pages::create_post),
        ),
        r(
            M::GET,
            "/status_pages/{id}/posts/{post_id}",
            get(status_pages::get_post),
        ),
        r(
            M::GET,
            "/status_pages/{id}/posts/{post_id}/post_updates",
            get(status_pages::list_post_updates),
        ),
        r(
            M::POST,
            "/status_pages/{id}/posts/{post_id}/post_updates",
            post(status_pages::create_post_update),
        ),
        r(
            M::GET,
            "/users/{id}/contact_methods",
            get(notification_rules::contact_methods),
        ),
        r(
            M::GET,
            "/users/{id}/notification_rules",
            get(notification_rules::notification_rules),
        ),
        r(
            M::GET,
            "/users/{id}/oncall_handoff_notification_rules",
            get(notification_rules::handoff_rules),
        ),
        // The audit trail; records are appended by `observe`.
        r(M::GET, "/audit/records", get(audit::list)),
        r(
            M::GET,
            "/users/{id}/audit/records",
            audit::for_kind(Kind::User),
        ),
        r(
            M::GET,
            "/teams/{id}/audit/records",
            audit::for_kind(Kind::Team),
        ),
        r(
            M::GET,
            "/schedules/{id}/audit/records",
            audit::for_kind(Kind::Schedule),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/audit/records",
            audit::for_kind(Kind::Schedule),
        ),
        r(
            M::GET,
            "/escalation_policies/{id}/audit/records",
            audit::for_kind(Kind::EscalationPolicy),
        ),
        r(
            M::GET,
            "/services/{id}/audit/records",
            audit::for_kind(Kind::Service),
        ),
    ]
}

pub fn build(state: AppState) -> Router {
    let mut api: Router<AppState> = Router::new();
    for route in table() {
        let gate = Gate {
            state: state.clone(),
            from_required: route.from_required,
        };
        api = api.route(
            route.path,
            route.handler.layer(from_fn_with_state(gate, auth::gate)),
        );
    }
    let api = api.merge(events::router());
    let api = api
        .fallback(|| async { ApiError::not_found() })
        .layer(from_fn_with_state(state.clone(), observe));
    Router::new()
        .route(
            "/_sim/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_sim/requests", get(list_requests).delete(clear_requests))
        .route("/_sim/health", get(|| async { Json(json!({"ok": true})) }))
        .merge(api)
        .with_state(state)
}
