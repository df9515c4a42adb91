//! Command line and environment → a configured PagerDuty client and tool registry.

use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use pagerduty::{ApiHost, Client};

use crate::credentials::LocalSecrets;
use crate::redact::Redactor;
use crate::registry::Registry;
use crate::server::{PagerDutyServer, Policy};
use crate::writes::AuditLog;

#[derive(Debug, Parser)]
#[command(
    name = "pagerduty-mcp",
    version,
    about = "A Model Context Protocol server for PagerDuty"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve MCP over stdio (the default).
    Serve,
    /// Print the tool table.
    Tools {
        /// As the Markdown table README.md shows.
        #[arg(long)]
        markdown: bool,
    },
    /// Check the configuration and credential against PagerDuty; exits non-zero on a problem.
    Doctor,
    /// Make one tool call and print its result; exits non-zero on a tool error.
    Call {
        /// Tool name, e.g. list_incidents.
        tool: String,
        /// Arguments as a JSON object, e.g. '{"statuses":["triggered"]}'.
        args: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct Options {
    /// Offer the tools that change PagerDuty (acknowledge, resolve, create, notes, …).
    /// The variable takes true/false, for clients that set a mode rather than a flag (the
    /// Claude Desktop bundle).
    #[arg(long, global = true, env = "PAGERDUTY_MCP_ENABLE_WRITE_TOOLS")]
    pub enable_write_tools: bool,
    /// Load only these toolsets (comma-separated); default all. See `pagerduty-mcp tools`.
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_MCP_TOOLSETS",
        value_delimiter = ',',
        value_enum
    )]
    pub toolsets: Vec<crate::registry::Toolset>,
    /// Largest tool result, in bytes (about 4 bytes a token); longer results are cut to fit
    /// and say how to narrow the query.
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_MCP_MAX_OUTPUT_BYTES",
        default_value_t = 100_000
    )]
    pub max_output_bytes: usize,
    /// Run against a built-in simulated PagerDuty account: no account or key needed.
    #[arg(long, global = true)]
    pub demo: bool,
    /// PagerDuty API base URL: https://api.pagerduty.com (US) or https://api.eu.pagerduty.com (EU).
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_API_HOST",
        default_value = "https://api.pagerduty.com"
    )]
    pub api_host: String,
    /// Seconds one tool call may spend on PagerDuty: every request, retry and wait of it.
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_API_TIMEOUT",
        default_value_t = 30
    )]
    pub api_timeout: u64,
    /// Allow an https API host outside pagerduty.com (e.g. a corporate proxy). The token is sent there.
    #[arg(long, global = true)]
    pub allow_custom_api_host: bool,
    /// Serve MCP over Streamable HTTP at /mcp instead of stdio.
    #[arg(long, global = true)]
    pub http: bool,
    /// HTTP: address to listen on.
    #[arg(long, global = true, env = "MCP_HOST", default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// HTTP: port to listen on.
    #[arg(long, global = true, env = "MCP_PORT", default_value_t = 8000)]
    pub port: u16,
    /// HTTP: whose PagerDuty credential requests use.
    #[arg(
        long,
        global = true,
        env = "MCP_AUTH",
        value_enum,
        default_value = "per-request"
    )]
    pub auth: crate::http::AuthMode,
    /// HTTP: Host header values to accept (DNS-rebinding protection); default loopback names.
    #[arg(long, global = true, env = "MCP_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// HTTP: browser Origins to accept, e.g. https://app.example.com; default loopback origins
    /// when bound to loopback.
    #[arg(
        long,
        global = true,
        env = "MCP_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Largest request accepted, in bytes: an HTTP body, or a line on stdio.
    #[arg(long, global = true, env = "MCP_MAX_BODY_BYTES", default_value_t = 1 << 20)]
    pub max_body_bytes: usize,
    /// HTTP: seconds before a request is abandoned (at least --api-timeout + 5, so a tool
    /// call's own time-out answers first).
    #[arg(long, global = true, env = "MCP_REQUEST_TIMEOUT", default_value_t = 60)]
    pub request_timeout: u64,
    /// HTTP: seconds a client has to send a request's headers; an idle keep-alive connection
    /// is closed after as long.
    #[arg(
        long,
        global = true,
        env = "MCP_HEADER_READ_TIMEOUT",
        default_value_t = 10
    )]
    pub header_read_timeout: u64,
    /// HTTP: most connections open at once; a new one beyond it gets 503 and is closed.
    /// Keep it below the process's open-file limit (`ulimit -n`).
    #[arg(
        long,
        global = true,
        env = "MCP_MAX_CONNECTIONS",
        default_value_t = 1024
    )]
    pub max_connections: usize,
    /// Seconds the calls in flight get to finish after SIGTERM/SIGINT (HTTP and stdio).
    #[arg(long, global = true, env = "MCP_DRAIN_TIMEOUT", default_value_t = 30)]
    pub drain_timeout: u64,
    /// Largest PagerDuty answer read, in bytes; a longer one is a tool error.
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_MCP_MAX_API_RESPONSE_BYTES",
        default_value_t = pagerduty::DEFAULT_MAX_RESPONSE_BYTES
    )]
    pub max_api_response_bytes: usize,
    /// Serve Prometheus metrics at http://<this address>/metrics, e.g. 127.0.0.1:9464.
    #[arg(long, global = true, env = "MCP_METRICS_ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Log line format on stderr: text, or json (one object a line, for log shippers).
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_MCP_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    /// HTTP: the OAuth authorization server named in the protected-resource metadata.
    #[arg(
        long,
        global = true,
        env = "MCP_OAUTH_AUTHORIZATION_SERVER",
        default_value = "https://identity.pagerduty.com"
    )]
    pub oauth_authorization_server: String,
    /// HTTP: this server's public base URL (for OAuth metadata behind a proxy); default from Host.
    #[arg(long, global = true, env = "MCP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Append one JSON line per write attempt to this file (never a token).
    #[arg(long, global = true, env = "PAGERDUTY_MCP_AUDIT_LOG")]
    pub audit_log: Option<std::path::PathBuf>,
    /// Ask a person (MCP elicitation) before destructive writes, schedule changes and resolving
    /// incidents; clients that cannot ask get a refusal.
    #[arg(long, global = true)]
    pub confirm_writes: bool,
    /// Mask email addresses and phone numbers in every tool result.
    #[arg(long, global = true)]
    pub redact: bool,
    /// Also mask matches of this regular expression (repeatable; implies --redact).
    #[arg(long, global = true)]
    pub redact_pattern: Vec<String>,
    /// Log filter for stderr, e.g. info, debug, pagerduty=trace.
    #[arg(
        long,
        global = true,
        env = "PAGERDUTY_MCP_LOG",
        default_value = "info,rmcp=warn"
    )]
    pub log: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The in-process simulator `--demo` runs against; none without the `demo` feature (on by
/// default), which a deployment against a real account can leave out for a smaller binary.
#[cfg(feature = "demo")]
pub type DemoAccount = pagerduty_sim::Simulator;
#[cfg(not(feature = "demo"))]
pub type DemoAccount = std::convert::Infallible;

/// The built-in simulated account `--demo` runs against: the running simulator (keep it alive)
/// and its host; the demo user's token is `pagerduty_sim::tokens::DEMO_USER_TOKEN`. Seeded
/// relative to `PAGERDUTY_MCP_NOW` when set, so the account and the on-call tools agree on
/// "now" (tests), else to the real clock.
#[cfg(feature = "demo")]
pub async fn demo_account() -> anyhow::Result<(DemoAccount, ApiHost)> {
    let now = std::env::var(crate::tools::when::NOW_VAR)
        .ok()
        .and_then(|v| v.trim().parse().ok());
    let config = pagerduty_sim::SimConfig {
        now,
        ..pagerduty_sim::SimConfig::default()
    };
    let sim = pagerduty_sim::Simulator::start(config)
        .await
        .context("starting the demo PagerDuty simulator")?;
    let host = ApiHost::parse(&sim.base_url(), false)
        .map_err(|e| anyhow::anyhow!(crate::error::explain_host(&e)))?;
    Ok((sim, host))
}

#[cfg(not(feature = "demo"))]
pub async fn demo_account() -> anyhow::Result<(DemoAccount, ApiHost)> {
    anyhow::bail!(
        "this build has no demo account: it was built without the `demo` feature \
         (`cargo install pagerduty-mcp` includes it; `--no-default-features` leaves it out)"
    )
}

/// The demo user's token on the account [`demo_account`] started.
#[cfg(feature = "demo")]
pub fn demo_token(_: &DemoAccount) -> &'static str {
    pagerduty_sim::tokens::DEMO_USER_TOKEN
}

