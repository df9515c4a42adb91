//! Log entries: the account-wide timeline of what happened to incidents.

use pagerduty::api::log_entries::LogEntryQuery;
use pagerduty::ids::{LogEntryId, TeamId};
use pagerduty::models::{LogEntry, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::Counted;
use crate::output::window;
use crate::registry::{Domain, ToolDef, Tools};

const LOG_ENTRIES: Tools = Tools(Domain::LogEntries);

pub fn tools() -> Vec<ToolDef> {
    vec![
        LOG_ENTRIES.read(
            "list_log_entries",
            "Account-wide incident timeline, newest first: triggers, notifications, \
             acknowledgements, escalations, notes, resolutions. is_overview=true for state \
             changes only.",
            list,
        ),
        LOG_ENTRIES.read(
            "get_log_entry",
            "One log entry by id: what happened, who or what did it, through which channel.",
            |ctx: Ctx, a: GetArgs| async move {
                Ok::<LogEntry, _>(ctx.pd.get_log_entry(&a.log_entry_id).await?)
            },
        ),
    ]
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Include {
    Incidents,
    Services,
    Channels,
    Teams,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct QueryModel {
    since: Option<Time>,
    until: Option<Time>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
    /// Only state changes (trigger, acknowledge, escalate, assign, resolve).
    is_overview: Option<bool>,
    /// Embed full objects instead of references.
    include: Option<Vec<Include>>,
    team_ids: Option<Vec<TeamId>>,
    /// IANA zone for created_at, e.g. Europe/Paris; default UTC.
    time_zone: Option<String>,
    /// Also return how many match.
    total: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    query_model: Option<QueryModel>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetArgs {
    log_entry_id: LogEntryId,
}

async fn list(ctx: Ctx, a: ListArgs) -> Result<Counted<LogEntry>, ToolError> {
    let m = a.query_model.unwrap_or_default();
    let w = window(m.limit, m.offset, 100).map_err(|e| prefix(e, "query_model."))?;
    if let (Some(s), Some(u)) = (m.since, m.until)
        && s >= u
    {
        return Err(ToolError::invalid(
            "query_model.until",
            "must be after `since`",
        ));
    }
    let time_zone = match m.time_zone {
        Some(tz) if jiff::tz::TimeZone::get(tz.trim()).is_err() || tz.trim().is_empty() => {
            return Err(ToolError::invalid(
                "query_model.time_zone",
                format!(
                    "`{tz}` is not an IANA time zone; use e.g. UTC, Europe/London, \
                     America/New_York"
                ),
            ));
        }
        tz => tz.map(|t| t.trim().to_owned()),
    };
    let q = LogEntryQuery {
        since: m.since,
        until: m.until,
        is_overview: m.is_overview.unwrap_or(false),
        include: m
            .include
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| serde_json::to_value(i).ok()?.as_str().map(str::to_owned))
            .collect(),
        team_ids: m.team_ids.unwrap_or_default(),
        time_zone,
    };
    let page = ctx.pd.list_log_entries(&q, w).await?;
    let total = if m.total.unwrap_or(false) {
        ctx.pd.count_log_entries(&q).await?
    } else {
        None
    };
    Ok(Counted {
        listing: page.into(),
        total,
    })
}

/// Puts a nested argument's path in front of a field name.
fn prefix(e: ToolError, path: &str) -> ToolError {
    match e {
        ToolError::InvalidArgument { field, message } => ToolError::InvalidArgument {
            field: format!("{path}{field}"),
            message,
        },
        other => other,
    }
}
