//! Custom shifts and overrides of a shift-based schedule: the time-bounded parts, served
//! alike (list in a window, get, create in bulk, update, delete) through [`Timed`]; each
//! kind brings only how it is read from a body, what an update may change, and what goes
//! with a delete.

use axum::{Json, extract::Path, response::Response};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::Render;
use crate::routes::{Ctx, JsonReply, PdJson, position};
use crate::schedule_v3::{
    CustomShift, Member, OverrideShift, new_sub_id, render_custom_shift, render_override,
};
use crate::store::Account;

use super::*;

/// A time-bounded item of a shift-based schedule.
pub trait Timed: Clone + Sized + 'static {
    /// The envelope key of one, e.g. `custom_shift`.
    const KEY: &'static str;
    /// The envelope key of many, e.g. `custom_shifts`.
    const COLLECTION: &'static str;
    /// What a create must list at least one of, e.g. `custom shift`.
    const NOUN: &'static str;
    fn items(s: &ScheduleV3) -> &Vec<Self>;
    fn items_mut(s: &mut ScheduleV3) -> &mut Vec<Self>;
    fn id(&self) -> &str;
    fn span(&self) -> (Timestamp, Timestamp);
    /// Its JSON in schedule `sid`, cut to `clip` when given.
    fn render(&self, r: &Render, sid: &str, clip: Option<(Timestamp, Timestamp)>) -> Value;
    /// One item of a create body at `path`, with a new id; `None` once `errs` holds why.
    fn parse(
        a: &mut Account,
        s: &ScheduleV3,
        o: &Map<String, Value>,
        path: &str,
        errs: &mut Errs,
    ) -> Option<Self>;
    /// `old` with an update body applied; `None` once `errs` holds why.
    fn patch(a: &Account, old: &Self, o: &Map<String, Value>, errs: &mut Errs) -> Option<Self>;
    /// Whether `old` may become `new` at `now`; by default always.
    fn may_change(_old: &Self, _new: &Self, _now: Timestamp) -> ApiResult<()> {
        Ok(())
    }
    /// Removes what goes with the deleted item; by default nothing.
    fn removed(_s: &mut ScheduleV3, _id: &str) {}
}

/// Implements [`Timed`] for an item kept in the schedule field `$field` and rendered by
/// `$render`, with the behaviour given after the names.
macro_rules! timed {
    ($ty:ty, $key:literal of $field:ident, $noun:literal, $render:path, $($behaviour:tt)*) => {
        impl Timed for $ty {
            const KEY: &'static str = $key;
            const COLLECTION: &'static str = stringify!($field);
            const NOUN: &'static str = $noun;
            fn items(s: &ScheduleV3) -> &Vec<Self> {
                &s.$field
            }
            fn items_mut(s: &mut ScheduleV3) -> &mut Vec<Self> {
                &mut s.$field
            }
            fn id(&self) -> &str {
                &self.id
            }
            fn span(&self) -> (Timestamp, Timestamp) {
                (self.start, self.end)
            }
            fn render(&self, r: &Render, sid: &str, clip: Option<(Timestamp, Timestamp)>) -> Value {
                $render(r, sid, self, clip)
            }
            $($behaviour)*
        }
    };
}

/// A page of the schedule's items that overlap `since`/`until`, earliest first, cut to the
/// window unless `overflow=true`.
pub async fn list_timed<T: Timed>(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let s = schedule(a, &id)?;
        let (since, until) = range(&p)?;
        p.time_zone()?;
        let clip = (!p.bool("overflow")?).then_some((since, until));
        let r = Render::new(a);
        let mut v: Vec<&T> = T::items(s)
            .iter()
            .filter(|x| {
                let (start, end) = x.span();
                end > since && start < until
            })
            .collect();
        v.sort_by_key(|x| x.span().0);
        let items = v.into_iter().map(|x| x.render(&r, &id, clip));
        page(&p, T::COLLECTION, items.collect(), PARTS)
    })
}

pub async fn get_timed<T: Timed>(ctx: Ctx, Path((id, xid)): Path<(String, String)>) -> JsonReply {
    ctx.read(|a| {
        let items = T::items(schedule(a, &id)?);
        let x = &items[position(items, &xid, T::id)?];
        Ok(Json(
            json!({ T::KEY: x.render(&Render::new(a), &id, None) }),
        ))
    })
}

/// Creates every item the body lists, or none: all errors are reported together.
pub async fn create_timed<T: Timed>(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    ctx.write(|a| {
        let s = schedule(a, &id)?.clone();
        let items = match body.get(T::COLLECTION).and_then(Value::as_array) {
            Some(v) if !v.is_empty() => v,
            _ => {
                return Err(ApiError::v3_invalid(vec![(
                    T::COLLECTION.into(),
                    format!("must list at least one {}", T::NOUN),
                )]));
            }
        };
        let mut errs = Errs::default();
        let mut made = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", T::COLLECTION);
            match item.as_object() {
                Some(o) => made.extend(T::parse(a, &s, o, &path, &mut errs)),
                None => errs.add(path, "must be an object"),
            }
        }
        errs.finish()?;
        let r = Render::new(a);
        let v: Vec<Value> = made.iter().map(|x| x.render(&r, &id, None)).collect();
        T::items_mut(schedule_mut(a, &id)?).extend(made);
        Ok(created(T::COLLECTION, json!(v)))
    })
}

