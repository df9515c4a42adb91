//! Event orchestrations: list (offset paging, `sort_by`), get, the router (get and
//! validated replace), the global rules and service orchestrations.

use axum::{
    Json,
    extract::Path,
    routing::{MethodRouter, get},
};
use serde_json::{Value, json};

use super::{
    Call, Ctx, JsonReply, Listed, PdJson, by_id, find, opt_array, position, read, req_object,
    write_time,
};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::event_orchestrations::{EventOrchestration, OrchestrationPath, rule_id};
use crate::paging::Params;
use crate::render::{API_BASE, Render};
use crate::rng::Rng;
use crate::store::Account;

const SORTS: &[&str] = &[
    "name:asc",
    "name:desc",
    "routes:asc",
    "routes:desc",
    "created_at:asc",
    "created_at:desc",
];

fn user_ref(id: &Option<String>) -> Value {
    match id {
        Some(id) => {
            json!({"id": id, "type": "user_reference", "self": format!("{API_BASE}/users/{id}")})
        }
        None => Value::Null,
    }
}

fn render(r: &Render, eo: &EventOrchestration, full: bool) -> Value {
    let mut v = json!({
        "id": eo.id,
        "self": format!("{API_BASE}/event_orchestrations/{}", eo.id),
        "name": eo.name,
        "description": eo.description,
        "routes": eo.routes(),
        "created_at": r.time(eo.created_at),
        "created_by": user_ref(&eo.created_by),
        "updated_at": r.time(eo.updated_at),
        "updated_by": user_ref(&eo.updated_by),
        "version": eo.version,
    });
    if let Some(t) = &eo.team_id {
        v["team"] =
            json!({"id": t, "type": "team_reference", "self": format!("{API_BASE}/teams/{t}")});
    }
    if full {
        v["integrations"] = eo
            .integrations
            .iter()
            .map(|i| json!({"id": i.id, "label": i.label, "parameters": {"routing_key": i.routing_key, "type": "global"}}))
            .collect();
    }
    v
}

fn render_path(r: &Render, kind: &str, parent: Value, p: &OrchestrationPath) -> Value {
    json!({"orchestration_path": {
        "type": kind,
        "parent": parent,
        "sets": p.sets,
        "catch_all": p.catch_all,
        "created_at": r.time(p.created_at),
        "created_by": user_ref(&p.created_by),
        "updated_at": r.time(p.updated_at),
        "updated_by": user_ref(&p.updated_by),
        "version": p.version,
    }})
}

fn parent(eo: &EventOrchestration) -> Value {
    json!({"id": eo.id, "type": "event_orchestration_reference", "self": format!("{API_BASE}/event_orchestrations/{}", eo.id)})
}

impl Listed for EventOrchestration {
    const COLLECTION: &'static str = "orchestrations";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let sort = call.params.get("sort_by").unwrap_or("name:asc");
        if !SORTS.contains(&sort) {
            return Err(ApiError::invalid(format!(
                "sort_by must be one of: {}",
                SORTS.join(", ")
            )));
        }
        let mut items: Vec<&EventOrchestration> = a.event_orchestrations.iter().collect();
        let (field, dir) = sort.split_once(':').unwrap_or(("name", "asc"));
        items.sort_by(|x, y| match field {
            "routes" => x.routes().cmp(&y.routes()),
            "created_at" => x.created_at.cmp(&y.created_at),
            _ => x.name.to_lowercase().cmp(&y.name.to_lowercase()),
        });
        if dir == "desc" {
            items.reverse();
        }
        Ok(items)
    }
    /// The short form, as the list answers.
    fn render_listed(&self, r: &Render) -> Value {
        render(r, self, false)
    }
}

by_id!(
    EventOrchestration,
    "orchestration",
    event_orchestrations,
    None,
    |r, x| render(r, x, true)
);

/// `GET /event_orchestrations/{id}/<kind>` for the orchestration's router or global rules.
pub fn path(
    kind: &'static str,
    of: fn(&EventOrchestration) -> &OrchestrationPath,
) -> MethodRouter<AppState> {
    get(
        move |Ctx { st, caller }: Ctx, Path(id): Path<String>| async move {
            read(&st, &caller, |a| {
                let eo = find(&a.event_orchestrations, &id, |e| &e.id)?;
                Ok(Json(render_path(&Render::new(a), kind, parent(eo), of(eo))))
            })
        },
    )
}

/// A service's orchestration; a service without rules has an empty one, as in PagerDuty.
pub async fn service(ctx: Ctx, Path(service_id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        p.enum_list("include[]", &["migrated_metadata"])?;
        let svc = a.service(&service_id).ok_or_else(ApiError::not_found)?;
        let r = Render::new(a);
        let parent = json!({"id": svc.id, "type": "service_reference", "self": format!("{API_BASE}/services/{}", svc.id)});
        let empty;
        let path = match a
            .service_orchestrations
            .iter()
            .find(|o| o.service_id == svc.id)
        {
            Some(o) => &o.path,
            None => {
                empty = OrchestrationPath {
                    sets: json!([{"id": "start", "rules": []}]),
                    catch_all: json!({"actions": {}}),
                    created_at: svc.created_at,
                    created_by: None,
                    updated_at: svc.created_at,
                    updated_by: None,
                    version: String::new(),
                };
                &empty
            }
        };
        Ok(Json(render_path(&r, "service", parent, path)))
    })
}

