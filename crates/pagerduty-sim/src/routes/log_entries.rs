//! Log entries: account-wide list and get. Incident-scoped listing reuses `filtered`.

use axum::Json;

use super::{Ctx, JsonReply, by_id, renderer};
use crate::error::ApiResult;
use crate::paging::Params;
use crate::store::{Account, LogEntry};

pub const INCLUDES: &[&str] = &["incidents", "services", "channels", "teams"];

/// Kinds shown with `is_overview=true` (state changes only).
const OVERVIEW: &[&str] = &[
    "trigger_log_entry",
    "acknowledge_log_entry",
    "resolve_log_entry",
    "escalate_log_entry",
    "assign_log_entry",
];

/// Entries matching the common filters, newest first.
pub fn filtered<'a>(
    a: &'a Account,
    p: &Params,
    incident_id: Option<&str>,
) -> ApiResult<Vec<&'a LogEntry>> {
    let since = p.timestamp("since")?;
    let until = p.timestamp("until")?;
    let overview = p.bool("is_overview")?;
    let teams = p.set("team_ids[]");
    let mut v: Vec<&LogEntry> = a
        .log_entries
        .iter()
        .filter(|e| incident_id.is_none_or(|i| e.incident_id == i))
        .filter(|e| {
            since.is_none_or(|s| e.created_at >= s) && until.is_none_or(|u| e.created_at < u)
        })
        .filter(|e| !overview || OVERVIEW.contains(&e.kind.as_str()))
        .filter(|e| teams.is_empty() || e.team_ids.iter().any(|t| teams.contains(t)))
        .collect();
    v.reverse();
    Ok(v)
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, INCLUDES)?;
        let items = filtered(a, &p, None)?;
        Ok(Json(
            p.page()?
                .wrap_rendering("log_entries", items, |e| r.log_entry(e)),
        ))
    })
}

by_id!(
    LogEntry,
    "log_entry",
    log_entries,
    Some(INCLUDES),
    |r, x| r.log_entry(x)
);