/// Without the `demo` feature there is no demo account to hold a token.
#[cfg(not(feature = "demo"))]
pub fn demo_token(account: &DemoAccount) -> &'static str {
    match *account {}
}

/// A ready server, plus the in-process simulator in demo mode (kept alive with it).
pub struct Runtime {
    pub server: PagerDutyServer,
    pub demo: Option<DemoAccount>,
}

impl Runtime {
    pub async fn start(options: &Options) -> anyhow::Result<Self> {
        let (demo, host) = if options.demo {
            let (sim, host) = demo_account().await?;
            tracing::info!(api = %host, "demo mode: using the built-in simulated PagerDuty account");
            (Some(sim), host)
        } else {
            let host = ApiHost::parse(&options.api_host, options.allow_custom_api_host)
                .map_err(|e| anyhow::anyhow!(crate::error::explain_host(&e)))?;
            (None, host)
        };
        let client = Client::builder(host)
            .timeout(std::time::Duration::from_secs(options.api_timeout.max(1)))
            .max_response_bytes(options.max_api_response_bytes)
            .build();
        let secrets = match &demo {
            Some(account) => LocalSecrets::demo(client, demo_token(account)),
            None => LocalSecrets::from_env(client)?,
        };
        if !secrets.has_credential() {
            tracing::warn!(
                "no PagerDuty credential: tools are listed, but every call will fail until \
                 PAGERDUTY_USER_API_KEY is set (or run with --demo)"
            );
        }
        let registry = Registry::new(crate::tools::all()).withhold(|t| {
            let toolset = t.domain.toolset();
            if !options.toolsets.is_empty() && !options.toolsets.contains(&toolset) {
                Some(format!(
                    "it belongs to the `{}` toolset, which this server does not load (--toolsets)",
                    toolset.name()
                ))
            } else if t.access.is_write() && !options.enable_write_tools {
                Some(
                    "it changes PagerDuty, and this server runs read-only; restart it with --enable-write-tools to allow writes"
                        .to_owned(),
                )
            } else {
                None
            }
        });
        let policy = Policy {
            audit: match &options.audit_log {
                Some(path) => Some(
                    AuditLog::open(path)
                        .with_context(|| format!("opening the audit log {}", path.display()))?,
                ),
                None => None,
            },
            max_output_bytes: options.max_output_bytes.max(1000),
            confirmer: if options.confirm_writes {
                Some(crate::confirm::Confirmer::new()?)
            } else {
                None
            },
            redactor: if options.redact || !options.redact_pattern.is_empty() {
                Some(
                    Redactor::new(&options.redact_pattern)
                        .context("a --redact-pattern is not a valid regular expression")?,
                )
            } else {
                None
            },
        };
        let server = PagerDutyServer::new(Arc::new(registry), Arc::new(secrets), policy);
        Ok(Self { server, demo })
    }
}
