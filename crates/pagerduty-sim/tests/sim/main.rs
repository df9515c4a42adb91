//! The simulator's tests, in one binary (one link) with a module per topic.

// Test helpers outside #[test] fns fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod behavior;
mod events_openapi;
mod openapi;
mod shifts;
