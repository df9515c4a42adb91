//! Services: `/services`, `/services/{id}`.

use axum::{Json, extract::Path, http::StatusCode};
use serde_json::{Value, json};

use super::{Ctx, PdJson, by_id, paginated, position, read, renderer, req_str, write, write_time};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Params, matches_query};
use crate::render::Render;
use crate::store::{Account, Service};

const INCLUDES: &[&str] = &[
    "escalation_policies",
    "teams",
    "integrations",
    "auto_pause_notifications_parameters",
];

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, INCLUDES)?;
        let teams = p.set("team_ids[]");
        let desc = match p.get("sort_by").unwrap_or("name") {
            "name" | "name:asc" => false,
            "name:desc" => true,
            other => {
                return Err(ApiError::invalid(format!(
                    "sort_by '{other}' is invalid; use name, name:asc or name:desc"
                )));
            }
        };
        let mut svcs: Vec<_> = a
            .services
            .iter()
            .filter(|s| matches_query(p.get("query"), &[&s.name]))
            .filter(|s| p.get("name").is_none_or(|n| n == s.name))
            .filter(|s| teams.is_empty() || s.team_ids.iter().any(|t| teams.contains(t)))
            .collect();
        svcs.sort_by_key(|x| x.name.to_lowercase());
        if desc {
            svcs.reverse();
        }
        paginated(
            &p,
            "services",
            svcs.into_iter().map(|s| r.service(s)).collect(),
        )
    })
}

by_id!(
    crate::store::Service,
    "service",
    services,
    Some(INCLUDES),
    |r, x| r.service(x)
);

// ---------- writes ----------

const URGENCIES: &[&str] = &["high", "low", "severity_based"];

/// The writable fields of `{service: {…}}`; absent fields stay `None`.
#[derive(Default)]
struct ServiceFields {
    name: Option<String>,
    description: Option<String>,
    escalation_policy_id: Option<String>,
    team_ids: Option<Vec<String>>,
    /// `Some(None)` turns the time-out off.
    acknowledgement_timeout: Option<Option<i64>>,
    auto_resolve_timeout: Option<Option<i64>>,
    /// `active` or `disabled`.
    status: Option<String>,
    urgency: Option<String>,
}

fn timeout(svc: &Value, field: &str) -> ApiResult<Option<Option<i64>>> {
    match svc.get(field) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => match v.as_i64() {
            Some(0) => Ok(Some(None)),
            Some(n) if n > 0 => Ok(Some(Some(n))),
            _ => Err(ApiError::invalid(format!(
                "service.{field} must be a non-negative number of seconds"
            ))),
        },
    }
}

