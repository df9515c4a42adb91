//! `/audit/records` (account-wide: admins, owners and account keys only) and the per-resource
//! trails `/{users,teams,schedules,escalation_policies,services}/{id}/audit/records` and
//! `/v3/schedules/{id}/audit/records`. Newest first, cursor-paginated, over `since`..`until`
//! (default the last 24 hours; at most 31 days).

use axum::{
    Extension, Json,
    extract::{Path, State},
    routing::{MethodRouter, get},
};
use jiff::SignedDuration;
use serde_json::{Value, json};

use super::{Ctx, JsonReply, Who, read, renderer};
use crate::audit::{AuditRecord, RootKind};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::store::{Account, Credential};
use crate::{AppState, SimState};

const DEFAULT_LIMIT: usize = 10;
const MAX_RANGE: SignedDuration = SignedDuration::from_hours(31 * 24);
const ACTOR_TYPES: &[&str] = &["user_reference", "api_key_reference", "app_reference"];
const METHODS: &[&str] = &[
    "browser",
    "oauth",
    "api_token",
    "identity_provider",
    "other",
];
const ACTIONS: &[&str] = &["create", "update", "delete"];

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    let kinds: Vec<&str> = RootKind::ALL.iter().map(|k| k.collection()).collect();
    let roots = p.enum_list("root_resource_types[]", &kinds)?;
    let actor_type = one_of(&p, "actor_type", ACTOR_TYPES)?;
    let actor_id = p.get("actor_id").filter(|v| !v.is_empty());
    if actor_id.is_some() && actor_type.is_none() {
        return Err(ApiError::invalid(
            "actor_id must be qualified by actor_type",
        ));
    }
    let method = one_of(&p, "method_type", METHODS)?;
    let token = p.get("method_truncated_token").filter(|v| !v.is_empty());
    let actions = p.enum_list("actions[]", ACTIONS)?;
    ctx.read(|a| {
        if !may_read_everything(a, &ctx.caller) {
            return Err(ApiError::forbidden(
                "Only admins, account owners and account API keys can list the account's audit records",
            ));
        }
        page(&ctx.st, a, &p, |r| {
            (roots.is_empty() || roots.iter().any(|k| k == r.root_kind.collection()))
                && actor_type.is_none_or(|t| r.actor_type() == t)
                && actor_id.is_none_or(|i| r.actor_id() == i)
                && method.is_none_or(|m| r.method == m)
                && token.is_none_or(|t| r.truncated_token.as_deref() == Some(t))
                && (actions.is_empty() || actions.iter().any(|x| x == r.action.as_str()))
        })
    })
    .map(Json)
}

/// The handler of one resource kind's trail.
pub fn for_kind(kind: RootKind) -> MethodRouter<crate::AppState> {
    get(
        move |State(st): State<AppState>, Extension(c): Who, Path(id): Path<String>, p: Params| async move {
            read(&st, &c, |a| {
                if !kind.exists(a, &id) {
                    return Err(ApiError::not_found());
                }
                page(&st, a, &p, |r| r.root_kind == kind && r.root.id == id)
            })
            .map(Json)
        },
    )
}

fn may_read_everything(a: &Account, c: &Caller) -> bool {
    match &c.credential {
        Credential::AccountKey { .. } => true,
        Credential::UserToken { user_id } | Credential::OAuth { user_id } => a
            .user(user_id)
            .is_some_and(|u| matches!(u.role.as_str(), "admin" | "owner")),
    }
}

fn one_of<'p>(p: &'p Params, name: &str, allowed: &[&str]) -> ApiResult<Option<&'p str>> {
    match p.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(v) => Err(ApiError::invalid(format!(
            "{name} '{v}' is invalid; must be one of: {}",
            allowed.join(", ")
        ))),
    }
}

/// The matching records in `since`..`until`, newest first, from after `cursor` (the id of the
/// last record of the previous page).
fn page(
    st: &SimState,
    a: &Account,
    p: &Params,
    keep: impl Fn(&AuditRecord) -> bool,
) -> ApiResult<Value> {
    let now = st.current();
    let until = p.timestamp("until")?.unwrap_or(now);
    let since = match p.timestamp("since")? {
        Some(s) => s,
        None => until
            .checked_sub(SignedDuration::from_hours(24))
            .map_err(|e| ApiError::invalid(e.to_string()))?,
    };
    if since > until {
        return Err(ApiError::invalid("since must be before until"));
    }
    if until.duration_since(since) > MAX_RANGE {
        return Err(ApiError::invalid(
            "until may not be more than 31 days after since",
        ));
    }
    let limit = p.limit(DEFAULT_LIMIT)?;
    let r = renderer(a, p, &[])?;
    // Appended oldest first; ties keep their order, so the later write is the newer one.
    let mut matching = a
        .audit_records
        .iter()
        .rev()
        .filter(|x| since <= x.at && x.at <= until)
        .filter(|x| keep(x));
    if let Some(cursor) = p.get("cursor").filter(|v| !v.is_empty()) {
        if !a.audit_records.iter().any(|x| x.id == cursor) {
            return Err(ApiError::invalid(format!("cursor '{cursor}' is invalid")));
        }
        for x in matching.by_ref() {
            if x.id == cursor {
                break;
            }
        }
    }
    let records: Vec<&AuditRecord> = matching.by_ref().take(limit).collect();
    let next_cursor = match (matching.next(), records.last()) {
        (Some(_), Some(last)) => json!(last.id),
        _ => Value::Null,
    };
    Ok(json!({
        "records": records.iter().map(|x| x.render(&r)).collect::<Vec<_>>(),
        "limit": limit,
        "next_cursor": next_cursor,
        "response_metadata": null,
    }))
}
