//! A stateful, seeded, local HTTP simulator of the PagerDuty REST API v2.
//!
//! Start one with [`Simulator::start`], point a client at
//! [`Simulator::base_url`] with one of the [`tokens`], and inspect what it
//! received with [`Simulator::requests`]. Faults can be injected through
//! [`Simulator::faults`] or `POST /_sim/faults`.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod error;
pub mod escalation;
pub mod event_orchestrations;
pub mod faults;
pub mod ids;
pub mod incidents;
pub mod log_entries;
pub mod maintenance_windows;
pub mod notification_rules;
pub mod paging;
pub mod render;
pub mod rng;
pub mod routes;
pub mod schedule;
pub mod schedule_v3;
pub mod seed;
pub mod seed_context;
pub mod seed_incidents;
pub mod seed_integrations;
pub mod seed_schedules_v3;
pub mod spec;
pub mod status_pages;
pub mod store;
pub mod tenants;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use jiff::Timestamp;

pub use faults::{CredentialKind, FaultKind, FaultRule, Faults, RequestLog, RequestRecord};
pub use store::{Account, Store};

mod net;

/// Tokens accepted by every simulator.
pub mod tokens {
    /// User API key of the demo user (`Token token=...`).
    pub const DEMO_USER_TOKEN: &str = "y_NbAkKc66ryYTWUXYEu-sim+demo";
    /// Full-access account-level (general access) API key.
    pub const ACCOUNT_KEY: &str = "u+acct_SIMkey-0000000001";
    /// Read-only account-level API key (403 on writes).
    pub const READ_ONLY_ACCOUNT_KEY: &str = "u+acct_SIMkey-readonly-02";
    /// User OAuth access token of the demo user (`Bearer ...`).
    pub const OAUTH_TOKEN: &str = "pdus+_0XBPWQQ_sim-demo-oauth";
    /// Email of the demo user.
    pub const DEMO_USER_EMAIL: &str = "morgan.lee@example.com";

    /// The user API key of the seeded user with this email
    /// (`DEMO_USER_TOKEN` for the demo user).
    pub fn user_token(email: &str) -> String {
        if email.eq_ignore_ascii_case(DEMO_USER_EMAIL) {
            return DEMO_USER_TOKEN.to_string();
        }
        let local = email.split('@').next().unwrap_or(email).replace('.', "-");
        format!("u+usr_{local}_sim")
    }
    /// The token of tenant account `tenant` (1-based) that corresponds to `token` in the
    /// main account, e.g. `tenant_token(3, DEMO_USER_TOKEN)`.
    pub fn tenant_token(tenant: usize, token: &str) -> String {
        format!("t{tenant}_{token}")
    }
}

/// Simulator settings.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    /// The fixed "now" seeded data is relative to (default: real time,
    /// truncated to the minute).
    pub now: Option<Timestamp>,
    pub incident_count: usize,
    /// Require `Accept: application/vnd.pagerduty+json;version=2` (406 otherwise).
    pub strict_accept: bool,
    /// Per-credential requests per minute; `None` = unlimited.
    pub rate_limit_per_minute: Option<u32>,
    /// Extra accounts besides the main one, each with its own tokens
    /// ([`tokens::tenant_token`]).
    pub tenants: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            now: None,
            incident_count: 240,
            strict_accept: true,
            rate_limit_per_minute: None,
            tenants: 0,
        }
    }
}

/// Shared state behind the router.
#[derive(Debug)]
pub struct SimState {
    pub config: SimConfig,
    /// The instant the seeded data is relative to.
    pub now: Timestamp,
    /// "Now" for request-time defaults: fixed at `now` when the config fixes it.
    pub clock: clock::Clock,
    pub store: RwLock<Store>,
    pub faults: Faults,
    pub log: Mutex<Vec<RequestRecord>>,
    pub rate_limiter: auth::RateLimiter,
}

pub type AppState = Arc<SimState>;

impl SimState {
    pub fn new(config: SimConfig) -> Self {
        let now = config
            .now
            .unwrap_or_else(|| truncate_to_minute(Timestamp::now()));
        let mut store = seed::seed(config.seed, now, config.incident_count);
        tenants::add(&mut store, config.seed, now, config.tenants);
        let clock = match config.now {
            Some(t) => clock::Clock::fixed(t),
            None => clock::Clock::system(),
        };
        Self {
            config,
            now,
            clock,
            store: RwLock::new(store),
            faults: Faults::default(),
            log: Mutex::new(Vec::new()),
            rate_limiter: auth::RateLimiter::default(),
        }
    }
    /// "Now" for default query windows: the fixed `config.now` (or where a test moved the
    /// clock), else the real clock (long-running demos).
    pub fn current(&self) -> Timestamp {
        self.clock.now()
    }
    /// Real current time in seconds (rate-limit windows).
    pub fn clock(&self) -> i64 {
        Timestamp::now().as_second()
    }
}

fn truncate_to_minute(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second() - t.as_second().rem_euclid(60)).unwrap_or(t)
}

/// Read access to the simulator's state for tests.
#[derive(Debug, Clone)]
pub struct StateHandle(AppState);

