//! `pagerduty-sim --port N [--seed S] [--host 127.0.0.1]`

use std::net::{IpAddr, SocketAddr};

use clap::Parser;
use pagerduty_sim::{SimConfig, Simulator, tokens};

#[derive(Parser, Debug)]
#[command(
    name = "pagerduty-sim",
    about = "Local, seeded PagerDuty REST API v2 simulator"
)]
struct Args {
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8089)]
    port: u16,
    /// Seed for the generated account.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Number of seeded incidents.
    #[arg(long, default_value_t = 240)]
    incidents: usize,
    /// Accept requests without the PagerDuty v2 Accept header.
    #[arg(long)]
    lenient_accept: bool,
    /// Per-credential requests per minute (unlimited if absent).
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Fix "now" at this RFC 3339 instant (seeded data and request defaults), for reproducible runs.
    #[arg(long)]
    now: Option<jiff::Timestamp>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = SimConfig {
        seed: args.seed,
        incident_count: args.incidents,
        strict_accept: !args.lenient_accept,
        rate_limit_per_minute: args.rate_limit,
        now: args.now,
        ..SimConfig::default()
    };
    let sim = Simulator::start_on(config, SocketAddr::new(args.host, args.port)).await?;
    eprintln!("PagerDuty simulator listening on {}", sim.base_url());
    eprintln!(
        "  user token : Authorization: Token token={}",
        tokens::DEMO_USER_TOKEN
    );
    eprintln!(
        "  oauth token: Authorization: Bearer {}",
        tokens::OAUTH_TOKEN
    );
    eprintln!(
        "  account key: Authorization: Token token={} (send From: <user email> on writes)",
        tokens::ACCOUNT_KEY
    );
    eprintln!("  demo user  : {}", tokens::DEMO_USER_EMAIL);
    tracing::info!(seed = args.seed, now = %sim.now(), "seeded");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
