//! What every handler shares: reading and writing the caller's account, finding by id,
//! includes, pagination, PagerDuty-style JSON bodies.

use std::collections::BTreeSet;

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};
use jiff::Timestamp;
use serde_json::Value;

use crate::SimState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::Render;
use crate::store::Account;

/// The caller extension every gated handler receives.
pub type Who = Extension<Caller>;

/// What a JSON handler answers: the body, or the error PagerDuty would send.
pub type JsonReply = ApiResult<Json<Value>>;

/// Runs `f` against the caller's account under the read lock.
pub fn read<R>(
    st: &SimState,
    caller: &Caller,
    f: impl FnOnce(&Account) -> ApiResult<R>,
) -> ApiResult<R> {
    let store = st.store.read().unwrap_or_else(|e| e.into_inner());
    let acct = store
        .accounts
        .get(caller.account)
        .ok_or_else(ApiError::unauthorized)?;
    f(acct)
}

/// Runs `f` on a copy of the caller's account and commits it only on
/// success, so a failed multi-part write leaves no trace.
pub fn write<R>(
    st: &SimState,
    caller: &Caller,
    f: impl FnOnce(&mut Account) -> ApiResult<R>,
) -> ApiResult<R> {
    let mut store = st.store.write().unwrap_or_else(|e| e.into_inner());
    let acct = store
        .accounts
        .get_mut(caller.account)
        .ok_or_else(ApiError::unauthorized)?;
    let mut draft = acct.clone();
    let out = f(&mut draft)?;
    *acct = draft;
    Ok(out)
}

/// Finds by id or fails with PagerDuty's 404.
pub fn find<'a, T>(items: &'a [T], id: &str, key: impl Fn(&T) -> &str) -> ApiResult<&'a T> {
    items
        .iter()
        .find(|x| key(x) == id)
        .ok_or_else(ApiError::not_found)
}

/// The index of the item with this id, or PagerDuty's 404 (for updates and deletes).
pub fn position<T>(items: &[T], id: &str, key: impl Fn(&T) -> &str) -> ApiResult<usize> {
    items
        .iter()
        .position(|x| key(x) == id)
        .ok_or_else(ApiError::not_found)
}

/// `include[]` values, each checked against the operation's allowed set.
pub fn includes(p: &Params, allowed: &[&str]) -> ApiResult<BTreeSet<String>> {
    Ok(p.enum_list("include[]", allowed)?.into_iter().collect())
}

/// A renderer honouring `time_zone` and `include[]`.
pub fn renderer<'a>(acct: &'a Account, p: &Params, allowed: &[&str]) -> ApiResult<Render<'a>> {
    Ok(Render::new(acct)
        .tz(p.time_zone()?)
        .include(includes(p, allowed)?))
}

/// Paginates rendered items into the classic envelope.
pub fn paginated(p: &Params, key: &str, items: Vec<Value>) -> JsonReply {
    Ok(Json(p.page()?.wrap(key, items)))
}

/// Real current time for timestamps written by requests.
pub fn write_time() -> Timestamp {
    Timestamp::now()
}

/// A JSON request body; enforces `Content-Type: application/json` and
/// reports malformed JSON the way PagerDuty does (400, code 2001).
pub struct PdJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for PdJson {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ct.to_ascii_lowercase().starts_with("application/json") {
            return Err(ApiError::invalid("Content-Type must be application/json"));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid(e.body_text()))?;
        serde_json::from_slice(&bytes)
            .map(PdJson)
            .map_err(|e| ApiError::invalid(format!("Malformed JSON: {e}")))
    }
}

/// A required string field of a JSON object.
pub fn req_str<'a>(obj: &'a Value, field: &str, ctx: &str) -> ApiResult<&'a str> {
    obj.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "{ctx}{field} is required and must be a non-empty string"
            ))
        })
}

/// A required object field of a JSON object.
pub fn req_object<'a>(obj: &'a Value, field: &str, ctx: &str) -> ApiResult<&'a Value> {
    obj.get(field)
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid(format!("{ctx}{field} is required")))
}

/// An optional array field of a JSON object: absent or null is empty.
pub fn opt_array<'a>(obj: &'a Value, field: &str, ctx: &str) -> ApiResult<&'a [Value]> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ApiError::invalid(format!("{ctx}{field} must be an array"))),
    }
}

/// A required, non-empty array field of a JSON object; `error` says what it must hold.
pub fn req_list<'a>(obj: &'a Value, field: &str, error: &str) -> ApiResult<&'a [Value]> {
    obj.get(field)
        .and_then(Value::as_array)
        .filter(|items| !items.is_empty())
        .map(Vec::as_slice)
        .ok_or_else(|| ApiError::invalid(error))
}

/// The state and the caller in one extractor: what every gated handler starts from
/// (`ctx: Ctx` in a handler's arguments).
pub struct Ctx {
    /// The simulator.
    pub st: crate::AppState,
    /// Who is calling, as the auth gate established.
    pub caller: Caller,
}

impl Ctx {
    /// [`read`] on the caller's account.
    pub fn read<R>(&self, f: impl FnOnce(&Account) -> ApiResult<R>) -> ApiResult<R> {
        read(&self.st, &self.caller, f)
    }
    /// The acting user for a write; account keys need `From` (checked by the gate).
    pub fn acting_user(&self) -> ApiResult<String> {
        self.caller
            .acting_user
            .clone()
            .ok_or_else(ApiError::from_required)
    }
    /// [`write`] on the caller's account.
    pub fn write<R>(&self, f: impl FnOnce(&mut Account) -> ApiResult<R>) -> ApiResult<R> {
        write(&self.st, &self.caller, f)
    }
}

impl axum::extract::FromRequestParts<crate::AppState> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Self {
            st: st.clone(),
            caller,
        })
    }
}
