//! Seeding of the incident context: alert grouping settings, change events (deploys and
//! config changes, some shortly before incidents), business services and the dependency
//! graph between services. Runs after the incidents exist; deterministic from `(seed, now)`.

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::rng::Rng;
use crate::store::*;

fn ts(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

/// A dependency id in PagerDuty's style (16 upper-case letters and digits).
fn dep_id(rng: &mut Rng) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0..16)
        .map(|_| A[rng.below(A.len() as u64) as usize] as char)
        .collect()
}

fn hex(rng: &mut Rng, len: usize) -> String {
    const H: &[u8] = b"0123456789abcdef";
    (0..len)
        .map(|_| H[rng.below(16) as usize] as char)
        .collect()
}

/// Routine changes per service: (summary template, source). `{v}` is a version.
const ROUTINE: &[(&str, &str)] = &[
    ("Deploy {svc} {v} to production", "github-actions"),
    ("Deploy {svc} {v} to production", "argocd"),
    ("Config change: connection pool size for {svc}", "terraform"),
    (
        "Feature flag enabled on {svc}: new-flow-{n}",
        "launchdarkly",
    ),
];

pub fn seed(acct: &mut Account, seed: u64, now: Timestamp) {
    let mut rng = Rng::new(seed ^ 0x00C0_47E7_5EED);
    seed_alert_grouping(acct, now);
    seed_change_events(acct, &mut rng, now);
    seed_business_services(acct, &mut rng);
}

fn service_id(acct: &Account, name: &str) -> Option<String> {
    acct.services
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.id.clone())
}

fn seed_alert_grouping(acct: &mut Account, now: Timestamp) {
    let day = 86_400;
    let specs = [
        (
            "Checkout content grouping",
            "Group checkout and payment alerts with the same summary and component",
            "content_based",
            json!({"aggregate": "all", "fields": ["summary", "component"], "time_window": 1800}),
            vec!["Checkout API", "Payments Gateway"],
        ),
        (
            "Search intelligent grouping",
            "Machine-learning grouping for the search cluster",
            "intelligent",
            json!({"time_window": 900, "iag_fields": ["summary"]}),
            vec!["Search"],
        ),
        (
            "Pipeline time window",
            "All pipeline alerts within 10 minutes go to one incident",
            "time",
            json!({"timeout": 600}),
            vec!["Data Pipeline"],
        ),
    ];
    for (i, (name, desc, kind, config, services)) in specs.into_iter().enumerate() {
        let service_ids: Vec<String> = services
            .iter()
            .filter_map(|n| service_id(acct, n))
            .collect();
        let id = acct.new_id();
        acct.alert_grouping_settings.push(AlertGroupingSetting {
            id,
            name: Some(name.into()),
            description: Some(desc.into()),
            kind: kind.into(),
            config,
            service_ids,
            created_at: ts(now, -(200 - 20 * i as i64) * day),
            updated_at: ts(now, -(30 - 7 * i as i64) * day),
        });
    }
}

fn change_event(
    acct: &mut Account,
    rng: &mut Rng,
    svc_idx: usize,
    at: Timestamp,
    template: (&str, &str),
) -> ChangeEvent {
    let svc = acct.services[svc_idx].clone();
    let version = format!("v{}.{}.{}", 1 + rng.below(3), rng.below(30), rng.below(12));
    let summary = template
        .0
        .replace("{svc}", &slug(&svc.name))
        .replace("{v}", &version)
        .replace("{n}", &rng.below(90).to_string());
    let author = acct.users[rng.below(acct.users.len() as u64) as usize]
        .name
        .clone();
    let commit = hex(rng, 12);
    let is_deploy = summary.starts_with("Deploy");
    let links = if is_deploy {
        vec![(
            format!(
                "https://github.com/acme/{}/releases/tag/{version}",
                slug(&svc.name)
            ),
            format!("Release {version}"),
        )]
    } else {
        vec![(
            format!("https://github.com/acme/infra/commit/{commit}"),
            "Change diff".to_string(),
        )]
    };
    let integration = svc.integrations.first();
    ChangeEvent {
        id: acct.new_id(),
        summary,
        timestamp: at,
        source: template.1.into(),
        service_ids: vec![svc.id.clone()],
        integration_id: integration.map(|i| i.id.clone()),
        routing_key: integration
            .map(|i| i.integration_key.clone())
            .unwrap_or_default(),
        links,
        custom_details: if is_deploy {
            json!({"version": version, "commit": commit, "author": author, "environment": "production"})
        } else {
            json!({"commit": commit, "author": author})
        },
    }
}

