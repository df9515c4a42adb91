//! The outer middleware every request passes: the request log, injected faults, the audit
//! trail of writes, and waking snoozed incidents.

use axum::{
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::incident_triage;
use crate::auth;
use crate::error::ApiError;
use crate::faults::{CredentialKind, FaultKind, RequestRecord};
use crate::net::ConnKill;
use crate::store::Credential;
use crate::{AppState, SimState};

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

pub(super) async fn observe(State(st): State<AppState>, req: Request, next: Next) -> Response {
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
