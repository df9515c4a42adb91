//! What a tool call runs with.

/// Per-call context: the PagerDuty client acting with the caller's credential.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub pd: pagerduty::Client,
}
