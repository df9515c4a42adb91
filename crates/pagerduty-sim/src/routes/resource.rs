//! One way to serve a resource: get by id, list, create, update and delete. A resource
//! implements [`ById`] (with [`by_id!`]) and the trait of each operation it serves —
//! [`Listed`], [`Created`], [`Updated`], [`Deleted`] — which hold only its behaviour
//! (filters, checks, what goes with a delete); the generic handlers here do the rest, and
//! the route table points at them (`Route::get("/teams", list::<Team>)`).

use axum::{Json, extract::Path, http::StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, de::DeserializeOwned};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, PdJson, find, paginated, position, renderer};
use crate::SimState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::render::Render;
use crate::store::Account;

/// A resource served by id (`GET /<collection>/{id}` answers `{KEY: …}`): where its items
/// live in an account and how one renders.
pub trait ById: Sized + 'static {
    /// The envelope key, e.g. `team`.
    const KEY: &'static str;
    /// The `include[]` values it takes; `None`: it takes none and ignores the parameter
    /// (and `time_zone`), as PagerDuty does for these resources.
    const INCLUDES: Option<&'static [&'static str]> = None;
    /// The account's items.
    fn items(a: &Account) -> &[Self];
    /// The account's items, to write.
    fn items_mut(a: &mut Account) -> &mut Vec<Self>;
    /// Its id.
    fn id(&self) -> &str;
    /// Its JSON.
    fn render(&self, r: &Render) -> Value;
}

/// What an operation's behaviour may read besides the account and the body.
pub struct Call<'a> {
    /// The simulator's clock.
    pub now: Timestamp,
    /// Who is calling.
    pub caller: &'a Caller,
    /// The query string.
    pub params: &'a Params,
}

impl<'a> Call<'a> {
    fn new(st: &SimState, caller: &'a Caller, params: &'a Params) -> Self {
        Self {
            now: st.current(),
            caller,
            params,
        }
    }
}

/// A resource served as a list (`GET /<collection>` answers `{COLLECTION: […]}`, paginated).
pub trait Listed: ById {
    /// The list's envelope key, e.g. `teams`.
    const COLLECTION: &'static str;
    /// The `include[]` values the list takes; by default those of the get.
    const LIST_INCLUDES: Option<&'static [&'static str]> = Self::INCLUDES;
    /// The items the query keeps, in the order listed; a bad filter is a 400.
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>>;
    /// How one renders in the list; by default as by id.
    fn render_listed(&self, r: &Render) -> Value {
        self.render(r)
    }
}

/// A resource made by `POST /<collection>` with `{KEY: Body}`.
pub trait Created: ById + Clone {
    /// The typed body inside the envelope. Unknown fields are ignored, as PagerDuty does.
    type Body: DeserializeOwned;
    /// 201, or what PagerDuty answers instead.
    const STATUS: StatusCode = StatusCode::CREATED;
    /// Checks the body against the account and builds the item the handler then stores.
    fn create(a: &mut Account, body: Self::Body, call: &Call) -> ApiResult<Self>;
    /// The answer's JSON; by default as by id.
    fn created(&self, a: &Account) -> Value {
        self.render(&Render::new(a))
    }
}

/// A resource changed by `PUT /<collection>/{id}` with `{KEY: Patch}`.
pub trait Updated: ById + Clone {
    /// The typed body inside the envelope. Unknown fields are ignored, as PagerDuty does.
    type Patch: DeserializeOwned;
    /// Applies the body to a copy of the item (stored only if this succeeds).
    fn update(a: &mut Account, item: &mut Self, patch: Self::Patch, call: &Call) -> ApiResult<()>;
}

/// A resource removed by `DELETE /<collection>/{id}` (204).
pub trait Deleted: ById {
    /// Removes the item at `idx` and what goes with it; by default only the item.
    fn delete(a: &mut Account, idx: usize, _call: &Call) -> ApiResult<()> {
        Self::items_mut(a).remove(idx);
        Ok(())
    }
}

fn render_with<'a>(a: &'a Account, p: &Params, includes: Option<&[&str]>) -> ApiResult<Render<'a>> {
    match includes {
        Some(allowed) => renderer(a, p, allowed),
        None => Ok(Render::new(a)),
    }
}

/// `GET /<collection>/{id}`: the item, or PagerDuty's 404.
pub async fn get_by_id<T: ById>(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = render_with(a, &p, T::INCLUDES)?;
        let item = find(T::items(a), &id, T::id)?;
        Ok(Json(json!({ T::KEY: item.render(&r) })))
    })
}

/// `GET /<collection>`: the selected items, paginated.
pub async fn list<T: Listed>(ctx: Ctx, p: Params) -> JsonReply {
    let call = Call::new(&ctx.st, &ctx.caller, &p);
    ctx.read(|a| {
        let r = render_with(a, &p, T::LIST_INCLUDES)?;
        let items = T::select(a, &call)?;
        paginated(
            &p,
            T::COLLECTION,
            items.into_iter().map(|x| x.render_listed(&r)).collect(),
        )
    })
}

