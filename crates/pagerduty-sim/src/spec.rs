//! PagerDuty's official OpenAPI documents, which the simulator's and the server's tests check
//! against. They are read where the developer keeps them, never copied into the repository.

use std::io::Write;
use std::path::PathBuf;

/// Where `file` (e.g. `rest-openapiv3.json`) is looked for: `$PAGERDUTY_OPENAPI_DIR`, else
/// `../shared/pagerduty-openapi/` beside the repository.
pub fn path(file: &str) -> PathBuf {
    match std::env::var_os("PAGERDUTY_OPENAPI_DIR") {
        Some(dir) => PathBuf::from(dir).join(file),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/pagerduty-openapi")
            .join(file),
    }
}

/// The document `file`, or `None` when it is missing and `CI` is not `true`: then `test` is
/// skipped, and says so on the terminal itself (the test harness would swallow `eprintln!` of
/// a passing test), naming the file and how to get it. Under `CI=true` a missing document is
/// an error, so CI cannot pass without the checks.
pub fn load(test: &str, file: &str) -> Result<Option<serde_json::Value>, String> {
    let path = path(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            return Err(format!(
                "{test}: PagerDuty's OpenAPI document {} is missing ({e}); CI needs it",
                path.display()
            ));
        }
        Err(e) => {
            // Straight to the terminal: a passing test's captured output is never shown.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: PagerDuty's OpenAPI document {} is missing ({e}). Get \
                 PagerDuty/api-schema (reference/REST/openapiv3.json → rest-openapiv3.json, \
                 reference/events-v2/openapiv3.json → events-v2-openapiv3.json) into \
                 ../shared/pagerduty-openapi/ beside the repository, or set \
                 PAGERDUTY_OPENAPI_DIR to the folder holding them.",
                path.display()
            );
            return Ok(None);
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{}: not JSON: {e}", path.display()))
}