fn seed_change_events(acct: &mut Account, rng: &mut Rng, now: Timestamp) {
    if acct.services.is_empty() || acct.users.is_empty() {
        return;
    }
    let mut events = Vec::new();
    // Routine changes: about one every two days per service over 90 days.
    for svc_idx in 0..acct.services.len() {
        let mut age = rng.range(3_600, 86_400);
        while age < 90 * 86_400 {
            let tpl = *rng.pick(ROUTINE);
            events.push(change_event(acct, rng, svc_idx, ts(now, -age), tpl));
            age += rng.range(86_400, 3 * 86_400);
        }
    }
    // A deploy 5-45 minutes before every third incident, on its service: the kind of
    // change a responder looks for first.
    let incidents: Vec<(String, Timestamp)> = acct
        .incidents
        .iter()
        .filter(|i| i.number % 3 == 1)
        .map(|i| (i.service_id.clone(), i.created_at))
        .collect();
    for (svc, created) in incidents {
        let Some(svc_idx) = acct.services.iter().position(|s| s.id == svc) else {
            continue;
        };
        let before = rng.range(5 * 60, 45 * 60);
        events.push(change_event(
            acct,
            rng,
            svc_idx,
            ts(created, -before),
            ROUTINE[0],
        ));
    }
    events.sort_by(|a, b| a.timestamp.cmp(&b.timestamp).then(a.id.cmp(&b.id)));
    acct.change_events = events;
}

fn seed_business_services(acct: &mut Account, rng: &mut Rng) {
    let team = |acct: &Account, name: &str| {
        acct.teams
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.id.clone())
    };
    let specs = [
        (
            "Online Store",
            "Customers browse, search and buy",
            "Priya Shah",
            "Payments",
        ),
        (
            "Customer Login",
            "Sign-in on web and mobile",
            "Morgan Lee",
            "Platform",
        ),
        (
            "Reporting",
            "Sales and operations dashboards",
            "Hannah Schmidt",
            "Data",
        ),
    ];
    for (name, desc, poc, team_name) in specs {
        let id = acct.new_id();
        let team_id = team(acct, team_name);
        acct.business_services.push(BusinessService {
            id,
            name: name.into(),
            description: desc.into(),
            point_of_contact: poc.into(),
            team_id,
        });
    }
    // Business services are named apart from technical ones, so a name finds either.
    let node =
        |acct: &Account, name: &str| match acct.business_services.iter().find(|b| b.name == name) {
            Some(b) => Some((ServiceKind::Business, b.id.clone())),
            None => service_id(acct, name).map(|id| (ServiceKind::Technical, id)),
        };
    // Each dependent service with the services supporting it.
    let dependencies: [(&str, &[&str]); 6] = [
        (
            "Online Store",
            &[
                "Checkout API",
                "Payments Gateway",
                "Search",
                "Customer Login",
            ],
        ),
        ("Customer Login", &["Auth Service", "Mobile Backend"]),
        ("Reporting", &["Data Pipeline"]),
        ("Checkout API", &["Payments Gateway", "Auth Service"]),
        (
            "Mobile Backend",
            &["Checkout API", "Auth Service", "Search"],
        ),
        ("Data Pipeline", &["Checkout API"]),
    ];
    for (dependent, supporting) in dependencies {
        for supporting in supporting {
            if let (Some(dependent), Some(supporting)) =
                (node(acct, dependent), node(acct, supporting))
            {
                acct.service_dependencies.push(ServiceDependency {
                    id: dep_id(rng),
                    supporting,
                    dependent,
                });
            }
        }
    }
}
