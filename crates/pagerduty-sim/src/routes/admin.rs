//! Admin endpoints under `/_sim` (faults, the request log): not part of the PagerDuty surface.

use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use crate::AppState;
use crate::faults::FaultSpec;

pub(super) async fn add_fault(State(st): State<AppState>, Json(body): Json<Value>) -> Response {
    let specs: Vec<Value> = match body {
        Value::Array(v) => v,
        v => vec![v],
    };
    let mut added = 0;
    for spec in specs {
        let rule = serde_json::from_value::<FaultSpec>(spec)
            .map_err(|e| e.to_string())
            .and_then(FaultSpec::into_rule);
        match rule {
            Ok(rule) => {
                st.faults.add(rule);
                added += 1;
            }
            Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
        }
    }
    (StatusCode::CREATED, Json(json!({"added": added}))).into_response()
}

pub(super) async fn list_faults(State(st): State<AppState>) -> Json<Value> {
    let rules: Vec<String> = st
        .faults
        .active()
        .iter()
        .map(|r| format!("{r:?}"))
        .collect();
    Json(json!({"faults": rules}))
}

pub(super) async fn clear_faults(State(st): State<AppState>) -> StatusCode {
    st.faults.clear();
    StatusCode::NO_CONTENT
}

pub(super) async fn list_requests(State(st): State<AppState>) -> Json<Value> {
    let log = st.log.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Json(json!({"requests": log}))
}

pub(super) async fn clear_requests(State(st): State<AppState>) -> StatusCode {
    st.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
    StatusCode::NO_CONTENT
}
