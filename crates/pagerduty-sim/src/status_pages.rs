//! Status pages: their services, severities, impacts and statuses (each per post type),
//! and posts with their updates. Seeding is deterministic from `(seed, now)`.

use jiff::{SignedDuration, Timestamp};

use crate::store::Account;

pub const POST_TYPES: &[&str] = &["incident", "maintenance"];

/// A severity, impact or status a post update can use.
#[derive(Debug, Clone)]
pub struct StatusOption {
    pub id: String,
    /// incident or maintenance.
    pub post_type: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct PostUpdate {
    pub id: String,
    pub message: String,
    /// approved or not_reviewed.
    pub reviewed_status: String,
    pub status_id: String,
    pub severity_id: String,
    /// (service id, impact id)
    pub impacted: Vec<(String, String)>,
    pub update_frequency_ms: Option<i64>,
    pub notify_subscribers: bool,
    pub reported_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub title: String,
    pub post_type: String,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    /// The incident it was opened from.
    pub incident_id: Option<String>,
    /// Oldest first.
    pub updates: Vec<PostUpdate>,
}

#[derive(Debug, Clone)]
pub struct StatusPage {
    pub id: String,
    pub name: String,
    /// public or private.
    pub status_page_type: String,
    pub url: String,
    pub published_at: Option<Timestamp>,
    pub service_ids: Vec<String>,
    pub severities: Vec<StatusOption>,
    pub impacts: Vec<StatusOption>,
    pub statuses: Vec<StatusOption>,
    pub posts: Vec<Post>,
}

impl StatusPage {
    pub fn option<'a>(list: &'a [StatusOption], id: &str) -> Option<&'a StatusOption> {
        list.iter().find(|o| o.id == id)
    }
}

fn ts(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

const SEVERITIES: &[(&str, &str)] = &[
    ("incident", "all good"),
    ("incident", "minor"),
    ("incident", "major"),
    ("maintenance", "all good"),
];
const IMPACTS: &[(&str, &str)] = &[
    ("incident", "operational"),
    ("incident", "degraded performance"),
    ("incident", "partial outage"),
    ("incident", "major outage"),
    ("maintenance", "operational"),
    ("maintenance", "under maintenance"),
];
const STATUSES: &[(&str, &str)] = &[
    ("incident", "investigating"),
    ("incident", "identified"),
    ("incident", "monitoring"),
    ("incident", "resolved"),
    ("maintenance", "scheduled"),
    ("maintenance", "in progress"),
    ("maintenance", "completed"),
];

fn options(acct: &mut Account, specs: &[(&str, &str)]) -> Vec<StatusOption> {
    specs
        .iter()
        .map(|(post_type, description)| StatusOption {
            id: acct.new_id(),
            post_type: (*post_type).into(),
            description: (*description).into(),
        })
        .collect()
}

fn pick(list: &[StatusOption], post_type: &str, description: &str) -> String {
    list.iter()
        .find(|o| o.post_type == post_type && o.description == description)
        .map(|o| o.id.clone())
        .unwrap_or_default()
}

fn service_ids(acct: &Account, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| acct.services.iter().find(|s| s.name == *n))
        .map(|s| s.id.clone())
        .collect()
}

pub fn seed(acct: &mut Account, now: Timestamp) {
    let day = 86_400;
    let hour = 3600;
    let pages = [
        (
            "Acme Store Status",
            "public",
            "https://status.acme-sim.example.com",
            vec!["Checkout API", "Payments Gateway", "Search"],
        ),
        (
            "Acme Internal Platform",
            "private",
            "https://acme-sim.pagerduty.com/status/internal",
            vec!["Auth Service", "Mobile Backend", "Data Pipeline"],
        ),
    ];
    for (i, (name, kind, url, services)) in pages.into_iter().enumerate() {
        let id = acct.new_id();
        let severities = options(acct, SEVERITIES);
        let impacts = options(acct, IMPACTS);
        let statuses = options(acct, STATUSES);
        let service_ids = service_ids(acct, &services);
        let first = service_ids.first().cloned().unwrap_or_default();
        let incident_id = acct
            .incidents
            .iter()
            .rev()
            .find(|inc| inc.service_id == first)
            .map(|inc| inc.id.clone());
        let start = ts(now, -(2 + i as i64) * day);
        let upd =
            |acct: &mut Account, msg: &str, status: &str, sev: &str, impact: &str, at| PostUpdate {
                id: acct.new_id(),
                message: msg.into(),
                reviewed_status: "approved".into(),
                status_id: pick(&statuses, "incident", status),
                severity_id: pick(&severities, "incident", sev),
                impacted: vec![(first.clone(), pick(&impacts, "incident", impact))],
                update_frequency_ms: Some(1_800_000),
                notify_subscribers: kind == "public",
                reported_at: at,
            };
        let service_name = services.first().copied().unwrap_or("the service");
        let mut updates = vec![
            upd(
                acct,
                &format!("We are investigating errors on {service_name}."),
                "investigating",
                "major",
                "partial outage",
                start,
            ),
            upd(
                acct,
                "The cause is identified: a faulty deploy. A rollback is under way.",
                "identified",
                "minor",
                "degraded performance",
                ts(start, 40 * 60),
            ),
            upd(
                acct,
                "The rollback is complete and error rates are back to normal.",
                "resolved",
                "all good",
                "operational",
                ts(start, 2 * hour),
            ),
        ];
        // The AI-drafted follow-up waits for review.
        if let Some(last) = updates.last_mut()
            && i == 1
        {
            last.reviewed_status = "not_reviewed".into();
        }
        let incident_post = Post {
            id: acct.new_id(),
            title: format!("Errors on {service_name}"),
            post_type: "incident".into(),
            starts_at: Some(start),
            ends_at: Some(ts(start, 2 * hour)),
            incident_id,
            updates,
        };
        let m_start = ts(now, (3 + i as i64) * day);
        let maintenance = Post {
            id: acct.new_id(),
            title: format!("Planned database upgrade for {service_name}"),
            post_type: "maintenance".into(),
            starts_at: Some(m_start),
            ends_at: Some(ts(m_start, 2 * hour)),
            incident_id: None,
            updates: vec![PostUpdate {
                id: acct.new_id(),
                message:
                    "We will upgrade the database; short periods of read-only mode are expected."
                        .into(),
                reviewed_status: "approved".into(),
                status_id: pick(&statuses, "maintenance", "scheduled"),
                severity_id: pick(&severities, "maintenance", "all good"),
                impacted: vec![(
                    first.clone(),
                    pick(&impacts, "maintenance", "under maintenance"),
                )],
                update_frequency_ms: None,
                notify_subscribers: false,
                reported_at: ts(now, -day),
            }],
        };
        acct.status_pages.push(StatusPage {
            id,
            name: name.into(),
            status_page_type: kind.into(),
            url: url.into(),
            published_at: Some(ts(now, -(300 - 50 * i as i64) * day)),
            service_ids,
            severities,
            impacts,
            statuses,
            posts: vec![incident_post, maintenance],
        });
    }
}