/// `route_to` of a router action: a service id (or "unrouted" in the catch-all).
fn check_route(a: &Account, at: &str, actions: &Value, catch_all: bool) -> ApiResult<()> {
    let route = actions.get("route_to");
    let dynamic = actions.get("dynamic_route_to").filter(|v| !v.is_null());
    match route.and_then(Value::as_str) {
        Some("unrouted") if catch_all => Ok(()),
        Some(id) => {
            if a.service(id).is_some() {
                Ok(())
            } else {
                Err(ApiError::invalid(format!(
                    "{at}.route_to: '{id}' is not a service on this account"
                )))
            }
        }
        None if route.is_some_and(|v| !v.is_null()) => Err(ApiError::invalid(format!(
            "{at}.route_to must be a service id"
        ))),
        None if dynamic.is_some() && !catch_all => {
            let d = dynamic.unwrap_or(&Value::Null);
            match d.get("lookup_by").and_then(Value::as_str) {
                Some("service_name" | "service_id") => {}
                _ => {
                    return Err(ApiError::invalid(format!(
                        "{at}.dynamic_route_to.lookup_by must be service_name or service_id"
                    )));
                }
            }
            for f in ["source", "regex"] {
                if d.get(f).and_then(Value::as_str).is_none_or(str::is_empty) {
                    return Err(ApiError::invalid(format!(
                        "{at}.dynamic_route_to.{f} is required"
                    )));
                }
            }
            Ok(())
        }
        None => Err(ApiError::invalid(format!(
            "{at} needs route_to (a service id){}",
            if catch_all {
                " or \"unrouted\""
            } else {
                " or dynamic_route_to"
            }
        ))),
    }
}

/// Validates a router body and returns the normalized sets and catch-all. Rules keep
/// their id when it is one of the current rules; others get a fresh id.
fn parse_router(
    a: &Account,
    current: &OrchestrationPath,
    body: &Value,
    rng: &mut Rng,
) -> ApiResult<(Value, Value)> {
    let path = req_object(body, "orchestration_path", "")?;
    if let Some(t) = path.get("type").and_then(Value::as_str)
        && t != "router"
    {
        return Err(ApiError::invalid(format!(
            "orchestration_path.type must be router, got {t}"
        )));
    }
    let sets = path
        .get("sets")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::invalid("orchestration_path.sets is required"))?;
    if sets.len() != 1 {
        return Err(ApiError::invalid(format!(
            "orchestration_path.sets must have exactly one set (id \"start\"), got {}",
            sets.len()
        )));
    }
    let set = &sets[0];
    if set.get("id").and_then(Value::as_str) != Some("start") {
        return Err(ApiError::invalid(
            "orchestration_path.sets[0].id must be \"start\"",
        ));
    }
    let known: Vec<&str> = current
        .sets
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("rules").and_then(Value::as_array))
        .flatten()
        .filter_map(|r| r.get("id").and_then(Value::as_str))
        .collect();
    let rules = opt_array(set, "rules", "orchestration_path.sets[0].")?;
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("orchestration_path.sets[0].rules[{i}]");
        if !rule.is_object() {
            return Err(ApiError::invalid(format!("{at} must be an object")));
        }
        let conditions = opt_array(rule, "conditions", &format!("{at}."))?;
        for (j, c) in conditions.iter().enumerate() {
            if c.get("expression")
                .and_then(Value::as_str)
                .is_none_or(|e| e.trim().is_empty())
            {
                return Err(ApiError::invalid(format!(
                    "{at}.conditions[{j}].expression must be a non-empty PCL expression"
                )));
            }
        }
        let actions = req_object(rule, "actions", &format!("{at}."))?;
        check_route(a, &format!("{at}.actions"), actions, false)?;
        let id = match rule.get("id").and_then(Value::as_str) {
            Some(id) if known.contains(&id) && !seen.iter().any(|s| s == id) => id.to_string(),
            _ => rule_id(rng),
        };
        seen.push(id.clone());
        let mut r = json!({
            "id": id,
            "conditions": conditions,
            "actions": actions,
            "disabled": rule.get("disabled").and_then(Value::as_bool).unwrap_or(false),
        });
        if let Some(l) = rule.get("label").and_then(Value::as_str) {
            r["label"] = json!(l);
        }
        out.push(r);
    }
    let catch_all = req_object(path, "catch_all", "orchestration_path.")?;
    let actions = req_object(catch_all, "actions", "orchestration_path.catch_all.")?;
    check_route(a, "orchestration_path.catch_all.actions", actions, true)?;
    Ok((
        json!([{"id": "start", "rules": out}]),
        json!({"actions": actions}),
    ))
}

pub async fn update_router(ctx: Ctx, Path(id): Path<String>, PdJson(body): PdJson) -> JsonReply {
    let acting = ctx.caller.acting_user.clone();
    ctx.write(|a| {
        let idx = position(&a.event_orchestrations, &id, |e| &e.id)?;
        let mut rng = Rng::new(a.id_counter ^ 0x00E0_C4E5);
        a.id_counter += 1;
        let (sets, catch_all) =
            parse_router(a, &a.event_orchestrations[idx].router, &body, &mut rng)?;
        let now = write_time();
        let version = crate::event_orchestrations::version(&mut rng);
        let eo = &mut a.event_orchestrations[idx];
        eo.router.sets = sets;
        eo.router.catch_all = catch_all;
        eo.router.updated_at = now;
        eo.router.updated_by = acting.clone();
        eo.router.version = version;
        eo.updated_at = now;
        eo.updated_by = acting;
        let eo = eo.clone();
        Ok(Json(render_path(
            &Render::new(a),
            "router",
            parent(&eo),
            &eo.router,
        )))
    })
}
