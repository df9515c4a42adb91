//! Custom shifts and overrides of a shift-based schedule: the time-bounded parts.

use axum::{Json, extract::Path, response::Response};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::Render;
use crate::routes::{Ctx, PdJson, position, read, write};
use crate::schedule_v3::{
    CustomShift, Member, OverrideShift, new_sub_id, render_custom_shift, render_override,
};
use crate::store::Account;

use super::*;
// ---------- custom shifts ----------

pub async fn list_custom_shifts(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        list_timed(
            a,
            &id,
            &p,
            "custom_shifts",
            &s.custom_shifts,
            |x| (x.start, x.end),
            render_custom_shift,
        )
    })
}

pub async fn get_custom_shift(
    Ctx { st, caller: c }: Ctx,
    Path((id, cid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let x = &s.custom_shifts[position(&s.custom_shifts, &cid, |x| &x.id)?];
        Ok(Json(
            json!({"custom_shift": render_custom_shift(&Render::new(a), &id, x, None)}),
        ))
    })
}

pub async fn create_custom_shifts(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        schedule(a, &id)?;
        let mut errs = Errs::default();
        let items = match body.get("custom_shifts").and_then(Value::as_array) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => {
                return Err(ApiError::v3_invalid(vec![(
                    "custom_shifts".into(),
                    "must list at least one custom shift".into(),
                )]));
            }
        };
        let mut made = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("custom_shifts[{i}]");
            let Some(o) = item.as_object() else {
                errs.add(path, "must be an object");
                continue;
            };
            let sp = span(o, &path, None, &mut errs);
            let m = match o.get("assignments") {
                Some(v) => assignment(a, v, &format!("{path}.assignments"), &mut errs),
                None => {
                    errs.add(format!("{path}.assignments"), "is required");
                    None
                }
            };
            if let (Some((start, end)), Some(member)) = (sp, m) {
                made.push(CustomShift {
                    id: new_sub_id(a),
                    start,
                    end,
                    assignment_id: new_sub_id(a),
                    member,
                });
            }
        }
        errs.finish()?;
        let r = Render::new(a);
        let v: Vec<Value> = made
            .iter()
            .map(|x| render_custom_shift(&r, &id, x, None))
            .collect();
        schedule_mut(a, &id)?.custom_shifts.extend(made);
        Ok(created("custom_shifts", json!(v)))
    })
}

pub async fn update_custom_shift(
    Ctx { st, caller: c }: Ctx,
    Path((id, cid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    let now = st.current();
    write(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let old = s.custom_shifts[position(&s.custom_shifts, &cid, |x| &x.id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, "custom_shift", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let sp = span(o, "custom_shift", Some((old.start, old.end)), &mut errs);
        let m = match opt(o, "assignments") {
            Some(v) => assignment(a, v, "custom_shift.assignments", &mut errs),
            None => Some(old.member.clone()),
        };
        errs.finish()?;
        let (Some((start, end)), Some(member)) = (sp, m) else {
            return Err(ApiError::v3_invalid(vec![(
                "custom_shift".into(),
                "is invalid".into(),
            )]));
        };
        if old.start <= now && (start != old.start || member != old.member) {
            return Err(ApiError::v3_invalid(vec![(
                "custom_shift".into(),
                "has started; only end_time can be changed".into(),
            )]));
        }
        let new = CustomShift {
            start,
            end,
            member,
            ..old
        };
        let v = render_custom_shift(&Render::new(a), &id, &new, None);
        let s = schedule_mut(a, &id)?;
        let i = position(&s.custom_shifts, &cid, |x| &x.id)?;
        s.custom_shifts[i] = new;
        Ok(Json(json!({ "custom_shift": v })))
    })
}

pub async fn delete_custom_shift(
    Ctx { st, caller: c }: Ctx,
    Path((id, cid)): Path<(String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule_mut(a, &id)?;
        let i = position(&s.custom_shifts, &cid, |x| &x.id)?;
        s.custom_shifts.remove(i);
        s.overrides
            .retain(|o| o.custom_shift_id.as_deref() != Some(cid.as_str()));
        Ok(deleted())
    })
}

// ---------- overrides ----------

pub async fn list_overrides(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        list_timed(
            a,
            &id,
            &p,
            "overrides",
            &s.overrides,
            |x| (x.start, x.end),
            render_override,
        )
    })
}

pub async fn get_override(
    Ctx { st, caller: c }: Ctx,
    Path((id, oid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let x = &s.overrides[position(&s.overrides, &oid, |x| &x.id)?];
        Ok(Json(
            json!({"override": render_override(&Render::new(a), &id, x, None)}),
        ))
    })
}

