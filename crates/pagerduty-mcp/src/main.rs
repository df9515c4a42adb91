use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use std::time::Duration;

use pagerduty_mcp::config::{Cli, Command, LogFormat, Runtime};
use pagerduty_mcp::http::HttpOptions;
use pagerduty_mcp::registry::Access;
use rmcp::ServiceExt;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.options);
    // One client on stdio needs one thread (less memory, faster start); HTTP serves many.
    let mut builder = if cli.options.http {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pagerduty-mcp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pagerduty-mcp: {e:#}");
            ExitCode::from(2)
        }
    };
    // A read of stdin blocks a runtime thread until the client closes it; after a drain on
    // SIGTERM there is nothing left to wait for.
    runtime.shutdown_background();
    code
}

/// Logs go to stderr (on stdio, stdout carries the protocol), as text or one JSON object a
/// line. rmcp's warning for each routine protocol error a client causes (unknown method,
/// bad params) is left out: those are answered to the client, and logged at debug here.
fn init_logging(o: &pagerduty_mcp::config::Options) {
    use tracing::Level;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    use tracing_subscriber::{Layer as _, fmt};
    let filter = EnvFilter::try_new(&o.log).unwrap_or_else(|_| EnvFilter::new("info"));
    // rmcp warns about every routine protocol error (an unknown method, bad params); the
    // server answers those itself and logs them at debug.
    // rmcp also logs whole protocol messages (tool arguments and results, secrets included) at
    // debug in its service loop and at trace in its transports, whatever the filter asks for;
    // the server logs arguments and results itself, with secrets masked (see `secrets`).
    let routine = tracing_subscriber::filter::filter_fn(|meta| {
        let target = meta.target();
        let protocol_error = target.starts_with("rmcp::service")
            && *meta.level() == Level::WARN
            && meta.fields().field("error").is_some()
            && meta.fields().field("id").is_some();
        let message = target.starts_with("rmcp::service") && *meta.level() > Level::INFO
            || target.starts_with("rmcp::transport") && *meta.level() > Level::DEBUG;
        !(protocol_error || message)
    });
    let layer = match o.log_format {
        LogFormat::Text => fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .boxed(),
        LogFormat::Json => fmt::layer().json().with_writer(std::io::stderr).boxed(),
    };
    tracing_subscriber::registry()
        .with(layer.with_filter(routine).with_filter(filter))
        .init();
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(addr) = cli.options.metrics_addr {
        pagerduty_mcp::metrics::serve(addr).await?;
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Tools { markdown: true } => {
            let all = pagerduty_mcp::registry::Registry::new(pagerduty_mcp::tools::all());
            print!("{}", all.markdown_table());
            Ok(ExitCode::SUCCESS)
        }
        Command::Tools { markdown: false } => {
            print_tools();
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => Ok(if pagerduty_mcp::doctor::run(&cli.options).await? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
        Command::Serve if cli.options.http => {
            serve_http(Runtime::start(&cli.options).await?, &cli.options).await
        }
        Command::Serve => serve(Runtime::start(&cli.options).await?, &cli.options).await,
        Command::Call { tool, args } => {
            if cli.options.confirm_writes {
                tracing::warn!(
                    "--confirm-writes: the call command has no MCP client to ask, so writes that need \
                     confirmation are refused"
                );
            }
            call(Runtime::start(&cli.options).await?, &tool, args.as_deref()).await
        }
    }
}

async fn serve(rt: Runtime, o: &pagerduty_mcp::config::Options) -> anyhow::Result<ExitCode> {
    tracing::info!(
        tools = rt.server.registry().iter().count(),
        "serving MCP over stdio"
    );
    let shutdown = CancellationToken::new();
    let signalled = shutdown.clone();
    tokio::spawn(async move {
        pagerduty_mcp::http::shutdown_signal().await;
        tracing::info!("shutting down: answering the calls in flight");
        signalled.cancel();
    });
    let transport = pagerduty_mcp::stdio::StdioTransport::new(
        tokio::io::BufReader::new(tokio::io::stdin()),
        tokio::io::stdout(),
        o.max_body_bytes,
        shutdown,
        Duration::from_secs(o.drain_timeout),
    );
    let service = rt.server.clone().serve(transport).await?;
    service.waiting().await?;
    Ok(ExitCode::SUCCESS)
}

async fn serve_http(rt: Runtime, o: &pagerduty_mcp::config::Options) -> anyhow::Result<ExitCode> {
    let client_secret = pagerduty_mcp::credentials::client_secret_from_env()?;
    let opts = HttpOptions {
        addr: std::net::SocketAddr::new(o.host, o.port),
        auth: o.auth,
        allowed_hosts: o.allowed_hosts.clone(),
        allowed_origins: o.allowed_origins.clone(),
        max_body_bytes: o.max_body_bytes,
        request_timeout: Duration::from_secs(o.request_timeout),
        authorization_server: o.oauth_authorization_server.clone(),
        public_url: o.public_url.clone(),
        client_secret,
        confirm_writes: o.confirm_writes,
        header_read_timeout: Duration::from_secs(o.header_read_timeout.max(1)),
        max_connections: o.max_connections,
        drain_timeout: Duration::from_secs(o.drain_timeout),
        shutdown: CancellationToken::new(),
    };
    // The demo simulator, if any, lives until the server stops.
    let Runtime {
        server,
        demo: _demo,
    } = rt;
    pagerduty_mcp::http::serve(server, opts).await?;
    Ok(ExitCode::SUCCESS)
}

async fn call(rt: Runtime, tool: &str, args: Option<&str>) -> anyhow::Result<ExitCode> {
    let args = match args {
        None | Some("") => serde_json::Map::new(),
        Some(text) => serde_json::from_str(text).context("the arguments must be a JSON object")?,
    };
    let result = rt.server.dispatch(tool, args).await;
    let failed = result.is_error == Some(true);
    if let Some(value) = &result.structured_content {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else if let Some(text) = result.content.first().and_then(|c| c.as_text()) {
        if failed {
            eprintln!("{}", text.text);
        } else {
            println!("{}", text.text);
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_tools() {
    let all = pagerduty_mcp::registry::Registry::new(pagerduty_mcp::tools::all());
    println!("{:<28} {:<6} {:<20} description", "tool", "kind", "domain");
    for t in all.iter() {
        let kind = if t.access == Access::Read {
            "read"
        } else {
            "write"
        };
        let description = t.tool.description.as_deref().unwrap_or_default();
        println!(
            "{:<28} {:<6} {:<20} {}",
            t.name(),
            kind,
            t.domain.name(),
            description
        );
    }
    println!("\nWrite tools are offered only with --enable-write-tools.");
}
