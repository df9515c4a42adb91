//! MCP resources, so a client can attach PagerDuty objects to a conversation as context: one
//! template per kind (`pagerduty://incidents/{id}`, services, schedules, escalation policies),
//! read as compact JSON, and a list of the open incidents.
//!
//! A resource is read through the matching read tool (`get_incident`, …), so it is exactly
//! what the tool returns — trimmed, redacted (`--redact`) and within the output budget — and a
//! kind whose tool the server does not offer (`--toolsets`) has no template.

use pagerduty::Window;
use pagerduty::api::incidents::IncidentQuery;
use pagerduty::models::IncidentStatus;
use rmcp::ErrorData;
use rmcp::model::{
    CacheScope, JsonObject, ListResourceTemplatesResult, ListResourcesResult, ReadResourceResult,
    Resource, ResourceContents, ResourceTemplate,
};
use serde_json::{Value, json};

use crate::registry::Registry;

const JSON: &str = "application/json";

/// One kind of PagerDuty object a URI names.
#[derive(Debug)]
pub struct Kind {
    /// The path segment after `pagerduty://`.
    pub segment: &'static str,
    title: &'static str,
    description: &'static str,
    /// The read tool that fetches one, and its id argument.
    tool: &'static str,
    id_arg: &'static str,
}

pub const KINDS: [Kind; 4] = [
    Kind {
        segment: "incidents",
        title: "PagerDuty incident",
        description: "One incident by id or number: status, urgency, service, assignees, escalation policy.",
        tool: "get_incident",
        id_arg: "incident_id",
    },
    Kind {
        segment: "services",
        title: "PagerDuty service",
        description: "One service by id: status, escalation policy, teams, time-outs, last incident.",
        tool: "get_service",
        id_arg: "service_id",
    },
    Kind {
        segment: "schedules",
        title: "PagerDuty schedule",
        description: "One on-call schedule by id, either kind: layers or rotations.",
        tool: "get_schedule",
        id_arg: "schedule_id",
    },
    Kind {
        segment: "escalation_policies",
        title: "PagerDuty escalation policy",
        description: "One escalation policy by id: each level's delay and targets, loops, services.",
        tool: "get_escalation_policy",
        id_arg: "policy_id",
    },
];

/// How long a client may keep a read (2026-07-28 caching hints). Incidents change by the
/// minute; configuration objects seldom. Results depend on the caller's credential, so they
/// are private to it.
fn freshness_ms(kind: &Kind) -> u64 {
    if kind.segment == "incidents" {
        5_000
    } else {
        60_000
    }
}

/// Freshness of the open-incident list.
const OPEN_LIST_MS: u64 = 5_000;
/// The templates change only with the server's configuration.
const TEMPLATES_MS: u64 = 3_600_000;
/// Open incidents per page of `resources/list`.
const PAGE: u32 = 100;

/// The templates whose read tool this server offers.
pub fn templates(registry: &Registry, modern: bool) -> ListResourceTemplatesResult {
    let templates = KINDS
        .iter()
        .filter(|k| registry.get(k.tool).is_some())
        .map(|k| {
            ResourceTemplate::new(format!("pagerduty://{}/{{id}}", k.segment), k.segment)
                .with_title(k.title)
                .with_description(k.description)
                .with_mime_type(JSON)
        })
        .collect();
    let result = ListResourceTemplatesResult::with_all_items(templates);
    if modern {
        result
            .with_ttl_ms(TEMPLATES_MS)
            .with_cache_scope(CacheScope::Public)
    } else {
        result
    }
}

/// Which kind and id a URI names, or the spec's resource-not-found error saying what URIs
/// exist.
pub fn parse(uri: &str) -> Result<(&'static Kind, &str), ErrorData> {
    let not_found = || {
        ErrorData::resource_not_found(
            format!(
                "no resource `{uri}`; URIs are pagerduty://incidents/{{id}}, pagerduty://services/{{id}}, \
                 pagerduty://schedules/{{id}} and pagerduty://escalation_policies/{{id}}"
            ),
            Some(json!({"uri": uri})),
        )
    };
    let rest = uri.strip_prefix("pagerduty://").ok_or_else(not_found)?;
    let (segment, id) = rest.split_once('/').ok_or_else(not_found)?;
    let kind = KINDS
        .iter()
        .find(|k| k.segment == segment)
        .ok_or_else(not_found)?;
    // PagerDuty ids (and incident numbers) are letters and digits; anything else would be a
    // path the tool's id type refuses anyway.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(not_found());
    }
    Ok((kind, id))
}