/// A page of a schedule's timed items (custom shifts, overrides) that overlap `since`/`until`,
/// earliest first, cut to the window unless `overflow=true`.
fn list_timed<T>(
    a: &Account,
    id: &str,
    p: &Params,
    key: &str,
    items: &[T],
    span: impl Fn(&T) -> (Timestamp, Timestamp),
    render: impl Fn(&Render, &str, &T, Option<(Timestamp, Timestamp)>) -> Value,
) -> ApiResult<Json<Value>> {
    let (since, until) = range(p)?;
    p.time_zone()?;
    let clip = (!p.bool("overflow")?).then_some((since, until));
    let r = Render::new(a);
    let mut v: Vec<&T> = items
        .iter()
        .filter(|x| {
            let (start, end) = span(x);
            end > since && start < until
        })
        .collect();
    v.sort_by_key(|x| span(x).0);
    page(
        p,
        key,
        v.into_iter().map(|x| render(&r, id, x, clip)).collect(),
        100,
        25,
    )
}

fn member_field(
    a: &Account,
    o: &Map<String, Value>,
    key: &str,
    path: &str,
    errs: &mut Errs,
) -> Option<Member> {
    match opt(o, key) {
        Some(v) => member(a, v, &format!("{path}.{key}"), errs),
        None => {
            errs.add(format!("{path}.{key}"), "is required");
            None
        }
    }
}

pub async fn create_overrides(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule(a, &id)?.clone();
        let mut errs = Errs::default();
        let items = match body.get("overrides").and_then(Value::as_array) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => {
                return Err(ApiError::v3_invalid(vec![(
                    "overrides".into(),
                    "must list at least one override".into(),
                )]));
            }
        };
        let mut made = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("overrides[{i}]");
            let Some(o) = item.as_object() else {
                errs.add(path, "must be an object");
                continue;
            };
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
            let sp = span(o, &path, None, &mut errs);
            let overridden = member_field(a, o, "overridden_member", &path, &mut errs);
            let overriding = member_field(a, o, "overriding_member", &path, &mut errs);
            if let (Some((start, end)), Some(overridden), Some(overriding)) =
                (sp, overridden, overriding)
            {
                made.push(OverrideShift {
                    id: new_sub_id(a),
                    rotation_id: rid.map(String::from),
                    custom_shift_id: cid.map(String::from),
                    start,
                    end,
                    overridden,
                    overriding,
                });
            }
        }
        errs.finish()?;
        let r = Render::new(a);
        let v: Vec<Value> = made
            .iter()
            .map(|x| render_override(&r, &id, x, None))
            .collect();
        schedule_mut(a, &id)?.overrides.extend(made);
        Ok(created("overrides", json!(v)))
    })
}

pub async fn update_override(
    Ctx { st, caller: c }: Ctx,
    Path((id, oid)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    write(&st, &c, |a| {
        let s = schedule(a, &id)?;
        let old = s.overrides[position(&s.overrides, &oid, |x| &x.id)?].clone();
        let mut errs = Errs::default();
        let Some(o) = object(&body, "override", &mut errs) else {
            return Err(ApiError::v3_invalid(errs.0));
        };
        let sp = span(o, "override", Some((old.start, old.end)), &mut errs);
        let overriding = match opt(o, "overriding_member") {
            Some(v) => member(a, v, "override.overriding_member", &mut errs),
            None => Some(old.overriding.clone()),
        };
        let overridden = match opt(o, "overridden_member") {
            Some(v) => member(a, v, "override.overridden_member", &mut errs),
            None => Some(old.overridden.clone()),
        };
        errs.finish()?;
        let (Some((start, end)), Some(overriding), Some(overridden)) = (sp, overriding, overridden)
        else {
            return Err(ApiError::v3_invalid(vec![(
                "override".into(),
                "is invalid".into(),
            )]));
        };
        let new = OverrideShift {
            start,
            end,
            overriding,
            overridden,
            ..old
        };
        let v = render_override(&Render::new(a), &id, &new, None);
        let s = schedule_mut(a, &id)?;
        let i = position(&s.overrides, &oid, |x| &x.id)?;
        s.overrides[i] = new;
        Ok(Json(json!({ "override": v })))
    })
}

pub async fn delete_override(
    Ctx { st, caller: c }: Ctx,
    Path((id, oid)): Path<(String, String)>,
) -> ApiResult<Response> {
    write(&st, &c, |a| {
        let s = schedule_mut(a, &id)?;
        let i = position(&s.overrides, &oid, |x| &x.id)?;
        s.overrides.remove(i);
        Ok(deleted())
    })
}
