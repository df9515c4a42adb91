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
    handler::Handler,
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

impl Route {
    /// `method` at `path`, served by a router built for it (a handler family's constructor).
    fn new(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
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
    fn get<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
        Route::new(Method::GET, path, get(handler))
    }
    fn post<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
        Route::new(Method::POST, path, post(handler))
    }
    fn put<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
        Route::new(Method::PUT, path, put(handler))
    }
    fn delete<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
        Route::new(Method::DELETE, path, delete(handler))
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
        Route::get("/users/me", users::me),
        Route::get("/users", list::<User>),
        Route::get("/users/{id}", get_by_id::<User>),
        Route::get("/teams", list::<Team>),
        Route::get("/teams/{id}", get_by_id::<Team>),
        Route::get("/teams/{id}/members", teams::members),
        Route::get("/services", list::<Service>),
        Route::get("/services/{id}", get_by_id::<Service>),
        Route::get("/escalation_policies", list::<EscalationPolicy>),
        Route::get("/escalation_policies/{id}", get_by_id::<EscalationPolicy>),
        Route::get("/schedules", schedules::list),
        Route::get("/schedules/{id}", schedules::get),
        Route::get("/schedules/{id}/overrides", schedules::overrides),
        Route::get("/schedules/{id}/users", schedules::users),
        Route::get("/oncalls", oncalls::list),
        Route::get("/priorities", priorities::list),
        Route::get("/incidents", incidents::list),
        Route::post("/incidents", incidents::create),
        Route::put("/incidents", incidents::update_many),
        Route::get("/incidents/{id}", incidents::get),
        Route::put("/incidents/{id}", incidents::update),
        Route::get("/incidents/{id}/notes", incidents::notes),
        Route::post("/incidents/{id}/notes", incidents::create_note),
        Route::get("/incidents/{id}/alerts", incidents::alerts),
        Route::get("/incidents/{id}/alerts/{alert_id}", incidents::alert),
        Route::get("/incidents/{id}/log_entries", incidents::log_entries),
        Route::post(
            "/incidents/{id}/responder_requests",
            incidents::responder_request,
        ),
        Route::get("/maintenance_windows", list::<MaintenanceWindow>),
        Route::post("/maintenance_windows", create::<MaintenanceWindow>),
        Route::get("/maintenance_windows/{id}", get_by_id::<MaintenanceWindow>),
        Route::delete("/maintenance_windows/{id}", remove::<MaintenanceWindow>),
        Route::put("/incidents/{id}/merge", incident_triage::merge),
        Route::post("/incidents/{id}/snooze", incident_triage::snooze),
        Route::post(
            "/incidents/{id}/status_updates",
            incident_triage::status_update,
        ),
        Route::get("/log_entries", log_entries::list),
        Route::get("/log_entries/{id}", get_by_id::<LogEntry>),
        Route::post("/users", create::<User>),
        Route::post("/teams", create::<Team>),
        Route::put("/teams/{id}", update::<Team>),
        Route::post("/escalation_policies", create::<EscalationPolicy>),
        Route::put("/escalation_policies/{id}", update::<EscalationPolicy>),
        Route::delete("/teams/{id}", remove::<Team>),
        Route::put("/teams/{id}/users/{user_id}", teams::put_user),
        Route::delete("/teams/{id}/users/{user_id}", teams::delete_user),
        Route::post("/services", create::<Service>),
        Route::put("/services/{id}", update::<Service>),
        Route::get("/webhook_subscriptions", list::<WebhookSubscription>),
        Route::post("/webhook_subscriptions", create::<WebhookSubscription>),
        Route::get(
            "/webhook_subscriptions/{id}",
            get_by_id::<WebhookSubscription>,
        ),
        Route::put("/webhook_subscriptions/{id}", update::<WebhookSubscription>),
        Route::delete("/webhook_subscriptions/{id}", remove::<WebhookSubscription>),
        Route::get("/extension_schemas", list::<ExtensionSchema>),
        Route::get("/extension_schemas/{id}", get_by_id::<ExtensionSchema>),
        Route::get("/incident_workflows", list::<IncidentWorkflow>),
        Route::get("/incident_workflows/{id}", get_by_id::<IncidentWorkflow>),
        Route::post(
            "/incident_workflows/{id}/instances",
            incident_workflows::start,
        ),
        Route::post("/schedules/{id}/overrides", schedules::create_overrides),
        Route::get("/v3/schedules", schedules_v3::list),
        Route::post("/v3/schedules", schedules_v3::create),
        Route::get("/v3/schedules/{id}", schedules_v3::get),
        Route::put("/v3/schedules/{id}", schedules_v3::update),
        Route::delete("/v3/schedules/{id}", schedules_v3::delete),
        Route::get("/v3/schedules/{id}/rotations", schedules_v3::list_rotations),
        Route::post(
            "/v3/schedules/{id}/rotations",
            schedules_v3::create_rotation,
        ),
        Route::get(
            "/v3/schedules/{id}/rotations/{rotation_id}",
            schedules_v3::get_rotation,
        ),
        Route::delete(
            "/v3/schedules/{id}/rotations/{rotation_id}",
            schedules_v3::delete_rotation,
        ),
        Route::get(
            "/v3/schedules/{id}/rotations/{rotation_id}/events",
            schedules_v3::list_events,
        ),
        Route::post(
            "/v3/schedules/{id}/rotations/{rotation_id}/events",
            schedules_v3::create_event,
        ),
        Route::get(
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            schedules_v3::get_event,
        ),
        Route::put(
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            schedules_v3::update_event,
        ),
        Route::delete(
            "/v3/schedules/{id}/rotations/{rotation_id}/events/{event_id}",
            schedules_v3::delete_event,
        ),
        Route::get(
            "/v3/schedules/{id}/custom_shifts",
            schedules_v3::list_timed::<CustomShift>,
        ),
        Route::post(
            "/v3/schedules/{id}/custom_shifts",
            schedules_v3::create_timed::<CustomShift>,
        ),
        Route::get(
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            schedules_v3::get_timed::<CustomShift>,
        ),
        Route::put(
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            schedules_v3::update_timed::<CustomShift>,
        ),
        Route::delete(
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            schedules_v3::delete_timed::<CustomShift>,
        ),
        Route::get(
            "/v3/schedules/{id}/overrides",
            schedules_v3::list_timed::<OverrideShift>,
        ),
        Route::post(
            "/v3/schedules/{id}/overrides",
            schedules_v3::create_timed::<OverrideShift>,
        ),
        Route::get(
            "/v3/schedules/{id}/overrides/{override_id}",
            schedules_v3::get_timed::<OverrideShift>,
        ),
        Route::put(
            "/v3/schedules/{id}/overrides/{override_id}",
            schedules_v3::update_timed::<OverrideShift>,
        ),
        Route::delete(
            "/v3/schedules/{id}/overrides/{override_id}",
            schedules_v3::delete_timed::<OverrideShift>,
        ),
        // Incident context: alert grouping, change events, intelligence, business
        // services, analytics.
        Route::get("/alert_grouping_settings", alert_grouping::list),
        Route::post("/alert_grouping_settings", create::<AlertGroupingSetting>),
        Route::get(
            "/alert_grouping_settings/{id}",
            get_by_id::<AlertGroupingSetting>,
        ),
        Route::put(
            "/alert_grouping_settings/{id}",
            update::<AlertGroupingSetting>,
        ),
        Route::delete(
            "/alert_grouping_settings/{id}",
            remove::<AlertGroupingSetting>,
        ),
        Route::get("/change_events", list::<ChangeEvent>),
        Route::get("/change_events/{id}", get_by_id::<ChangeEvent>),
        Route::get("/services/{id}/change_events", change_events::for_service),
        Route::get(
            "/incidents/{id}/related_change_events",
            change_events::for_incident,
        ),
        Route::get(
            "/incidents/{id}/past_incidents",
            incident_context::past_incidents,
        ),
        Route::get(
            "/incidents/{id}/related_incidents",
            incident_context::related_incidents,
        ),
        Route::get(
            "/incidents/{id}/outlier_incident",
            incident_context::outlier_incident,
        ),
        Route::get("/business_services", business_services::list),
        Route::new(
            M::GET,
            "/service_dependencies/business_services/{id}",
            business_services::dependencies(ServiceKind::Business),
        ),
        Route::new(
            M::GET,
            "/service_dependencies/technical_services/{id}",
            business_services::dependencies(ServiceKind::Technical),
        ),
        Route::new(
            M::POST,
            "/analytics/metrics/incidents/all",
            analytics::metrics(Group::All),
        ),
        Route::new(
            M::POST,
            "/analytics/metrics/incidents/services",
            analytics::metrics(Group::Service),
        ),
        Route::new(
            M::POST,
            "/analytics/metrics/incidents/teams",
            analytics::metrics(Group::Team),
        ),
        Route::new(
            M::POST,
            "/analytics/metrics/responders/all",
            analytics::metrics(Group::Responder),
        ),
        Route::new(
            M::POST,
            "/analytics/metrics/responders/teams",
            analytics::metrics(Group::TeamResponder),
        ),
        // Event orchestrations and status pages.
        Route::get("/event_orchestrations", list::<EventOrchestration>),
        Route::get(
            "/event_orchestrations/{id}",
            get_by_id::<EventOrchestration>,
        ),
        Route::new(
            M::GET,
            "/event_orchestrations/{id}/router",
            event_orchestrations::path("router", |eo| &eo.router),
        ),
        Route::put(
            "/event_orchestrations/{id}/router",
            event_orchestrations::update_router,
        ),
        Route::new(
            M::GET,
            "/event_orchestrations/{id}/global",
            event_orchestrations::path("global", |eo| &eo.global),
        ),
        Route::get(
            "/event_orchestrations/services/{service_id}",
            event_orchestrations::service,
        ),
        Route::get("/status_pages", status_pages::list),
        Route::new(
            M::GET,
            "/status_pages/{id}/severities",
            status_pages::options("severities"),
        ),
        Route::new(
            M::GET,
            "/status_pages/{id}/impacts",
            status_pages::options("impacts"),
        ),
        Route::new(
            M::GET,
            "/status_pages/{id}/statuses",
            status_pages::options("statuses"),
        ),
        Route::post("/status_pages/{id}/posts", status_pages::create_post),
        Route::get("/status_pages/{id}/posts/{post_id}", status_pages::get_post),
        Route::get(
            "/status_pages/{id}/posts/{post_id}/post_updates",
            status_pages::list_post_updates,
        ),
        Route::post(
            "/status_pages/{id}/posts/{post_id}/post_updates",
            status_pages::create_post_update,
        ),
        Route::get(
            "/users/{id}/contact_methods",
            notification_rules::contact_methods,
        ),
        Route::get(
            "/users/{id}/notification_rules",
            notification_rules::notification_rules,
        ),
        Route::get(
            "/users/{id}/oncall_handoff_notification_rules",
            notification_rules::handoff_rules,
        ),
        // The audit trail; records are appended by `observe`.
        Route::get("/audit/records", audit::list),
        Route::new(
            M::GET,
            "/users/{id}/audit/records",
            audit::for_kind(Kind::User),
        ),
        Route::new(
            M::GET,
            "/teams/{id}/audit/records",
            audit::for_kind(Kind::Team),
        ),
        Route::new(
            M::GET,
            "/schedules/{id}/audit/records",
            audit::for_kind(Kind::Schedule),
        ),
        Route::new(
            M::GET,
            "/v3/schedules/{id}/audit/records",
            audit::for_kind(Kind::Schedule),
        ),
        Route::new(
            M::GET,
            "/escalation_policies/{id}/audit/records",
            audit::for_kind(Kind::EscalationPolicy),
        ),
        Route::new(
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
