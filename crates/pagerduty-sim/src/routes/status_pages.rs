//! Status pages: list, their severities, impacts and statuses (one generic handler),
//! posts (get, create) and post updates (list, create), validated against the page's own
//! severities, statuses, impacts and services.

use axum::{
    Json,
    extract::Path,
    http::StatusCode,
    routing::{MethodRouter, get},
};
use serde_json::{Value, json};

use super::{
    Ctx, JsonReply, PdJson, find, opt_array, position, read, req_list, req_object, write_time,
};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, parse_time};
use crate::render::{API_BASE, Render};
use crate::status_pages::{POST_TYPES, Post, PostUpdate, StatusOption, StatusPage};
use crate::store::Account;

const PAGE_TYPES: &[&str] = &["public", "private"];
const REVIEWED: &[&str] = &["approved", "not_reviewed"];

fn one_of(p: &Params, name: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
    match p.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
        Some(v) => Err(ApiError::invalid(format!(
            "{name} must be one of: {} (got '{v}')",
            allowed.join(", ")
        ))),
    }
}

fn page_self(id: &str) -> String {
    format!("{API_BASE}/status_pages/{id}")
}

fn page_ref(id: &str) -> Value {
    json!({"id": id, "type": "status_page"})
}

fn render_page(r: &Render, sp: &StatusPage) -> Value {
    json!({
        "id": sp.id,
        "type": "status_page",
        "name": sp.name,
        "status_page_type": sp.status_page_type,
        "url": sp.url,
        "published_at": r.opt_time(sp.published_at),
    })
}

fn render_option(sp: &StatusPage, collection: &str, kind: &str, o: &StatusOption) -> Value {
    json!({
        "id": o.id,
        "self": format!("{}/{collection}/{}", page_self(&sp.id), o.id),
        "type": kind,
        "post_type": o.post_type,
        "description": o.description,
        "status_page": page_ref(&sp.id),
    })
}

fn render_update(r: &Render, sp: &StatusPage, post: &Post, u: &PostUpdate) -> Value {
    json!({
        "id": u.id,
        "self": format!("{}/posts/{}/post_updates/{}", page_self(&sp.id), post.id, u.id),
        "type": "status_page_post_update",
        "post": {"id": post.id, "type": "status_page_post"},
        "message": u.message,
        "reviewed_status": u.reviewed_status,
        "status": {"id": u.status_id, "type": "status_page_status"},
        "severity": {"id": u.severity_id, "type": "status_page_severity"},
        "impacted_services": u.impacted.iter().map(|(s, i)| json!({
            "service": {"id": s, "type": "status_page_service"},
            "impact": {"id": i, "type": "status_page_impact"},
        })).collect::<Vec<_>>(),
        "update_frequency_ms": u.update_frequency_ms,
        "notify_subscribers": u.notify_subscribers,
        "reported_at": r.time(u.reported_at),
    })
}

fn render_post(r: &Render, sp: &StatusPage, post: &Post, with_updates: bool) -> Value {
    let base = format!("{}/posts/{}", page_self(&sp.id), post.id);
    let updates: Vec<Value> = post
        .updates
        .iter()
        .map(|u| {
            if with_updates {
                render_update(r, sp, post, u)
            } else {
                json!({"id": u.id, "type": "status_page_post_update", "self": format!("{base}/post_updates/{}", u.id)})
            }
        })
        .collect();
    let mut v = json!({
        "id": post.id,
        "self": base,
        "type": "status_page_post",
        "post_type": post.post_type,
        "status_page": page_ref(&sp.id),
        "title": post.title,
        "starts_at": r.opt_time(post.starts_at),
        "ends_at": r.opt_time(post.ends_at),
        "updates": updates,
    });
    if let Some(inc) = &post.incident_id {
        v["linked_resource"] = json!({"id": inc, "type": "incident_reference"});
    }
    v
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let kind = one_of(&p, "status_page_type", PAGE_TYPES)?;
        let r = Render::new(a);
        let items = a
            .status_pages
            .iter()
            .filter(|s| kind.as_ref().is_none_or(|k| *k == s.status_page_type))
            .map(|s| render_page(&r, s))
            .collect();
        super::paginated(&p, "status_pages", items)
    })
}