/// `POST /<collection>`: the new item.
pub async fn create<T: Created>(
    ctx: Ctx,
    p: Params,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body = typed(body, T::KEY)?;
    let call = Call::new(&ctx.st, &ctx.caller, &p);
    ctx.write(|a| {
        let item = T::create(a, body, &call)?;
        T::items_mut(a).push(item.clone());
        Ok((T::STATUS, Json(json!({ T::KEY: item.created(a) }))))
    })
}

/// `PUT /<collection>/{id}`: the changed item, or PagerDuty's 404.
pub async fn update<T: Updated>(
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
    PdJson(body): PdJson,
) -> JsonReply {
    let patch = typed(body, T::KEY)?;
    let call = Call::new(&ctx.st, &ctx.caller, &p);
    ctx.write(|a| {
        let idx = position(T::items(a), &id, T::id)?;
        let mut item = T::items(a)[idx].clone();
        T::update(a, &mut item, patch, &call)?;
        T::items_mut(a)[idx] = item.clone();
        Ok(Json(json!({ T::KEY: item.render(&Render::new(a)) })))
    })
}

/// `DELETE /<collection>/{id}`: 204, or PagerDuty's 404.
pub async fn remove<T: Deleted>(
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<StatusCode> {
    let call = Call::new(&ctx.st, &ctx.caller, &p);
    ctx.write(|a| {
        let idx = position(T::items(a), &id, T::id)?;
        T::delete(a, idx, &call)?;
        Ok(StatusCode::NO_CONTENT)
    })
}

/// The items whose name matches `query` and, when `team_ids[]` is given, that belong to one
/// of those teams, by name: the filter most lists share.
pub fn named_in_teams<'a, T>(
    items: &'a [T],
    p: &Params,
    name: impl Fn(&T) -> &str,
    teams: impl Fn(&T) -> &[String],
) -> Vec<&'a T> {
    let wanted = p.set("team_ids[]");
    let mut v: Vec<&T> = items
        .iter()
        .filter(|x| matches_query(p.get("query"), &[name(x)]))
        .filter(|x| wanted.is_empty() || teams(x).iter().any(|t| wanted.contains(t)))
        .collect();
    v.sort_by(|x, y| name(x).cmp(name(y)));
    v
}

/// The `{key: {…}}` envelope of a write, read into its typed form: a missing or non-object
/// `key` and a mistyped field are PagerDuty's 400, naming the field.
pub fn typed<B: DeserializeOwned>(body: Value, key: &str) -> ApiResult<B> {
    let inner = match body {
        Value::Object(mut o) => o.remove(key),
        _ => None,
    };
    let Some(inner @ Value::Object(_)) = inner else {
        return Err(ApiError::invalid(format!("{key} is required")));
    };
    serde_path_to_error::deserialize(inner)
        .map_err(|e| ApiError::invalid(format!("{key}.{}: {}", e.path(), e.inner())))
}

/// A reference in a body (`{"id": …, "type": …}`); only the id matters here.
#[derive(Debug, Deserialize)]
pub struct Ref {
    #[serde(default)]
    pub id: String,
}

/// For an `Option<Option<T>>` field: absent is `None` (leave it), `null` is `Some(None)`
/// (clear it). Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A body's `type`, which must name the resource when given (or always, when `required`).
pub fn check_type(kind: Option<&str>, key: &str, required: bool) -> ApiResult<()> {
    match kind {
        None if !required => Ok(()),
        Some(k) if k == key => Ok(()),
        _ => Err(ApiError::invalid(format!("{key}.type must be '{key}'"))),
    }
}

/// A required, non-empty string field of a body, trimmed.
pub fn required(v: Option<String>, key: &str, field: &str) -> ApiResult<String> {
    v.map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "{key}.{field} is required and must be a non-empty string"
            ))
        })
}

/// Declares how a resource is served by id: its type, envelope key, the account field holding
/// its items, the `include[]` values it takes, and how one renders:
/// `by_id!(Team, "team", teams, Some(&["privileges"]), |r, t| r.team(t));`
macro_rules! by_id {
    ($ty:ty, $key:literal, $field:ident, $includes:expr, |$r:ident, $item:ident| $render:expr) => {
        impl $crate::routes::ById for $ty {
            const KEY: &'static str = $key;
            const INCLUDES: Option<&'static [&'static str]> = $includes;
            fn items(a: &$crate::store::Account) -> &[Self] {
                &a.$field
            }
            fn items_mut(a: &mut $crate::store::Account) -> &mut Vec<Self> {
                &mut a.$field
            }
            fn id(&self) -> &str {
                &self.id
            }
            fn render(&self, $r: &$crate::render::Render) -> serde_json::Value {
                let $item = self;
                $render
            }
        }
    };
}
pub(crate) use by_id;
