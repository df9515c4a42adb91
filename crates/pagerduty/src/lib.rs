//! A typed client for the PagerDuty REST API v2.
//!
//! Layout follows octocrab: [`api`] holds one module per PagerDuty resource with the calls,
//! [`models`] the typed responses, [`ids`] newtype identifiers. The transport concerns
//! (credentials, host policy, retries, pagination, errors) each live in their own module.
//!
//! Feature `schemars`: JSON Schemas for the request and response types. A doc comment on such
//! a type becomes a `description` in those schemas, which the MCP server shows models, so
//! types deriving `JsonSchema` are exempt from `missing_docs` and documented where a field's
//! name and type leave something to say.

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

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
