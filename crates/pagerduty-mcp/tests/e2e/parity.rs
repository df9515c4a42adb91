//! Parity with PagerDuty's own MCP server (release 1.1.0 and its main branch): every official
//! tool is here under the same name,
//! with the same kind (read/write), and accepts every official parameter under its official
//! name (nested ones inside their official objects), so prompts and client configs carry over.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::harness::{Harness, text};

struct Official {
    name: String,
    write: bool,
    /// Parameter paths, e.g. ["incident_id"], ["query_model", "include"].
    params: Vec<Vec<String>>,
}

fn reference() -> Option<String> {
    let path = std::env::var_os("PAGERDUTY_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference")
        })
        .join("official-tools.tsv");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{} is required in CI: {e}", path.display())
        }
        Err(e) => {
            eprintln!(
                "skipping the parity test: {} not readable ({e})",
                path.display()
            );
            None
        }
    }
}

/// The tools PagerDuty's server gained on its main branch after 1.1.0, in the reference's
/// notation: `pagerduty_mcp/tools/escalation_policies.py` of PagerDuty/pagerduty-mcp-server at
/// 22adbf1 (`escalation_policy_data` is an `EscalationPolicyCreate`/`EscalationPolicyUpdate`
/// holding `escalation_policy`).
const MAIN: &str = "create_escalation_policy\twrite\tescalation_policy_data*{escalation_policy*}
update_escalation_policy\twrite\tpolicy_id* escalation_policy_data*{escalation_policy*}
";

/// Parses `a* b{c,d}* e` into [[a], [b, c], [b, d], [e]].
fn parse_params(spec: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    while !rest.is_empty() {
        let end = rest.find([' ', '{']).unwrap_or(rest.len());
        let name = rest[..end].trim_end_matches('*').to_owned();
        rest = &rest[end..];
        if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}').expect("closing brace");
            for field in inner[..close].split(',') {
                out.push(vec![
                    name.clone(),
                    field.trim().trim_end_matches('*').to_owned(),
                ]);
            }
            rest = inner[close + 1..].trim_start_matches('*');
        } else {
            out.push(vec![name]);
        }
        rest = rest.trim_start();
    }
    out
}

fn officials(tsv: &str) -> Vec<Official> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Official {
                name: cols[0].to_owned(),
                write: cols[1] == "write",
                params: parse_params(cols.get(2).copied().unwrap_or("")),
            }
        })
        .collect()
}

/// `{"a": {"b": probe}}` for the path [a, b]. The probe is an object no parameter takes as is,
/// so the call fails while decoding that very parameter, before anything is sent.
fn probe(path: &[String]) -> Map<String, Value> {
    let mut value = json!({"__parity_probe__": [1]});
    for key in path.iter().rev() {
        value = json!({ key: value });
    }
    match value {
        Value::Object(o) => o,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn every_official_tool_and_parameter_is_here() {
    let Some(tsv) = reference() else { return };
    let mut official = officials(&tsv);
    assert_eq!(official.len(), 101, "the reference lists 101 tools");
    official.extend(officials(MAIN));
    assert_eq!(official.len(), 103, "main has 103 tools");
    let h = Harness::with_writes().await;
    let tools = h.tools().await;
    let mut problems = Vec::new();
    for o in &official {
        let Some(tool) = tools.iter().find(|t| t.name == o.name) else {
            problems.push(format!("missing tool {}", o.name));
            continue;
        };
        let read_only = tool.annotations.as_ref().and_then(|a| a.read_only_hint);
        if read_only != Some(!o.write) {
            problems.push(format!(
                "{} should be {}",
                o.name,
                if o.write { "write" } else { "read" }
            ));
        }
        for path in &o.params {
            let r = h.call(&o.name, Value::Object(probe(path))).await;
            let message = text(&r);
            let leaf = path.last().expect("a name");
            if message.contains(&format!("unknown field `{leaf}`")) {
                problems.push(format!(
                    "{} does not accept `{}`: {message}",
                    o.name,
                    path.join(".")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} parity problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn parameter_specs_parse() {
    assert_eq!(
        parse_params("incident_id* query_model*{since,limit} enrich"),
        vec![
            vec!["incident_id".to_owned()],
            vec!["query_model".to_owned(), "since".to_owned()],
            vec!["query_model".to_owned(), "limit".to_owned()],
            vec!["enrich".to_owned()],
        ]
    );
    assert_eq!(parse_params(""), Vec::<Vec<String>>::new());
}
