//! The route table (single source for the router and `served_routes()`),
//! the outer request-log/fault middleware, admin endpoints and shared
//! handler helpers.

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

use admin::{add_fault, clear_faults, clear_requests, list_faults, list_requests};
pub use helpers::*;

use axum::{
    Json, Router,
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{Next, from_fn_with_state},
    response::{IntoResponse, Response},
    routing::{MethodRouter, delete, get, post, put},
};
use serde_json::{Value, json};

use crate::auth::{self, Gate};
use crate::error::ApiError;
use crate::faults::{CredentialKind, FaultKind, RequestRecord};
use crate::net::ConnKill;
use crate::store::Credential;
use crate::{AppState, SimState};

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
    use Method as M;
    vec![
        r(M::GET, "/users/me", get(users::me)),
        r(M::GET, "/users", get(users::list)),
        r(M::GET, "/users/{id}", get(get_by_id::<crate::store::User>)),
        r(M::GET, "/teams", get(teams::list)),
        r(M::GET, "/teams/{id}", get(get_by_id::<crate::store::Team>)),
        r(M::GET, "/teams/{id}/members", get(teams::members)),
        r(M::GET, "/services", get(services::list)),
        r(
            M::GET,
            "/services/{id}",
            get(get_by_id::<crate::store::Service>),
        ),
        r(
            M::GET,
            "/escalation_policies",
            get(escalation_policies::list),
        ),
        r(
            M::GET,
            "/escalation_policies/{id}",
            get(get_by_id::<crate::store::EscalationPolicy>),
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
            get(maintenance_windows::list),
        ),
        r(
            M::POST,
            "/maintenance_windows",
            post(maintenance_windows::create),
        ),
        r(
            M::GET,
            "/maintenance_windows/{id}",
            get(maintenance_windows::get),
        ),
        r(
            M::DELETE,
            "/maintenance_windows/{id}",
            delete(maintenance_windows::delete),
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
        r(M::GET, "/log_entries/{id}", get(log_entries::get)),
        r(M::POST, "/users", post(users::create)),
        r(M::POST, "/teams", post(teams::create)),
        r(M::PUT, "/teams/{id}", put(teams::update)),
        r(
            M::POST,
            "/escalation_policies",
            post(escalation_policies::create),
        ),
        r(
            M::PUT,
            "/escalation_policies/{id}",
            put(escalation_policies::update),
        ),
        r(M::DELETE, "/teams/{id}", delete(teams::delete)),
        r(M::PUT, "/teams/{id}/users/{user_id}", put(teams::put_user)),
        r(
            M::DELETE,
            "/teams/{id}/users/{user_id}",
            delete(teams::delete_user),
        ),
        r(M::POST, "/services", post(services::create)),
        r(M::PUT, "/services/{id}", put(services::update)),
        r(M::GET, "/webhook_subscriptions", get(webhooks::list)),
        r(M::POST, "/webhook_subscriptions", post(webhooks::create)),
        r(
            M::GET,
            "/webhook_subscriptions/{id}",
            get(get_by_id::<crate::store::WebhookSubscription>),
        ),
        r(M::PUT, "/webhook_subscriptions/{id}", put(webhooks::update)),
        r(
            M::DELETE,
            "/webhook_subscriptions/{id}",
            delete(webhooks::delete),
        ),
        r(M::GET, "/extension_schemas", get(extension_schemas::list)),
        r(
            M::GET,
            "/extension_schemas/{id}",
            get(get_by_id::<crate::store::ExtensionSchema>),
        ),
        r(M::GET, "/incident_workflows", get(incident_workflows::list)),
        r(
            M::GET,
            "/incident_workflows/{id}",
            get(get_by_id::<crate::store::IncidentWorkflow>),
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
            get(schedules_v3::list_custom_shifts),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/custom_shifts",
            post(schedules_v3::create_custom_shifts),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            get(schedules_v3::get_custom_shift),
        ),
        r(
            M::PUT,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            put(schedules_v3::update_custom_shift),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/custom_shifts/{custom_shift_id}",
            delete(schedules_v3::delete_custom_shift),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/overrides",
            get(schedules_v3::list_overrides),
        ),
        r(
            M::POST,
            "/v3/schedules/{id}/overrides",
            post(schedules_v3::create_overrides),
        ),
        r(
            M::GET,
            "/v3/schedules/{id}/overrides/{override_id}",
            get(schedules_v3::get_override),
        ),
        r(
            M::PUT,
            "/v3/schedules/{id}/overrides/{override_id}",
            put(schedules_v3::update_override),
        ),
        r(
            M::DELETE,
            "/v3/schedules/{id}/overrides/{override_id}",
            delete(schedules_v3::delete_override),
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
            post(alert_grouping::create),
        ),
        r(
            M::GET,
            "/alert_grouping_settings/{id}",
            get(get_by_id::<crate::store::AlertGroupingSetting>),
        ),
        r(
            M::PUT,
            "/alert_grouping_settings/{id}",
            put(alert_grouping::update),
        ),
        r(
            M::DELETE,
            "/alert_grouping_settings/{id}",
            axum::routing::delete(alert_grouping::delete),
        ),
        r(M::GET, "/change_events", get(change_events::list)),
        r(
            M::GET,
            "/change_events/{id}",
            get(get_by_id::<crate::store::ChangeEvent>),
        ),
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
            get(business_services::business_dependencies),
        ),
        r(
            M::GET,
            "/service_dependencies/technical_services/{id}",
            get(business_services::technical_dependencies),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/all",
            post(analytics::incidents_all),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/services",
            post(analytics::incidents_services),
        ),
        r(
            M::POST,
            "/analytics/metrics/incidents/teams",
            post(analytics::incidents_teams),
        ),
        r(
            M::POST,
            "/analytics/metrics/responders/all",
            post(analytics::responders_all),
        ),
        r(
            M::POST,
            "/analytics/metrics/responders/teams",
            post(analytics::responders_teams),
        ),
        // Event orchestrations and status pages.
        r(
            M::GET,
            "/event_orchestrations",
            get(event_orchestrations::list),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}",
            get(get_by_id::<crate::event_orchestrations::EventOrchestration>),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}/router",
            get(event_orchestrations::router),
        ),
        r(
            M::PUT,
            "/event_orchestrations/{id}/router",
            put(event_orchestrations::update_router),
        ),
        r(
            M::GET,
            "/event_orchestrations/{id}/global",
            get(event_orchestrations::global),
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
            get(status_pages::severities),
        ),
        r(
            M::GET,
            "/status_pages/{id}/impacts",
            get(status_pages::impacts),
        ),
        r(
            M::GET,
            "/status_pages/{id}/statuses",
            get(status_pages::statuses),
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

// ---------- outer middleware: request log + faults ----------

fn credential_kind(st: &SimState, req: &Request) -> CredentialKind {
    if !req.headers().contains_key(header::AUTHORIZATION) {
        return CredentialKind::None;
    }
    let store = st.store.read().unwrap_or_else(|e| e.into_inner());
    match auth::authenticate(&store, req.headers()) {
        Some((_, Credential::UserToken { .. })) => CredentialKind::User,
        Some((_, Credential::AccountKey { .. })) => CredentialKind::Account,
        Some((_, Credential::OAuth { .. })) => CredentialKind::Oauth,
        None => CredentialKind::Invalid,
    }
}

fn record(st: &SimState, req: &Request) -> RequestRecord {
    let header_str = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    RequestRecord {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().map(String::from),
        status: 0,
        from_present: req.headers().contains_key("from"),
        credential: credential_kind(st, req),
        accept: header_str("accept"),
        user_agent: header_str("user-agent"),
        fault: None,
    }
}

async fn observe(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let mut rec = record(&st, &req);
    tracing::debug!(method = %rec.method, path = %rec.path, "request");
    wake_snoozed(&st);
    let fault = st.faults.take(req.method(), req.uri().path());
    rec.fault = fault.as_ref().map(|f| format!("{f:?}"));
    let resp = match fault {
        None => audited(&st, req, next).await,
        Some(FaultKind::Delay(d)) => {
            tokio::time::sleep(d).await;
            audited(&st, req, next).await
        }
        Some(FaultKind::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let msg = status.canonical_reason().unwrap_or("Error");
            ApiError::new(
                status,
                if status.is_server_error() { 2000 } else { 2001 },
                msg,
            )
            .into_response()
        }
        Some(FaultKind::RateLimited { reset_secs }) => auth::rate_limited(
            st.config.rate_limit_per_minute.unwrap_or(960),
            0,
            reset_secs,
        ),
        Some(FaultKind::Drop) => match req.extensions().get::<ConnectInfo<ConnKill>>() {
            // The connection's IO fails from now on, so hyper closes it
            // without writing a byte of this response.
            Some(ConnectInfo(k)) => {
                k.kill();
                StatusCode::NO_CONTENT.into_response()
            }
            // In-process router (no kill switch): a failing body still
            // aborts the connection.
            None => Response::new(Body::from_stream(futures::stream::iter(vec![Err::<
                Bytes,
                std::io::Error,
            >(
                std::io::Error::other("dropped"),
            )]))),
        },
        Some(FaultKind::MalformedJson) => {
            let mut resp = Response::new(Body::from(
                "{\"incidents\": [{\"id\": \"PX1\", \"title\": \"oops\"},, <html>",
            ));
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp
        }
        Some(FaultKind::Truncated) => truncate(next.run(req).await).await,
        Some(FaultKind::Oversized { bytes, declared }) => oversized(bytes, declared),
        Some(FaultKind::Drip { every }) => drip(every),
        Some(FaultKind::RetryAfter(value)) => {
            let mut resp = ApiError::rate_limited().into_response();
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
    };
    rec.status = if rec.fault.as_deref() == Some("Drop") {
        0
    } else {
        resp.status().as_u16()
    };
    st.log.lock().unwrap_or_else(|e| e.into_inner()).push(rec);
    resp
}

/// The largest request or answer body a write keeps for its audit record.
const AUDITED_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Runs the request; a successful write also appends its audit record (the one place every
/// write passes, so no handler can forget it).
async fn audited(st: &SimState, req: Request, next: Next) -> Response {
    let pending = {
        let store = st.store.read().unwrap_or_else(|e| e.into_inner());
        crate::audit::Pending::start(&store, req.method(), req.uri().path(), req.headers())
    };
    let Some(pending) = pending else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(sent) = axum::body::to_bytes(body, AUDITED_BODY_LIMIT).await else {
        return ApiError::invalid("The request body is too large").into_response();
    };
    let resp = next
        .run(Request::from_parts(parts, Body::from(sent.clone())))
        .await;
    if !resp.status().is_success() {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(answer) = axum::body::to_bytes(body, AUDITED_BODY_LIMIT).await else {
        return ApiError::internal(StatusCode::INTERNAL_SERVER_ERROR).into_response();
    };
    let json = |b: &Bytes| serde_json::from_slice::<Value>(b).unwrap_or(Value::Null);
    let mut store = st.store.write().unwrap_or_else(|e| e.into_inner());
    pending.finish(&mut store, st.current(), &json(&sent), &json(&answer));
    drop(store);
    Response::from_parts(parts, Body::from(answer))
}

/// Snoozes that ended since the last request trigger their incidents again before this
/// request sees the account.
fn wake_snoozed(st: &SimState) {
    let now = st.current();
    let mut store = st.store.write().unwrap_or_else(|e| e.into_inner());
    for a in &mut store.accounts {
        if a.snoozes.iter().any(|s| s.until <= now) {
            incident_triage::wake(a, now);
        }
    }
}

/// A 200 JSON answer of `bytes` bytes, generated in 64 KiB chunks as it is sent (so the
/// simulator itself stays small): `{"incidents":[],"pad":"xxxx…"}`.
fn oversized(bytes: usize, declared: bool) -> Response {
    const CHUNK: usize = 64 * 1024;
    let head = Bytes::from_static(b"{\"incidents\":[],\"pad\":\"");
    let tail = Bytes::from_static(b"\"}");
    let pad = bytes.saturating_sub(head.len() + tail.len());
    let total = head.len() + pad + tail.len();
    let filler = Bytes::from(vec![b'x'; CHUNK]);
    let chunks = (0..pad.div_ceil(CHUNK)).map(move |i| {
        let n = CHUNK.min(pad - i * CHUNK);
        Ok::<_, std::io::Error>(filler.slice(0..n))
    });
    let stream = futures::stream::iter(
        std::iter::once(Ok(head))
            .chain(chunks)
            .chain(std::iter::once(Ok(tail))),
    );
    let mut resp = Response::new(Body::from_stream(stream));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if declared {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    }
    resp
}

/// A 200 whose body trickles out one byte at a time.
fn drip(every: std::time::Duration) -> Response {
    let stream = futures::stream::unfold(true, move |first| async move {
        if !first {
            tokio::time::sleep(every).await;
        }
        Some((
            Ok::<_, std::io::Error>(Bytes::from_static(if first { b"{" } else { b" " })),
            false,
        ))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// Sends the headers (with the full Content-Length) and half the body, then
/// fails the body so the connection is cut mid-response.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(0..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // Pause before failing so hyper flushes the headers and the first half;
    // an immediate error would abort before anything is written.
    let stream = futures::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    Some((
                        Err(std::io::Error::other("truncated by fault injection")),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
