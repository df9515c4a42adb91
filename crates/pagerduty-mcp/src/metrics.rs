//! Operator metrics in the Prometheus text format (`metrics` facade and
//! `metrics-exporter-prometheus`), served on their own address (`--metrics-addr`) so the
//! MCP port exposes nothing extra:
//!
//! - `mcp_http_requests_total{status}`: HTTP requests answered, by status
//! - `mcp_tool_calls_total{tool,outcome}`: tool calls, `ok` or `error`
//! - `mcp_tool_calls_in_flight`: tool calls running now
//! - `pagerduty_api_requests_total{status}`, `pagerduty_api_request_duration_seconds`
//!   (histogram) and `pagerduty_api_rate_limited_total`: requests to PagerDuty (the client's)
//! - `mcp_http_connections_refused_total`: connections over `--max-connections`

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// Installs the Prometheus recorder and serves `/metrics` on `addr` until the process ends.
pub async fn serve(addr: SocketAddr) -> anyhow::Result<()> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Suffix("duration_seconds".into()),
            &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
        )
        .context("metrics histogram buckets")?
        .install_recorder()
        .context("installing the metrics recorder")?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} for metrics"))?;
    tracing::info!(metrics_listen = %listener.local_addr()?, "serving Prometheus metrics at /metrics");
    let upkeep = handle.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            upkeep.run_upkeep();
        }
    });
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let handle = handle.clone();
            async move { handle.render() }
        }),
    );
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics listener failed");
        }
    });
    Ok(())
}

/// Counts every HTTP answer by status.
pub async fn http_request(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    metrics::counter!("mcp_http_requests_total", "status" => resp.status().as_u16().to_string())
        .increment(1);
    resp
}

/// A tool call running: counted in `mcp_tool_calls_in_flight` until dropped.
pub struct ToolCall {
    _running: (),
}

impl ToolCall {
    pub fn start() -> Self {
        metrics::gauge!("mcp_tool_calls_in_flight").increment(1.0);
        Self { _running: () }
    }

    pub fn finish(self, tool: &str, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        metrics::counter!("mcp_tool_calls_total", "tool" => tool.to_owned(), "outcome" => outcome)
            .increment(1);
    }
}

impl Drop for ToolCall {
    fn drop(&mut self) {
        metrics::gauge!("mcp_tool_calls_in_flight").decrement(1.0);
    }
}