/// Severities, impacts or statuses of a page, optionally for one post type.
/// `GET /status_pages/{id}/<key>` for the page's severities, impacts or statuses.
pub fn options(key: &'static str) -> MethodRouter<AppState> {
    get(
        move |Ctx { st, caller }: Ctx, Path(id): Path<String>, p: Params| async move {
            read(&st, &caller, |a| {
                let sp = find(&a.status_pages, &id, |s| &s.id)?;
                let post_type = one_of(&p, "post_type", POST_TYPES)?;
                let (list, kind) = match key {
                    "severities" => (&sp.severities, "status_page_severity"),
                    "impacts" => (&sp.impacts, "status_page_impact"),
                    _ => (&sp.statuses, "status_page_status"),
                };
                let items = list
                    .iter()
                    .filter(|o| post_type.as_ref().is_none_or(|t| *t == o.post_type))
                    .map(|o| render_option(sp, key, kind, o))
                    .collect();
                super::paginated(&p, key, items)
            })
        },
    )
}

fn find_post<'a>(a: &'a Account, id: &str, post_id: &str) -> ApiResult<(&'a StatusPage, &'a Post)> {
    let sp = find(&a.status_pages, id, |s| &s.id)?;
    let post = find(&sp.posts, post_id, |p| &p.id)?;
    Ok((sp, post))
}

pub async fn get_post(
    ctx: Ctx,
    Path((id, post_id)): Path<(String, String)>,
    p: Params,
) -> JsonReply {
    ctx.read(|a| {
        let include = p.enum_list("include[]", &["status_page_post_update"])?;
        let (sp, post) = find_post(a, &id, &post_id)?;
        Ok(Json(json!({
            "post": render_post(&Render::new(a), sp, post, !include.is_empty())
        })))
    })
}

pub async fn list_post_updates(
    ctx: Ctx,
    Path((id, post_id)): Path<(String, String)>,
    p: Params,
) -> JsonReply {
    ctx.read(|a| {
        let reviewed = one_of(&p, "reviewed_status", REVIEWED)?;
        let (sp, post) = find_post(a, &id, &post_id)?;
        let r = Render::new(a);
        let items = post
            .updates
            .iter()
            .filter(|u| reviewed.as_ref().is_none_or(|s| *s == u.reviewed_status))
            .map(|u| render_update(&r, sp, post, u))
            .collect();
        super::paginated(&p, "post_updates", items)
    })
}

/// `{id}` of a reference field, which must name one of `list` for `post_type`.
fn option_id(
    list: &[StatusOption],
    u: &Value,
    field: &str,
    at: &str,
    post_type: &str,
    what: &str,
) -> ApiResult<String> {
    let id = u
        .get(field)
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid(format!("{at}.{field}.id is required")))?;
    match StatusPage::option(list, id) {
        Some(o) if o.post_type == post_type => Ok(id.to_string()),
        Some(o) => Err(ApiError::invalid(format!(
            "{at}.{field}: {what} {id} is for {} posts, not {post_type} posts",
            o.post_type
        ))),
        None => Err(ApiError::invalid(format!(
            "{at}.{field}: {what} {id} does not belong to this status page"
        ))),
    }
}

/// Validates one update against the page and builds it.
fn parse_update(
    a: &mut Account,
    sp_idx: usize,
    u: &Value,
    at: &str,
    post_type: &str,
) -> ApiResult<PostUpdate> {
    if !u.is_object() {
        return Err(ApiError::invalid(format!("{at} must be an object")));
    }
    let sp = &a.status_pages[sp_idx];
    let message = u
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.trim().is_empty())
        .ok_or_else(|| ApiError::invalid(format!("{at}.message is required")))?
        .to_string();
    let status_id = option_id(&sp.statuses, u, "status", at, post_type, "status")?;
    let severity_id = option_id(&sp.severities, u, "severity", at, post_type, "severity")?;
    let mut impacted = Vec::new();
    let list = opt_array(u, "impacted_services", &format!("{at}."))?;
    for (k, item) in list.iter().enumerate() {
        let iat = format!("{at}.impacted_services[{k}]");
        let svc = item
            .get("service")
            .and_then(|s| s.get("id"))
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::invalid(format!("{iat}.service.id is required")))?;
        if !sp.service_ids.iter().any(|s| s == svc) {
            return Err(ApiError::invalid(format!(
                "{iat}.service: service {svc} is not shown on this status page"
            )));
        }
        let impact = option_id(&sp.impacts, item, "impact", &iat, post_type, "impact")?;
        impacted.push((svc.to_string(), impact));
    }
    let update_frequency_ms = match u.get("update_frequency_ms") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::invalid(format!(
                "{at}.update_frequency_ms must be a positive integer or null"
            ))
        })?),
    };
    let notify_subscribers = match u.get("notify_subscribers") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::invalid(format!(
                "{at}.notify_subscribers must be a boolean"
            )));
        }
    };
    let reported_at = match u.get("reported_at").and_then(Value::as_str) {
        Some(t) => parse_time(&format!("{at}.reported_at"), t)?,
        None => write_time(),
    };
    Ok(PostUpdate {
        id: a.new_id(),
        message,
        reviewed_status: "approved".into(),
        status_id,
        severity_id,
        impacted,
        update_frequency_ms,
        notify_subscribers,
        reported_at,
    })
}

