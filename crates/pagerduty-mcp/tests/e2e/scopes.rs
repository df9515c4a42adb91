//! OAuth scopes: what each tool declares covers what PagerDuty's spec (`x-pd-requires-scope`)
//! requires of the requests the client makes for its domain, and the protected-resource
//! metadata advertises the union over the tools a server loads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pagerduty_mcp::registry::{Access, Domain, Registry};
use pagerduty_mcp::scopes::for_tool;
use regex::Regex;
use serde_json::Value;

use crate::http::HttpServer;

/// The client module each domain's tools call.
const MODULES: &[(&str, Domain)] = &[
    ("alert_grouping", Domain::AlertGrouping),
    ("analytics", Domain::Analytics),
    ("audit", Domain::Audit),
    ("business_services", Domain::BusinessServices),
    ("change_events", Domain::ChangeEvents),
    ("escalation_policies", Domain::EscalationPolicies),
    ("event_orchestrations", Domain::EventOrchestrations),
    ("extension_schemas", Domain::ExtensionSchemas),
    ("incident_intelligence", Domain::Incidents),
    ("incident_workflows", Domain::IncidentWorkflows),
    ("incident_triage", Domain::Incidents),
    ("incidents", Domain::Incidents),
    ("log_entries", Domain::LogEntries),
    ("maintenance_windows", Domain::MaintenanceWindows),
    ("notification_rules", Domain::Users),
    ("oncalls", Domain::Oncall),
    ("priorities", Domain::Priorities),
    ("schedules", Domain::Schedules),
    ("services", Domain::Services),
    ("status_pages", Domain::StatusPages),
    ("teams", Domain::Teams),
    ("users", Domain::Users),
    ("webhooks", Domain::Webhooks),
];

/// (method, path segments; `None` for a value) of every request with a literal path in a
/// client module: `request(Method::X, &[…])`, and the generic calls over a resource type
/// (`get::<Service>`, `nested::<Incident>(Method::X, id, &[…])`…), whose collection segment
/// the client's `resources!` table in `api/mod.rs` gives.
fn requests(module: &str) -> Vec<(String, Vec<Option<String>>)> {
    let api = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../pagerduty/src/api");
    let source = std::fs::read_to_string(api.join(format!("{module}.rs"))).unwrap();
    let table = std::fs::read_to_string(api.join("mod.rs")).unwrap();
    let collections: BTreeMap<&str, &str> = Regex::new(r#"(?m)^\s*(\w+) => \("(\w+)""#)
        .unwrap()
        .captures_iter(&table)
        .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()))
        .collect();
    let collection = |ty: &str| Some(collections[ty].to_owned());
    let literal = |segments: &str| -> Vec<Option<String>> {
        segments
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .map(str::to_owned)
            })
            .collect()
    };
    let mut out = Vec::new();
    let call = Regex::new(r"request\(\s*Method::(\w+),\s*&\[([^\]]*)\]").unwrap();
    for c in call.captures_iter(&source) {
        out.push((c[1].to_owned(), literal(&c[2])));
    }
    let builder = Regex::new(r"\.(collection|member)::<(\w+)>\(\s*Method::(\w+)").unwrap();
    for c in builder.captures_iter(&source) {
        let mut segments = vec![collection(&c[2])];
        if &c[1] == "member" {
            segments.push(None);
        }
        out.push((c[3].to_owned(), segments));
    }
    let nested =
        Regex::new(r"\.nested::<(\w+)>\(\s*Method::(\w+),\s*\w+,\s*&\[([^\]]*)\]").unwrap();
    for c in nested.captures_iter(&source) {
        let mut segments = vec![collection(&c[1]), None];
        segments.extend(literal(&c[3]));
        out.push((c[2].to_owned(), segments));
    }
    let generic = Regex::new(r"self\.(list|get|create|update|delete)::<(\w+)>\(").unwrap();
    for c in generic.captures_iter(&source) {
        let (method, on_one) = match &c[1] {
            "list" => ("GET", false),
            "get" => ("GET", true),
            "create" => ("POST", false),
            "update" => ("PUT", true),
            _ => ("DELETE", true),
        };
        let mut segments = vec![collection(&c[2])];
        if on_one {
            segments.push(None);
        }
        out.push((method.to_owned(), segments));
    }
    out
}