fn service_fields(a: &Account, body: &Value, create: bool) -> ApiResult<ServiceFields> {
    let svc = body
        .get("service")
        .filter(|v| v.is_object())
        .ok_or_else(|| ApiError::invalid("service is required"))?;
    if let Some(t) = svc.get("type").and_then(Value::as_str)
        && t != "service"
    {
        return Err(ApiError::invalid("service.type must be 'service'"));
    }
    let mut f = ServiceFields::default();
    if create || svc.get("name").is_some() {
        f.name = Some(req_str(svc, "name", "service.")?.trim().to_string());
    }
    match svc.get("description") {
        None | Some(Value::Null) => {}
        Some(Value::String(d)) => f.description = Some(d.clone()),
        Some(_) => return Err(ApiError::invalid("service.description must be a string")),
    }
    match svc.get("escalation_policy") {
        None if !create => {}
        ep => {
            let id = ep
                .and_then(|e| e.get("id"))
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::invalid("Escalation policy must be specified"))?;
            if a.escalation_policy(id).is_none() {
                return Err(ApiError::invalid(format!(
                    "Escalation policy {id} not found"
                )));
            }
            f.escalation_policy_id = Some(id.to_string());
        }
    }
    if let Some(teams) = svc.get("teams") {
        let teams = teams
            .as_array()
            .ok_or_else(|| ApiError::invalid("service.teams must be an array"))?;
        let mut ids = Vec::new();
        for t in teams {
            let id = t
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::invalid("service.teams[].id is required"))?;
            if a.team(id).is_none() {
                return Err(ApiError::invalid(format!("Team {id} not found")));
            }
            ids.push(id.to_string());
        }
        f.team_ids = Some(ids);
    }
    f.acknowledgement_timeout = timeout(svc, "acknowledgement_timeout")?;
    f.auto_resolve_timeout = timeout(svc, "auto_resolve_timeout")?;
    match svc.get("status").and_then(Value::as_str) {
        None => {}
        Some("active") => f.status = Some("active".into()),
        Some("disabled") if !create => f.status = Some("disabled".into()),
        Some(s) => {
            return Err(ApiError::invalid(format!(
                "status '{s}' cannot be set here; {}",
                if create {
                    "a service is created active"
                } else {
                    "use active or disabled"
                }
            )));
        }
    }
    if let Some(rule) = svc.get("incident_urgency_rule") {
        let kind = rule.get("type").and_then(Value::as_str);
        let urgency = rule.get("urgency").and_then(Value::as_str);
        match (kind, urgency) {
            (Some("constant"), Some(u)) if URGENCIES.contains(&u) => f.urgency = Some(u.into()),
            (Some("use_support_hours"), _) => {
                return Err(ApiError::invalid(
                    "incident_urgency_rule type use_support_hours needs support_hours, which this account does not have",
                ));
            }
            _ => {
                return Err(ApiError::invalid(
                    "incident_urgency_rule must be {type: constant, urgency: high|low|severity_based}",
                ));
            }
        }
    }
    Ok(f)
}

fn name_taken(a: &Account, name: &str, except: Option<&str>) -> bool {
    a.services
        .iter()
        .any(|s| Some(s.id.as_str()) != except && s.name.eq_ignore_ascii_case(name))
}

fn apply(s: &mut Service, f: ServiceFields) {
    if let Some(n) = f.name {
        s.name = n;
    }
    if let Some(d) = f.description {
        s.description = d;
    }
    if let Some(e) = f.escalation_policy_id {
        s.escalation_policy_id = e;
    }
    if let Some(t) = f.team_ids {
        s.team_ids = t;
    }
    if let Some(t) = f.acknowledgement_timeout {
        s.acknowledgement_timeout = t;
    }
    if let Some(t) = f.auto_resolve_timeout {
        s.auto_resolve_timeout = t;
    }
    if let Some(st) = f.status {
        s.disabled = st == "disabled";
    }
    if let Some(u) = f.urgency {
        s.incident_urgency = Some(u);
    }
}

pub async fn create(
    Ctx { st, caller: c }: Ctx,
    PdJson(body): PdJson,
) -> ApiResult<(StatusCode, Json<Value>)> {
    write(&st, &c, |a| {
        let f = service_fields(a, &body, true)?;
        let name = f.name.clone().unwrap_or_default();
        if name_taken(a, &name, None) {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        let mut s = Service {
            id: a.new_id(),
            name,
            description: String::new(),
            escalation_policy_id: String::new(),
            team_ids: Vec::new(),
            created_at: write_time(),
            acknowledgement_timeout: None,
            auto_resolve_timeout: None,
            integrations: Vec::new(),
            disabled: false,
            incident_urgency: None,
        };
        apply(&mut s, f);
        a.services.push(s.clone());
        Ok((
            StatusCode::CREATED,
            Json(json!({ "service": Render::new(a).service(&s) })),
        ))
    })
}

pub async fn update(
    Ctx { st, caller: c }: Ctx,
    Path(id): Path<String>,
    PdJson(body): PdJson,
) -> ApiResult<Json<Value>> {
    write(&st, &c, |a| {
        let idx = position(&a.services, &id, |s| &s.id)?;
        let f = service_fields(a, &body, false)?;
        if let Some(n) = &f.name
            && name_taken(a, n, Some(&id))
        {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        apply(&mut a.services[idx], f);
        let s = a.services[idx].clone();
        Ok(Json(json!({ "service": Render::new(a).service(&s) })))
    })
}