fn opt_time(p: &Value, field: &str) -> ApiResult<Option<jiff::Timestamp>> {
    match p.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(parse_time(&format!("post.{field}"), s)?)),
        Some(_) => Err(ApiError::invalid(format!(
            "post.{field} must be an ISO 8601 date-time"
        ))),
    }
}

pub async fn create_post(
    ctx: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    ctx.write(|a| {
        let sp_idx = position(&a.status_pages, &id, |s| &s.id)?;
        let p = req_object(&body, "post", "")?;
        let title = p
            .get("title")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::invalid("post.title is required"))?;
        if title.chars().count() > 128 {
            return Err(ApiError::invalid(
                "post.title must be at most 128 characters",
            ));
        }
        let post_type = p
            .get("post_type")
            .and_then(Value::as_str)
            .filter(|t| POST_TYPES.contains(t))
            .ok_or_else(|| ApiError::invalid("post.post_type must be incident or maintenance"))?
            .to_string();
        match p
            .get("status_page")
            .and_then(|s| s.get("id"))
            .and_then(Value::as_str)
        {
            Some(sid) if sid == id => {}
            Some(sid) => {
                return Err(ApiError::invalid(format!(
                    "post.status_page.id ({sid}) must be the status page in the path ({id})"
                )));
            }
            None => return Err(ApiError::invalid("post.status_page.id is required")),
        }
        let starts_at = opt_time(p, "starts_at")?;
        let ends_at = opt_time(p, "ends_at")?;
        if post_type == "maintenance" && (starts_at.is_none() || ends_at.is_none()) {
            return Err(ApiError::invalid(
                "post.starts_at and post.ends_at are required for maintenance posts",
            ));
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && s >= e
        {
            return Err(ApiError::invalid(
                "post.starts_at must be before post.ends_at",
            ));
        }
        let updates = req_list(p, "updates", "post.updates must have at least one update")?;
        if updates.len() > 50 {
            return Err(ApiError::invalid(
                "post.updates can have at most 50 updates",
            ));
        }
        let mut parsed = Vec::new();
        for (i, u) in updates.iter().enumerate() {
            parsed.push(parse_update(
                a,
                sp_idx,
                u,
                &format!("post.updates[{i}]"),
                &post_type,
            )?);
        }
        let post = Post {
            id: a.new_id(),
            title: title.to_string(),
            post_type,
            starts_at,
            ends_at,
            incident_id: None,
            updates: parsed,
        };
        a.status_pages[sp_idx].posts.push(post.clone());
        let sp = &a.status_pages[sp_idx];
        Ok((
            StatusCode::CREATED,
            Json(json!({"post": render_post(&Render::new(a), sp, &post, true)})),
        ))
    })
}

pub async fn create_post_update(
    ctx: Ctx,
    Path((id, post_id)): Path<(String, String)>,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    ctx.write(|a| {
        let sp_idx = position(&a.status_pages, &id, |s| &s.id)?;
        let post_idx = position(&a.status_pages[sp_idx].posts, &post_id, |p| &p.id)?;
        let u = req_object(&body, "post_update", "")?;
        if let Some(pid) = u
            .get("post")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
            && pid != post_id
        {
            return Err(ApiError::invalid(format!(
                "post_update.post.id ({pid}) must be the post in the path ({post_id})"
            )));
        }
        let post_type = a.status_pages[sp_idx].posts[post_idx].post_type.clone();
        let update = parse_update(a, sp_idx, u, "post_update", &post_type)?;
        a.status_pages[sp_idx].posts[post_idx]
            .updates
            .push(update.clone());
        let sp = &a.status_pages[sp_idx];
        Ok((
            StatusCode::CREATED,
            Json(
                json!({"post_update": render_update(&Render::new(a), sp, &sp.posts[post_idx], &update)}),
            ),
        ))
    })
}
