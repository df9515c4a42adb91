//! What surrounds every write tool: `dry_run` (plan the exact request, send nothing) and the
//! audit log (one JSON line per write attempt, flushed before the tool answers).

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pagerduty::{Exchange, Journal};
use rmcp::model::JsonObject;
use serde::Serialize;
use serde_json::{Value, json};

use crate::error::ToolError;

/// The argument every write tool accepts.
pub const DRY_RUN: &str = "dry_run";

/// Input-schema property for `dry_run`.
pub fn dry_run_property() -> Value {
    json!({"type": "boolean", "description": "true: return the exact request without sending it."})
}

/// Takes `dry_run` out of the arguments.
pub fn take_dry_run(args: &mut JsonObject) -> Result<bool, ToolError> {
    match args.remove(DRY_RUN) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        // Some clients send every scalar as a string (see `registry::args::coerce_scalars`).
        Some(Value::String(s)) if s.trim() == "true" => Ok(true),
        Some(Value::String(s)) if s.trim() == "false" => Ok(false),
        Some(other) => Err(ToolError::invalid(
            DRY_RUN,
            format!("must be true or false, got {other}"),
        )),
    }
}

/// A dry run's answer: the requests the tool would have sent, secrets masked.
pub fn dry_run_result(journal: &Journal) -> Value {
    // Bodies may hold secrets; headers are already shown by kind only.
    let planned: Vec<_> = journal
        .entries()
        .into_iter()
        .map(|mut e| {
            if let Some(body) = e.body.as_mut() {
                crate::secrets::mask(body);
            }
            e
        })
        .collect();
    json!({
        "dry_run": true,
        "would_send": planned,
        "note": "Nothing was sent to PagerDuty. Call again without dry_run to make this change.",
    })
}

/// Whether `--confirm-writes` asks the human before this call: destructive tools, schedule
/// changes, and what a tool's own `confirm_if` hook says (resolving incidents).
pub fn needs_confirmation(tool: &crate::registry::ToolDef, args: &JsonObject) -> bool {
    let destructive = matches!(
        tool.access,
        crate::registry::Access::Write {
            destructive: true,
            ..
        }
    );
    let asks = tool.confirm_if.is_some_and(|asks| asks(args));
    destructive || asks || tool.domain == crate::registry::Domain::Schedules
}

/// The change a call would make, in words a person can check.
pub fn describe(tool: &str, planned: &[Exchange]) -> String {
    let mut out = format!("Allow `{tool}` to make this change in PagerDuty?");
    for e in planned {
        out.push_str(&format!("\n{} {}", e.method, e.path));
        if let Some(body) = &e.body {
            out.push_str(&format!(" {}", crate::secrets::masked(body)));
        }
    }
    if planned.is_empty() {
        out.push_str("\n(no request could be planned; the call will probably fail)");
    }
    out
}

/// The human's answer to a confirmation request.
#[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
pub struct Confirmation {
    /// true to make the change.
    pub confirm: bool,
}

rmcp::elicit_safe!(Confirmation);

/// An append-only JSON-lines audit log of write attempts. Format, one object per line:
/// `{"time", "tool", "arguments", "targets", "dry_run", "outcome", "error"?, "caller",
/// "requests": [{"method", "path", "status"?, "request_id"?}]}`, `outcome` one of `ok`, `error`,
/// `dry_run`, `refused` (not allowed to run, e.g. confirmation impossible or tampered),
/// `declined` (the person said no), `awaiting_confirmation` (asked; the answer comes in a retry).
/// Secrets in arguments are masked; the credential appears only as a fingerprint.
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
}

/// One write attempt, as the audit log records it.
pub struct Attempt<'a> {
    pub tool: &'a str,
    pub arguments: &'a JsonObject,
    pub dry_run: bool,
    pub outcome: Outcome<'a>,
    pub exchanges: &'a [Exchange],
    /// Who made it: credential kind and fingerprint, and over HTTP the caller's PagerDuty user.
    pub caller: Value,
}

/// How a write attempt ended.
pub enum Outcome<'a> {
    Done,
    AwaitingConfirmation,
    Failed(&'a ToolError),
}

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    tool: &'a str,
    arguments: Value,
    targets: Vec<String>,
    dry_run: bool,
    outcome: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    caller: &'a Value,
    requests: Vec<Value>,
}

impl AuditLog {
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one attempt and flushes it to disk.
    pub fn record(&self, a: &Attempt<'_>) -> std::io::Result<()> {
        let arguments = crate::secrets::masked(&Value::Object(a.arguments.clone()));
        let (outcome, error) = match a.outcome {
            Outcome::Done if a.dry_run => ("dry_run", None),
            Outcome::Done => ("ok", None),
            Outcome::AwaitingConfirmation => ("awaiting_confirmation", None),
            Outcome::Failed(e @ ToolError::Refused(_)) => ("refused", Some(e.to_string())),
            Outcome::Failed(e @ ToolError::NotConfirmed(_)) => ("declined", Some(e.to_string())),
            Outcome::Failed(e) => ("error", Some(e.to_string())),
        };
        let targets = targets(a.arguments);
        let line = Line {
            time: jiff::Timestamp::now().to_string(),
            tool: a.tool,
            targets,
            arguments,
            dry_run: a.dry_run,
            outcome,
            error,
            caller: &a.caller,
            requests: a
                .exchanges
                .iter()
                .map(|e| json!({"method": e.method, "path": e.path, "status": e.status, "request_id": e.request_id}))
                .collect(),
        };
        let mut text = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
        text.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(&text)?;
        file.flush()?;
        file.sync_data()
    }
}

/// The object ids a call names: values of `…id`/`…ids` fields at any depth.
fn targets(args: &JsonObject) -> Vec<String> {
    fn walk(key: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if key == "id" || key.ends_with("_id") || key.ends_with("_ids") => {
                out.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|i| walk(key, i, out)),
            Value::Object(o) => o.iter().for_each(|(k, v)| walk(k, v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in args {
        walk(k, v, &mut out);
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_target_ids() {
        let args = json!({"manage_request": {"incident_ids": ["P1", "P2"], "assignment": {"id": "PU"}}, "note": "x"});
        let Value::Object(args) = args else {
            unreachable!()
        };
        assert_eq!(targets(&args), ["P1", "P2", "PU"]);
    }

    #[test]
    fn dry_run_must_be_a_boolean() {
        let mut a = JsonObject::new();
        a.insert(DRY_RUN.into(), json!("yes"));
        assert!(take_dry_run(&mut a).is_err());
        a.insert(DRY_RUN.into(), json!(true));
        assert!(take_dry_run(&mut a).unwrap());
        assert!(a.is_empty());
    }
}