impl StateHandle {
    /// Runs `f` on the (single, default) account.
    pub fn with_account<R>(&self, f: impl FnOnce(&Account) -> R) -> Option<R> {
        let store = self.0.store.read().unwrap_or_else(|e| e.into_inner());
        store.accounts.first().map(f)
    }
    /// A snapshot copy of the default account.
    pub fn account(&self) -> Account {
        self.with_account(Clone::clone).unwrap_or_default()
    }
    pub fn now(&self) -> Timestamp {
        self.0.now
    }
    /// Tenant `t`'s demo user (the user [`tokens::tenant_token`]`(t, DEMO_USER_TOKEN)` acts as).
    pub fn tenant_demo_user(&self, tenant: usize) -> Option<store::User> {
        let store = self.0.store.read().unwrap_or_else(|e| e.into_inner());
        let (index, credential) =
            store.lookup_token(&tokens::tenant_token(tenant, tokens::DEMO_USER_TOKEN))?;
        let store::Credential::UserToken { user_id } = credential else {
            return None;
        };
        store.accounts.get(index)?.user(&user_id).cloned()
    }
    pub fn demo_user(&self) -> Option<store::User> {
        self.with_account(|a| a.user_by_email(tokens::DEMO_USER_EMAIL).cloned())
            .flatten()
    }
    pub fn users(&self) -> Vec<store::User> {
        self.account().users
    }
    pub fn teams(&self) -> Vec<store::Team> {
        self.account().teams
    }
    pub fn services(&self) -> Vec<store::Service> {
        self.account().services
    }
    pub fn escalation_policies(&self) -> Vec<store::EscalationPolicy> {
        self.account().escalation_policies
    }
    pub fn schedules(&self) -> Vec<store::Schedule> {
        self.account().schedules
    }
    pub fn priorities(&self) -> Vec<store::Priority> {
        self.account().priorities
    }
    pub fn incidents(&self) -> Vec<store::Incident> {
        self.account().incidents
    }
    /// The first of the account's `items` that `keep` accepts, copied out.
    fn find<T: Clone>(
        &self,
        items: impl FnOnce(&Account) -> &[T],
        keep: impl Fn(&T) -> bool,
    ) -> Option<T> {
        self.with_account(|a| items(a).iter().find(|x| keep(x)).cloned())
            .flatten()
    }
    pub fn schedule_by_name(&self, name: &str) -> Option<store::Schedule> {
        self.find(|a| &a.schedules, |s| s.name == name)
    }
    pub fn service_by_name(&self, name: &str) -> Option<store::Service> {
        self.find(|a| &a.services, |s| s.name == name)
    }
    pub fn escalation_policy_by_name(&self, name: &str) -> Option<store::EscalationPolicy> {
        self.find(|a| &a.escalation_policies, |e| e.name == name)
    }
    pub fn schedule_v3_by_name(&self, name: &str) -> Option<schedule_v3::ScheduleV3> {
        self.find(|a| &a.schedules_v3, |s| s.name == name)
    }
    pub fn user_by_name(&self, name: &str) -> Option<store::User> {
        self.find(|a| &a.users, |u| u.name == name)
    }
}

/// A running simulator.
pub struct Simulator {
    state: AppState,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Simulator {
    /// Starts on `127.0.0.1` with an OS-assigned port.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> std::io::Result<Simulator> {
        let state = Arc::new(SimState::new(config));
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = build_router(state.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let svc = app.into_make_service_with_connect_info::<net::ConnKill>();
            let serve =
                axum::serve(net::SimListener(listener), svc).with_graceful_shutdown(async move {
                    let _ = rx.await;
                });
            if let Err(e) = serve.await {
                tracing::error!("simulator server error: {e}");
            }
        });
        Ok(Simulator {
            state,
            addr,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }
    /// Snapshot of the requests seen so far.
    pub fn requests(&self) -> RequestLog {
        RequestLog {
            entries: self
                .state
                .log
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        }
    }
    pub fn clear_requests(&self) {
        self.state
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
    /// The fixed "now" the seeded data is relative to.
    pub fn now(&self) -> Timestamp {
        self.state.now
    }
    /// Moves the simulator's clock (request-time "now") to `t`; seeded data stays put.
    pub fn set_now(&self, t: Timestamp) {
        self.state.clock.set(t);
    }
    pub fn state(&self) -> StateHandle {
        StateHandle(self.state.clone())
    }
    /// Stops accepting, gives in-flight requests a moment, then stops.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Idle keep-alive connections would hold graceful shutdown open.
        if tokio::time::timeout(std::time::Duration::from_millis(500), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The full router (PagerDuty routes plus `/_sim` admin) for in-process use.
/// Without the simulator's listener, the `Drop` fault degrades to a body
/// error instead of a clean connection close.
pub fn router(config: SimConfig) -> Router {
    build_router(Arc::new(SimState::new(config)))
}

fn build_router(state: AppState) -> Router {
    routes::build(state)
}

/// Every (method, OpenAPI path template) the simulator serves.
pub fn served_routes() -> Vec<(http::Method, &'static str)> {
    routes::table()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

/// The served operations that refuse an account key's request without `From`.
pub fn from_required_routes() -> Vec<(http::Method, &'static str)> {
    routes::table()
        .into_iter()
        .filter(|r| r.from_required)
        .map(|r| (r.method, r.path))
        .collect()
}
