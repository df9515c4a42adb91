//! Maintenance windows: while one is active for a service, events sent to that service
//! create no incident (PagerDuty drops them). Seeding is deterministic from `now`.

use jiff::{SignedDuration, Timestamp};

use crate::store::Account;

#[derive(Debug, Clone)]
pub struct MaintenanceWindow {
    pub id: String,
    /// The order windows were created in (1-based).
    pub sequence_number: u64,
    pub start: Timestamp,
    pub end: Timestamp,
    pub description: String,
    pub service_ids: Vec<String>,
    pub created_by: Option<String>,
}

/// Where a window is relative to `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Past,
    Ongoing,
    Future,
}

impl MaintenanceWindow {
    pub fn phase(&self, at: Timestamp) -> Phase {
        if self.end <= at {
            Phase::Past
        } else if self.start <= at {
            Phase::Ongoing
        } else {
            Phase::Future
        }
    }
}

impl Account {
    /// Whether `service_id` is in an active maintenance window at `at`.
    pub fn in_maintenance(&self, service_id: &str, at: Timestamp) -> bool {
        self.maintenance_windows
            .iter()
            .any(|w| w.phase(at) == Phase::Ongoing && w.service_ids.iter().any(|s| s == service_id))
    }

    pub fn next_maintenance_sequence(&self) -> u64 {
        self.maintenance_windows
            .iter()
            .map(|w| w.sequence_number)
            .max()
            .unwrap_or(0)
            + 1
    }
}

/// One past, one ongoing and one future window, on services whose events other
/// demo flows do not rely on (the ongoing one on Data Pipeline).
pub fn seed(acct: &mut Account, now: Timestamp) {
    let hours = |h: i64| {
        now.checked_add(SignedDuration::from_hours(h))
            .unwrap_or(now)
    };
    let by_name = |a: &Account, name: &str| {
        a.services
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id.clone())
    };
    let creator = acct.users.get(1).map(|u| u.id.clone());
    let plan = [
        (-30, -28, "Search cluster reindex", vec!["Search"]),
        (-1, 3, "Kafka broker upgrade to 3.9", vec!["Data Pipeline"]),
        (
            20,
            22,
            "Checkout and payments deploy freeze window",
            vec!["Checkout API", "Payments Gateway"],
        ),
    ];
    for (i, (from, to, description, services)) in plan.into_iter().enumerate() {
        let service_ids: Vec<String> = services.iter().filter_map(|n| by_name(acct, n)).collect();
        if service_ids.is_empty() {
            continue;
        }
        acct.maintenance_windows.push(MaintenanceWindow {
            // Seeded ids have their own prefix so they never shift ids minted by writes.
            id: format!("PMW{:04}", i + 1),
            sequence_number: i as u64 + 1,
            start: hours(from),
            end: hours(to),
            description: description.into(),
            service_ids,
            created_by: creator.clone(),
        });
    }
}
