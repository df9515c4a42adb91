//! The client against the PagerDuty simulator: one module per concern or resource.

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod context;
mod endpoints;
mod events;
mod integrations;
mod orchestrations;
mod paging;
mod props;
mod schedules;
mod transport;

use std::time::Duration;

use pagerduty::{ApiHost, Client, Credential, RetryPolicy, Window};
use pagerduty_sim::{SimConfig, Simulator, tokens};

pub async fn sim() -> Simulator {
    Simulator::start(SimConfig::default())
        .await
        .expect("simulator starts")
}

/// The first `limit` items of a listing.
pub fn first(limit: u32) -> Window {
    Window { offset: 0, limit }
}

/// A client with the demo user's token and quick retries.
pub fn client(sim: &Simulator) -> Client {
    client_with(sim, Some(Credential::user_token(tokens::DEMO_USER_TOKEN)))
}

pub fn client_with(sim: &Simulator, credential: Option<Credential>) -> Client {
    Client::builder(ApiHost::parse(&sim.base_url(), false).unwrap())
        .credential(credential)
        // A call's whole budget: roomy, since the machine may be busy; the time-out tests
        // set their own.
        .timeout(Duration::from_secs(15))
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_wait: Duration::from_secs(2),
        })
        .build()
}
