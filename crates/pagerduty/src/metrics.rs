//! What the client reports to the process's metrics recorder (the `metrics` facade: a no-op
//! unless the server installs an exporter, e.g. Prometheus on `/metrics`).

use std::time::Duration;

/// One attempt sent to PagerDuty: its status (`None`: no answer) and how long it took.
pub(crate) fn api_request(status: Option<u16>, elapsed: Duration) {
    let status = status.map_or_else(|| "none".to_owned(), |s| s.to_string());
    if status == "429" {
        metrics::counter!("pagerduty_api_rate_limited_total").increment(1);
    }
    metrics::histogram!("pagerduty_api_request_duration_seconds").record(elapsed.as_secs_f64());
    metrics::counter!("pagerduty_api_requests_total", "status" => status).increment(1);
}
