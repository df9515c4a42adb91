//! Services: `/services`, `/services/{id}`.

use serde::Deserialize;

use super::{
    Call, Created, Listed, Ref, Updated, by_id, check_type, nullable, required, write_time,
};
use crate::error::{ApiError, ApiResult};
use crate::paging::matches_query;
use crate::store::{Account, Service};

const INCLUDES: &[&str] = &[
    "escalation_policies",
    "teams",
    "integrations",
    "auto_pause_notifications_parameters",
];

impl Listed for Service {
    const COLLECTION: &'static str = "services";
    fn select<'a>(a: &'a Account, call: &Call) -> ApiResult<Vec<&'a Self>> {
        let p = call.params;
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
        Ok(svcs)
    }
}

by_id!(Service, "service", services, Some(INCLUDES), |r, x| r
    .service(x));

// ---------- writes ----------

const URGENCIES: &[&str] = &["high", "low", "severity_based"];

/// `{service: {…}}` of a create or an update; absent fields stay `None`.
#[derive(Deserialize)]
pub struct ServiceBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    escalation_policy: Option<Ref>,
    teams: Option<Vec<Ref>>,
    /// `Some(None)` (null or 0) turns the time-out off.
    #[serde(default, deserialize_with = "nullable")]
    acknowledgement_timeout: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    auto_resolve_timeout: Option<Option<i64>>,
    /// `active` or `disabled`.
    status: Option<String>,
    incident_urgency_rule: Option<UrgencyRule>,
}

#[derive(Deserialize)]
struct UrgencyRule {
    #[serde(rename = "type")]
    kind: Option<String>,
    urgency: Option<String>,
}

fn timeout(t: Option<Option<i64>>, field: &str) -> ApiResult<Option<Option<i64>>> {
    match t {
        Some(Some(0)) => Ok(Some(None)),
        Some(Some(n)) if n < 0 => Err(ApiError::invalid(format!(
            "service.{field} must be a non-negative number of seconds"
        ))),
        t => Ok(t),
    }
}

/// Checks the body against the account and applies it to `s`; `create` requires a name and
/// an escalation policy.
fn apply(a: &Account, s: &mut Service, b: ServiceBody, create: bool) -> ApiResult<()> {
    check_type(b.kind.as_deref(), "service", false)?;
    if create || b.name.is_some() {
        let name = required(b.name, "service", "name")?;
        if a.services
            .iter()
            .any(|x| x.id != s.id && x.name.eq_ignore_ascii_case(&name))
        {
            return Err(ApiError::invalid("Name has already been taken"));
        }
        s.name = name;
    }
    if let Some(d) = b.description {
        s.description = d;
    }
    match b.escalation_policy {
        None if !create => {}
        ep => {
            let id = ep
                .map(|e| e.id)
                .filter(|id| !id.is_empty())
                .ok_or_else(|| ApiError::invalid("Escalation policy must be specified"))?;
            if a.escalation_policy(&id).is_none() {
                return Err(ApiError::invalid(format!(
                    "Escalation policy {id} not found"
                )));
            }
            s.escalation_policy_id = id;
        }
    }
    if let Some(teams) = b.teams {
        let ids: Vec<String> = teams.into_iter().map(|t| t.id).collect();
        if ids.iter().any(String::is_empty) {
            return Err(ApiError::invalid("service.teams[].id is required"));
        }
        if let Some(id) = ids.iter().find(|id| a.team(id).is_none()) {
            return Err(ApiError::invalid(format!("Team {id} not found")));
        }
        s.team_ids = ids;
    }
    if let Some(t) = timeout(b.acknowledgement_timeout, "acknowledgement_timeout")? {
        s.acknowledgement_timeout = t;
    }
    if let Some(t) = timeout(b.auto_resolve_timeout, "auto_resolve_timeout")? {
        s.auto_resolve_timeout = t;
    }
    match b.status.as_deref() {
        None => {}
        Some("active") => s.disabled = false,
        Some("disabled") if !create => s.disabled = true,
        Some(st) => {
            return Err(ApiError::invalid(format!(
                "status '{st}' cannot be set here; {}",
                if create {
                    "a service is created active"
                } else {
                    "use active or disabled"
                }
            )));
        }
    }
    if let Some(rule) = b.incident_urgency_rule {
        match (rule.kind.as_deref(), rule.urgency) {
            (Some("constant"), Some(u)) if URGENCIES.contains(&u.as_str()) => {
                s.incident_urgency = Some(u);
            }
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
    Ok(())
}

impl Created for Service {
    type Body = ServiceBody;
    fn create(a: &mut Account, body: ServiceBody, _: &Call) -> ApiResult<Self> {
        let mut s = Service {
            id: a.new_id(),
            created_at: write_time(),
            ..Service::default()
        };
        apply(a, &mut s, body, true)?;
        Ok(s)
    }
}

impl Updated for Service {
    type Patch = ServiceBody;
    fn update(a: &mut Account, s: &mut Self, body: ServiceBody, _: &Call) -> ApiResult<()> {
        apply(a, s, body, false)
    }
}
