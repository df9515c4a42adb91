//! When and in which zone the on-call tools answer.
//!
//! "Now" is the real clock, whole seconds (PagerDuty's shifts start and end on whole seconds,
//! so a sub-second "now" would leave sub-second fake gaps). Against a local simulator only
//! (the API host is loopback: tests and `--demo`), `PAGERDUTY_MCP_NOW` (RFC 3339) fixes it, so
//! tests decide what "now" is and never read the wall clock; a real PagerDuty host ignores it.
//!
//! Zone: every on-call tool uses the zone the call names, else the current user's, else UTC,
//! and says which one it used.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::context::Ctx;
use crate::error::ToolError;

/// The variable that fixes "now" against a local simulator.
pub const NOW_VAR: &str = "PAGERDUTY_MCP_NOW";

/// "Now", in whole seconds.
pub fn now(ctx: &Ctx) -> Timestamp {
    let fixed = local_host(ctx)
        .then(|| std::env::var(NOW_VAR).ok())
        .flatten()
        .and_then(|v| v.trim().parse::<Timestamp>().ok());
    whole_seconds(fixed.unwrap_or_else(Timestamp::now))
}

/// `t` without its fraction of a second.
pub fn whole_seconds(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

fn local_host(ctx: &Ctx) -> bool {
    match ctx.pd.host().url().host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A resolved zone: its IANA name and the zone itself.
#[derive(Clone, Debug)]
pub struct Zone {
    pub name: String,
    pub tz: TimeZone,
}

impl Zone {
    /// `t` as RFC 3339 in this zone, whole seconds.
    pub fn show(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

/// The zone named by the call, else the current user's, else UTC.
pub async fn zone(ctx: &Ctx, given: Option<&str>) -> Result<Zone, ToolError> {
    let name = match given {
        Some(z) => z.to_owned(),
        None => ctx
            .pd
            .current_user()
            .await
            .ok()
            .and_then(|u| u.time_zone.clone())
            .unwrap_or_else(|| "UTC".to_owned()),
    };
    let tz = TimeZone::get(&name).map_err(|_| {
        ToolError::invalid(
            "time_zone",
            format!(
                "`{name}` is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)"
            ),
        )
    })?;
    Ok(Zone { name, tz })
}
