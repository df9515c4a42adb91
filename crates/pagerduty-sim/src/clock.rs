//! The simulator's "now": the real clock, or an instant the caller fixes (tests, reproducible
//! demos) and may move with [`Clock::set`]. Every request-time default ("since now", "active
//! overrides", "has this event started") reads it, so a test decides what "now" is.

use std::sync::RwLock;

use jiff::Timestamp;

#[derive(Debug)]
pub struct Clock(RwLock<Option<Timestamp>>);

impl Clock {
    /// Reads the real clock.
    pub fn system() -> Self {
        Self(RwLock::new(None))
    }
    /// Always answers `t` until moved.
    pub fn fixed(t: Timestamp) -> Self {
        Self(RwLock::new(Some(t)))
    }
    pub fn now(&self) -> Timestamp {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(Timestamp::now)
    }
    /// Fixes the clock at `t`.
    pub fn set(&self, t: Timestamp) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(t);
    }
}
