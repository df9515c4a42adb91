//! A typed client for the PagerDuty REST API v2.
//!
//! Layout follows octocrab: [`api`] holds one module per PagerDuty resource with the calls,
//! [`models`] the typed responses, [`ids`] newtype identifiers. The transport concerns
//! (credentials, host policy, retries, pagination, errors) each live in their own module.

pub mod api;
mod auth;
mod client;
mod error;
pub mod events;
pub mod host;
pub mod ids;
mod journal;
mod metrics;
pub mod models;
mod paging;

pub use auth::Credential;
pub use client::{Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, RetryPolicy};
pub use error::{ApiError, Error, Result};
pub use host::{ApiHost, HostError, Region};
pub use journal::{Exchange, Journal};
pub use paging::{MAX_OFFSET_WINDOW, MAX_PAGE_SIZE, Page, Window};