/// The tool call that reads `id` of `kind`.
pub fn read_call(kind: &Kind, id: &str) -> (&'static str, JsonObject) {
    let mut args = JsonObject::new();
    args.insert(kind.id_arg.to_owned(), Value::from(id));
    (kind.tool, args)
}

/// The resource's contents: the tool's result as compact JSON.
pub fn contents(kind: &Kind, uri: &str, result: &Value, modern: bool) -> ReadResourceResult {
    let read = ReadResourceResult::new(vec![
        ResourceContents::text(result.to_string(), uri).with_mime_type(JSON),
    ]);
    if modern {
        read.with_ttl_ms(freshness_ms(kind))
            .with_cache_scope(CacheScope::Private)
    } else {
        read
    }
}

/// The query for one page of open incidents, of all time (PagerDuty's default range is the
/// last 30 days, which would hide an incident open for longer); `cursor` is the offset a
/// previous page gave.
pub fn open_incidents_query(cursor: Option<&str>) -> Result<(IncidentQuery, Window), ErrorData> {
    let offset = match cursor {
        None => 0,
        Some(c) => c.parse::<u32>().map_err(|_| {
            ErrorData::invalid_params(format!("cursor `{c}` is not one this server gave"), None)
        })?,
    };
    let query = IncidentQuery {
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        all_time: true,
        sort_by: Some("created_at:desc".into()),
        ..IncidentQuery::default()
    };
    Ok((
        query,
        Window {
            offset,
            limit: PAGE,
        },
    ))
}

/// One resource per open incident in a page (as JSON, after redaction), with the next page's
/// cursor.
pub fn open_incidents(list: &Value, modern: bool) -> ListResourcesResult {
    let items = list["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let resources = items
        .iter()
        .filter_map(|i| {
            let id = i["id"].as_str()?;
            let title = i["title"].as_str().unwrap_or(id);
            let description = format!(
                "{} {} incident on {}",
                i["status"].as_str().unwrap_or("open"),
                i["urgency"].as_str().unwrap_or(""),
                i["service"]["summary"].as_str().unwrap_or("a service"),
            );
            Some(
                Resource::new(format!("pagerduty://incidents/{id}"), title)
                    .with_description(description.split_whitespace().collect::<Vec<_>>().join(" "))
                    .with_mime_type(JSON),
            )
        })
        .collect();
    let mut result = ListResourcesResult::with_all_items(resources);
    if list["more"].as_bool() == Some(true) {
        result.next_cursor = list["next_offset"].as_u64().map(|o| o.to_string());
    }
    if modern {
        result
            .with_ttl_ms(OPEN_LIST_MS)
            .with_cache_scope(CacheScope::Private)
    } else {
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_a_kind_and_an_id_or_are_not_found() {
        let (kind, id) = parse("pagerduty://incidents/Q1ABC").unwrap();
        assert_eq!((kind.tool, id), ("get_incident", "Q1ABC"));
        let (kind, id) = parse("pagerduty://escalation_policies/P9").unwrap();
        assert_eq!((kind.tool, id), ("get_escalation_policy", "P9"));
        for bad in [
            "pagerduty://incidents/",
            "pagerduty://incidents/../users/me",
            "pagerduty://incidents/A?b",
            "pagerduty://users/P1",
            "https://incidents/P1",
            "pagerduty://incidents",
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(
                err.code,
                rmcp::model::ErrorCode::RESOURCE_NOT_FOUND,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_open_list_pages_with_the_tools_offset() {
        let list = json!({"items": [{"id": "Q1", "title": "db down", "status": "triggered",
            "urgency": "high", "service": {"summary": "Checkout"}}], "more": true, "next_offset": 100});
        let r = open_incidents(&list, true);
        assert_eq!(r.resources[0].uri, "pagerduty://incidents/Q1");
        assert_eq!(
            r.resources[0].description.as_deref(),
            Some("triggered high incident on Checkout")
        );
        assert_eq!(r.next_cursor.as_deref(), Some("100"));
        assert_eq!(r.ttl_ms, Some(OPEN_LIST_MS));
        let (query, window) = open_incidents_query(Some("100")).unwrap();
        assert_eq!((window.offset, query.all_time), (100, true));
        assert!(open_incidents_query(Some("x")).is_err());
        let legacy = open_incidents(&json!({"items": [], "more": false}), false);
        assert_eq!((legacy.ttl_ms, legacy.next_cursor), (None, None));
    }
}