pub async fn update_timed<T: Timed>(
    ctx: Ctx,
    Path((id, xid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> JsonReply {
    let now = ctx.st.current();
    ctx.write(|a| {
        let items = T::items(schedule(a, &id)?);
        let old = items[position(items, &xid, T::id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, T::KEY, &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let new = T::patch(a, &old, o, &mut errs);
        errs.finish()?;
        let Some(new) = new else {
            return Err(ApiError::v3_invalid(vec![(
                T::KEY.into(),
                "is invalid".into(),
            )]));
        };
        T::may_change(&old, &new, now)?;
        let v = new.render(&Render::new(a), &id, None);
        let items = T::items_mut(schedule_mut(a, &id)?);
        let i = position(items, &xid, T::id)?;
        items[i] = new;
        Ok(Json(json!({ T::KEY: v })))
    })
}

pub async fn delete_timed<T: Timed>(
    ctx: Ctx,
    Path((id, xid)): Path<(String, String)>,
) -> ApiResult<Response> {
    ctx.write(|a| {
        let s = schedule_mut(a, &id)?;
        let i = position(T::items(s), &xid, T::id)?;
        T::items_mut(s).remove(i);
        T::removed(s, &xid);
        Ok(deleted())
    })
}

timed!(
    CustomShift,
    "custom_shift" of custom_shifts,
    "custom shift",
    render_custom_shift,
    fn parse(
        a: &mut Account,
        _: &ScheduleV3,
        o: &Map<String, Value>,
        path: &str,
        errs: &mut Errs,
    ) -> Option<Self> {
        let sp = span(o, path, None, errs);
        let m = member_at(a, o, "assignments", path, None, assignment, errs);
        let ((start, end), member) = (sp?, m?);
        Some(CustomShift {
            id: new_sub_id(a),
            start,
            end,
            assignment_id: new_sub_id(a),
            member,
        })
    }
    fn patch(a: &Account, old: &Self, o: &Map<String, Value>, errs: &mut Errs) -> Option<Self> {
        let sp = span(o, "custom_shift", Some((old.start, old.end)), errs);
        let m = member_at(a, o, "assignments", Self::KEY, Some(&old.member), assignment, errs);
        let ((start, end), member) = (sp?, m?);
        Some(CustomShift {
            start,
            end,
            member,
            ..old.clone()
        })
    }
    fn may_change(old: &Self, new: &Self, now: Timestamp) -> ApiResult<()> {
        if old.start <= now && (new.start != old.start || new.member != old.member) {
            return Err(ApiError::v3_invalid(vec![(
                "custom_shift".into(),
                "has started; only end_time can be changed".into(),
            )]));
        }
        Ok(())
    }
    /// Overrides of the shift go with it.
    fn removed(s: &mut ScheduleV3, id: &str) {
        s.overrides
            .retain(|o| o.custom_shift_id.as_deref() != Some(id));
    }
);

/// The member at `path.key`, read by `read`; when the body leaves it out, `old` (an update)
/// or an error (a create).
fn member_at(
    a: &Account,
    o: &Map<String, Value>,
    key: &str,
    path: &str,
    old: Option<&Member>,
    read: fn(&Account, &Value, &str, &mut Errs) -> Option<Member>,
    errs: &mut Errs,
) -> Option<Member> {
    match (opt(o, key), old) {
        (Some(v), _) => read(a, v, &format!("{path}.{key}"), errs),
        (None, Some(old)) => Some(old.clone()),
        (None, None) => {
            errs.add(format!("{path}.{key}"), "is required");
            None
        }
    }
}

timed!(
    OverrideShift,
    "override" of overrides,
    "override",
    render_override,
    fn parse(
        a: &mut Account,
        s: &ScheduleV3,
        o: &Map<String, Value>,
        path: &str,
        errs: &mut Errs,
    ) -> Option<Self> {
        let rid = opt(o, "rotation_id").and_then(Value::as_str);
        let cid = opt(o, "custom_shift_id").and_then(Value::as_str);
        match (rid, cid) {
            (Some(_), Some(_)) => errs.add(
                format!("{path}.rotation_id"),
                "give rotation_id or custom_shift_id, not both",
            ),
            (None, None) => errs.add(
                format!("{path}.rotation_id"),
                "one of rotation_id or custom_shift_id is required",
            ),
            (Some(r), None) if !s.rotations.iter().any(|x| x.id == r) => errs.add(
                format!("{path}.rotation_id"),
                format!("Rotation {r} not found in this schedule"),
            ),
            (None, Some(cs)) if !s.custom_shifts.iter().any(|x| x.id == cs) => errs.add(
                format!("{path}.custom_shift_id"),
                format!("Custom shift {cs} not found in this schedule"),
            ),
            _ => {}
        }
        let sp = span(o, path, None, errs);
        let overridden = member_at(a, o, "overridden_member", path, None, member, errs);
        let overriding = member_at(a, o, "overriding_member", path, None, member, errs);
        let ((start, end), overridden, overriding) = (sp?, overridden?, overriding?);
        Some(OverrideShift {
            id: new_sub_id(a),
            rotation_id: rid.map(String::from),
            custom_shift_id: cid.map(String::from),
            start,
            end,
            overridden,
            overriding,
        })
    }
    fn patch(a: &Account, old: &Self, o: &Map<String, Value>, errs: &mut Errs) -> Option<Self> {
        let sp = span(o, "override", Some((old.start, old.end)), errs);
        let kept = |key, old, errs: &mut Errs| {
            member_at(a, o, key, Self::KEY, Some(old), member, errs)
        };
        let overriding = kept("overriding_member", &old.overriding, errs);
        let overridden = kept("overridden_member", &old.overridden, errs);
        let ((start, end), overriding, overridden) = (sp?, overriding?, overridden?);
        Some(OverrideShift {
            start,
            end,
            overriding,
            overridden,
            ..old.clone()
        })
    }
);