/// The scope the spec requires of `method` on the path matching `segments`.
fn required(spec: &Value, method: &str, segments: &[Option<String>]) -> Option<String> {
    let matches = |template: &str, exact: bool| {
        let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(segments).all(|(p, s)| match s {
                Some(lit) => p == lit || (!exact && p.starts_with('{')),
                None => p.starts_with('{'),
            })
    };
    let paths = spec["paths"].as_object().unwrap();
    let op = [true, false].iter().find_map(|exact| {
        paths
            .iter()
            .find(|(t, ops)| matches(t, *exact) && ops.get(method.to_lowercase()).is_some())
            .map(|(_, ops)| &ops[method.to_lowercase()])
    })?;
    op["x-pd-requires-scope"].as_str().map(str::to_owned)
}

#[test]
fn each_domain_declares_the_scopes_the_spec_requires_of_its_requests() {
    let Some(spec) = crate::harness::rest_spec("scope derivation") else {
        return;
    };
    let mut vocabulary = BTreeSet::new();
    for ops in spec["paths"].as_object().unwrap().values() {
        for op in ops.as_object().unwrap().values() {
            if let Some(s) = op.get("x-pd-requires-scope").and_then(Value::as_str) {
                vocabulary.insert(s.to_owned());
            }
        }
    }
    let mut missing = BTreeMap::new();
    let mut derived = BTreeSet::new();
    let mut checked = 0;
    for (module, domain) in MODULES {
        for (method, segments) in requests(module) {
            let Some(scope) = required(&spec, &method, &segments) else {
                continue;
            };
            checked += 1;
            let access = if method == "GET" {
                Access::Read
            } else {
                Access::Write {
                    destructive: false,
                    idempotent: false,
                }
            };
            if !for_tool(*domain, access).contains(&scope.as_str()) {
                missing
                    .entry(format!(
                        "{domain:?} {method} /{}",
                        segments
                            .iter()
                            .map(|s| s.as_deref().unwrap_or("{id}"))
                            .collect::<Vec<_>>()
                            .join("/")
                    ))
                    .or_insert(scope.clone());
            }
            derived.insert(scope);
        }
    }
    assert!(checked > 40, "only {checked} requests matched the spec");
    assert!(
        missing.is_empty(),
        "tools lack scopes the spec requires: {missing:#?}"
    );
    // Every declared scope is one PagerDuty knows.
    let all = Registry::new(pagerduty_mcp::tools::all());
    for scope in all.scopes() {
        assert!(
            vocabulary.contains(scope),
            "`{scope}` is not a PagerDuty scope"
        );
    }
    // The full server's union covers everything derived from the spec.
    let union: BTreeSet<String> = all.scopes().iter().map(|s| s.to_string()).collect();
    assert!(
        derived.is_subset(&union),
        "{:?}",
        derived.difference(&union).collect::<Vec<_>>()
    );
    // The tool that calls a resource declares that resource's scope itself: it is what its
    // 403 names and what a client asks consent for; the union alone would not show it.
    for (tool, needed) in [
        ("list_status_pages", "status_pages.read"),
        ("create_webhook_subscription", "webhook_subscriptions.write"),
        ("list_event_orchestrations", "event_orchestrations.read"),
        ("list_incident_workflows", "incident_workflows.read"),
        ("list_extension_schemas", "extension_schemas.read"),
        ("list_change_events", "change_events.read"),
        ("get_incident_metrics_all", "analytics.read"),
    ] {
        let def = all.get(tool).unwrap_or_else(|| panic!("no tool {tool}"));
        assert!(
            def.scopes.contains(&needed),
            "{tool} declares {:?}, not {needed}",
            def.scopes
        );
    }
    // Negative control: a read tool declares no write scope.
    let reads = &all.get("list_status_pages").unwrap().scopes;
    assert!(reads.iter().all(|s| !s.ends_with(".write")), "{reads:?}");
}

async fn advertised(args: &[&str]) -> Vec<String> {
    let s = HttpServer::start(args, &[]).await;
    let meta = s.resource_metadata(None).await;
    crate::harness::array(&meta["scopes_supported"])
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn metadata_advertises_the_union_over_the_loaded_tools() {
    let writes = advertised(&["--enable-write-tools"]).await;
    let all = Registry::new(pagerduty_mcp::tools::all());
    assert_eq!(
        writes,
        all.scopes()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert!(writes.len() >= 24, "{writes:?}");
    assert!(
        writes.contains(&"incidents.write".to_owned())
            && writes.contains(&"status_pages.write".to_owned())
    );
    let reads = advertised(&[]).await;
    assert!(reads.iter().all(|s| !s.ends_with(".write")), "{reads:?}");
    assert!(reads.contains(&"webhook_subscriptions.read".to_owned()));
    let incidents_only = advertised(&["--toolsets", "incidents"]).await;
    assert!(incidents_only.contains(&"incidents.read".to_owned()));
    assert!(
        !incidents_only.contains(&"status_pages.read".to_owned()),
        "{incidents_only:?}"
    );
}
