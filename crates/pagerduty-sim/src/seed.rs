//! Deterministic seeding of the demo account.
//!
//! Everything is derived from `(seed, now)`: the same pair always yields the
//! same account. The fixed cast (users, teams, services, policies, schedules)
//! is hand-written so tests can rely on names; ids and incidents come from
//! the seeded RNG.

use jiff::{SignedDuration, Timestamp, ToSpan, civil, tz::TimeZone};

use crate::ids::Ids;
use crate::rng::Rng;
use crate::store::*;
use crate::tokens;

/// Fixed cast. Index 0 is the demo user.
/// (name, time zone, role, job title, teams with team role)
/// (name, time zone, role, job title, [(team index, team role)])
pub type UserSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(usize, &'static str)],
);

pub const USERS: &[UserSeed] = &[
    (
        "Morgan Lee",
        "Europe/London",
        "admin",
        "Site Reliability Engineer",
        &[(0, "responder"), (1, "responder")],
    ),
    (
        "Priya Shah",
        "Asia/Kolkata",
        "owner",
        "VP Engineering",
        &[(0, "manager")],
    ),
    (
        "James O'Connor",
        "America/New_York",
        "user",
        "Payments Engineering Manager",
        &[(1, "manager")],
    ),
    (
        "Yuki Tanaka",
        "Asia/Tokyo",
        "user",
        "Platform Engineer",
        &[(0, "responder"), (2, "responder")],
    ),
    (
        "Olivia Brown",
        "Australia/Sydney",
        "admin",
        "Mobile Engineering Manager",
        &[(2, "manager")],
    ),
    (
        "Carlos Mendes",
        "America/Los_Angeles",
        "limited_user",
        "Mobile Engineer",
        &[(2, "responder")],
    ),
    (
        "Hannah Schmidt",
        "Europe/Berlin",
        "user",
        "Data Engineering Lead",
        &[(3, "manager")],
    ),
    (
        "Samuel Okafor",
        "UTC",
        "user",
        "Backend Engineer",
        &[(3, "responder"), (1, "responder")],
    ),
    (
        "Emma Dubois",
        "Europe/Paris",
        "restricted_access",
        "Data Engineer",
        &[(3, "responder")],
    ),
    (
        "Liam Walsh",
        "America/New_York",
        "read_only_user",
        "Customer Support Lead",
        &[(1, "observer")],
    ),
    (
        "Ava Chen",
        "America/Los_Angeles",
        "observer",
        "Product Manager",
        &[(0, "observer")],
    ),
    (
        "Noah Fischer",
        "Europe/Berlin",
        "read_only_limited_user",
        "Compliance Analyst",
        &[(3, "observer")],
    ),
];

pub const TEAMS: &[(&str, &str)] = &[
    ("Platform", "Core infrastructure, search and identity"),
    ("Payments", "Checkout and payment processing"),
    ("Mobile", "iOS/Android apps and their backend"),
    ("Data", "Data pipeline and analytics platform"),
];

/// (name, description, escalation policy index, team index)
pub const SERVICES: &[(&str, &str, usize, usize)] = &[
    ("Checkout API", "Cart and checkout HTTP API", 1, 1),
    (
        "Payments Gateway",
        "Card processing and PSP integrations",
        1,
        1,
    ),
    (
        "Search",
        "Product search (Elasticsearch cluster and query API)",
        0,
        0,
    ),
    ("Auth Service", "Login, sessions and OAuth", 0, 0),
    ("Mobile Backend", "BFF for the iOS and Android apps", 2, 2),
    (
        "Data Pipeline",
        "Kafka ingestion and nightly batch jobs",
        3,
        3,
    ),
];

pub const PRIORITIES: &[(&str, &str, &str)] = &[
    (
        "P1",
        "Critical: customer-facing outage, all hands",
        "a8171c",
    ),
    ("P2", "High: major degradation, act now", "eb6016"),
    ("P3", "Moderate: partial degradation", "f9b406"),
    ("P4", "Low: minor issue, next business day", "0a8ca8"),
    ("P5", "Informational", "666666"),
];

pub fn user_email(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    format!("{local}@example.com")
}

pub(crate) fn ts(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

/// Monday 00:00 (in `tz`) of the week containing `t`, as a timestamp.
fn week_start(t: Timestamp, tz: &TimeZone) -> Timestamp {
    let z = t.to_zoned_datetime(tz.clone());
    let back = i64::from(z.weekday().to_monday_zero_offset());
    z.date()
        .checked_sub(back.days())
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map(|z| z.timestamp())
        .unwrap_or(t)
}

fn local(t: Timestamp, tz_name: &str, h: i8) -> Timestamp {
    let tz = TimeZone::get(tz_name).unwrap_or(TimeZone::UTC);
    let d = week_start(t, &tz).to_zoned_datetime(tz.clone()).date();
    civil::DateTime::from_parts(d, civil::time(h, 0, 0, 0))
        .to_zoned_datetime(tz)
        .map(|z| z.timestamp())
        .unwrap_or(t)
}

fn weekly(day: i8, hour: i64, hours: i64) -> Restriction {
    Restriction {
        kind: RestrictionKind::Weekly,
        start_time_of_day: hour * 3600,
        duration_seconds: hours * 3600,
        start_day_of_week: Some(day),
    }
}

fn daily(hour: i64, hours: i64) -> Restriction {
    Restriction {
        kind: RestrictionKind::Daily,
        start_time_of_day: hour * 3600,
        duration_seconds: hours * 3600,
        start_day_of_week: None,
    }
}

/// Builds the demo account and its token table entries.
pub fn seed(seed: u64, now: Timestamp, incident_count: usize) -> Store {
    let mut rng = Rng::new(seed);
    let mut acct = Account {
        subdomain: "acme-sim".into(),
        ..Default::default()
    };
    let origin = ts(now, -400 * 86_400);
    let day = 86_400;
    let mut ids = Ids::new(&mut rng);

    for (name, desc) in TEAMS {
        acct.teams.push(Team {
            id: ids.mint(),
            name: (*name).into(),
            description: (*desc).into(),
            default_role: "manager".into(),
        });
    }
    let colors = [
        "green", "purple", "teal", "orange", "red", "blue", "brown", "cayenne", "irises", "lime",
        "pink", "navy",
    ];
    for (i, (name, tz, role, job, teams)) in USERS.iter().enumerate() {
        let id = ids.mint();
        let email = user_email(name);
        let mut cms = vec![ContactMethod {
            id: ids.mint(),
            kind: "email_contact_method".into(),
            label: "Default".into(),
            address: email.clone(),
        }];
        if i % 3 != 2 {
            cms.push(ContactMethod {
                id: ids.mint(),
                kind: "phone_contact_method".into(),
                label: "Mobile".into(),
                address: format!("55501{:05}", 1000 + i * 37),
            });
        }
        for (t, r) in *teams {
            acct.memberships.push(Membership {
                team_id: acct.teams[*t].id.clone(),
                user_id: id.clone(),
                role: (*r).into(),
            });
        }
        acct.users.push(User {
            id,
            name: (*name).into(),
            email,
            time_zone: (*tz).into(),
            role: (*role).into(),
            job_title: (*job).into(),
            color: colors[i % colors.len()].into(),
            description: None,
            created_at: ts(origin, i as i64 * 3 * day),
            contact_methods: cms,
        });
    }
    let u = |i: usize| acct.users[i].id.clone();
    let t = |i: usize| acct.teams[i].id.clone();
    let users: Vec<String> = (0..USERS.len()).map(u).collect();
    let teams: Vec<String> = (0..TEAMS.len()).map(t).collect();

    // Schedules. Rotations started well in the past so history renders.
    let start = ts(now, -120 * day);
    let mk_layer =
        |ids: &mut Ids, name: &str, vs: Timestamp, turn: i64, us: &[usize], r: Vec<Restriction>| {
            Layer {
                id: ids.mint(),
                name: name.into(),
                start,
                end: None,
                rotation_virtual_start: vs,
                rotation_turn_length_seconds: turn,
                user_ids: us.iter().map(|i| users[*i].clone()).collect(),
                restrictions: r,
            }
        };
    let platform_primary = Schedule {
        id: ids.mint(),
        name: "Platform Primary".into(),
        description: "24/7 weekly rotation, hand-off Mondays 09:00 London".into(),
        time_zone: "Europe/London".into(),
        layers: vec![mk_layer(
            &mut ids,
            "Layer 1",
            local(ts(now, -16 * 7 * day), "Europe/London", 9),
            7 * day,
            &[0, 3, 1],
            vec![],
        )],
        overrides: vec![],
        team_ids: vec![teams[0].clone()],
    };
    let platform_secondary = Schedule {
        id: ids.mint(),
        name: "Platform Secondary".into(),
        description: "Daily rotation with a separate weekend layer".into(),
        time_zone: "America/New_York".into(),
        layers: vec![
            mk_layer(
                &mut ids,
                "Weekdays",
                local(ts(now, -16 * 7 * day), "America/New_York", 8),
                day,
                &[1, 3, 7],
                vec![],
            ),
            // Later layer wins: Saturday 00:00 for 48h goes to the weekend crew.
            mk_layer(
                &mut ids,
                "Weekend",
                local(ts(now, -16 * 7 * day), "America/New_York", 0),
                7 * day,
                &[0, 7],
                vec![weekly(6, 0, 48)],
            ),
        ],
        overrides: vec![],
        team_ids: vec![teams[0].clone(), teams[2].clone()],
    };
    let payments = Schedule {
        id: ids.mint(),
        name: "Payments On-Call".into(),
        description: "Day shift 08:00-20:00 and night shift 20:00-08:00 New York time".into(),
        time_zone: "America/New_York".into(),
        layers: vec![
            mk_layer(
                &mut ids,
                "Day shift",
                local(ts(now, -16 * 7 * day), "America/New_York", 8),
                7 * day,
                &[2, 7],
                vec![daily(8, 12)],
            ),
            mk_layer(
                &mut ids,
                "Night shift",
                local(ts(now, -16 * 7 * day), "America/New_York", 20),
                7 * day,
                &[0, 2],
                vec![daily(20, 12)],
            ),
        ],
        overrides: vec![],
        team_ids: vec![teams[1].clone()],
    };
    // Known coverage gaps: one layer restricted to weekday business hours
    // (Mon-Fri 09:00-17:00 Europe/Berlin) and nothing else, so every weekday
    // night and the whole weekend are uncovered.
    let data = Schedule {
        id: ids.mint(),
        name: "Data Business Hours".into(),
        description: "Business hours only; nights and weekends are not covered".into(),
        time_zone: "Europe/Berlin".into(),
        layers: vec![mk_layer(
            &mut ids,
            "Business hours",
            local(ts(now, -16 * 7 * day), "Europe/Berlin", 9),
            7 * day,
            &[6, 8],
            (1..=5).map(|d| weekly(d, 9, 8)).collect(),
        )],
        overrides: vec![],
        team_ids: vec![teams[3].clone()],
    };
    let mut schedules = vec![platform_primary, platform_secondary, payments, data];
    // Overrides on Platform Primary: one in the past, one active now, one in the future.
    let o_past = Override {
        id: ids.mint(),
        start: ts(now, -20 * day),
        end: ts(now, -19 * day),
        user_id: users[7].clone(),
    };
    let o_now = Override {
        id: ids.mint(),
        start: ts(now, -2 * 3600),
        end: ts(now, 10 * 3600),
        user_id: users[7].clone(),
    };
    let o_future = Override {
        id: ids.mint(),
        start: ts(now, 3 * day),
        end: ts(now, 4 * day),
        user_id: users[0].clone(),
    };
    schedules[0].overrides = vec![o_past, o_now, o_future];
    schedules[2].overrides = vec![Override {
        id: ids.mint(),
        start: ts(now, -40 * day),
        end: ts(now, -39 * day),
        user_id: users[0].clone(),
    }];
    let sched: Vec<String> = schedules.iter().map(|s| s.id.clone()).collect();
    acct.schedules = schedules;

    let rule = |ids: &mut Ids, delay: i64, targets: Vec<Target>| EscalationRule {
        id: ids.mint(),
        delay_minutes: delay,
        targets,
        round_robin: false,
    };
    acct.escalation_policies = vec![
        EscalationPolicy {
            id: ids.mint(),
            name: "Platform Escalation".into(),
            description: "Primary, then secondary plus the SRE on duty, then the VP".into(),
            num_loops: 2,
            rules: vec![
                rule(&mut ids, 15, vec![Target::Schedule(sched[0].clone())]),
                rule(
                    &mut ids,
                    15,
                    vec![
                        Target::Schedule(sched[1].clone()),
                        Target::User(users[0].clone()),
                    ],
                ),
                rule(&mut ids, 30, vec![Target::User(users[1].clone())]),
            ],
            team_ids: vec![teams[0].clone()],
        },
        EscalationPolicy {
            id: ids.mint(),
            name: "Payments Escalation".into(),
            description: "Payments on-call, then the payments manager".into(),
            num_loops: 1,
            rules: vec![
                rule(&mut ids, 10, vec![Target::Schedule(sched[2].clone())]),
                rule(&mut ids, 20, vec![Target::User(users[2].clone())]),
            ],
            team_ids: vec![teams[1].clone()],
        },
        EscalationPolicy {
            id: ids.mint(),
            name: "Mobile Escalation".into(),
            description: "Mobile engineers directly, then Platform Secondary".into(),
            num_loops: 0,
            rules: vec![
                rule(
                    &mut ids,
                    30,
                    vec![
                        Target::User(users[4].clone()),
                        Target::User(users[5].clone()),
                    ],
                ),
                rule(&mut ids, 30, vec![Target::Schedule(sched[1].clone())]),
            ],
            team_ids: vec![teams[2].clone()],
        },
        EscalationPolicy {
            id: ids.mint(),
            name: "Data Escalation".into(),
            description: "Business-hours schedule, then the data lead".into(),
            num_loops: 3,
            rules: vec![
                rule(&mut ids, 30, vec![Target::Schedule(sched[3].clone())]),
                rule(&mut ids, 30, vec![Target::User(users[6].clone())]),
            ],
            team_ids: vec![teams[3].clone()],
        },
    ];

    for (i, (name, desc, ep, team)) in SERVICES.iter().enumerate() {
        let integration = Integration {
            id: ids.mint(),
            name: "Events API V2".into(),
            integration_key: ids.hex(32),
            created_at: ts(origin, i as i64 * day),
        };
        acct.services.push(Service {
            id: ids.mint(),
            name: (*name).into(),
            description: (*desc).into(),
            escalation_policy_id: acct.escalation_policies[*ep].id.clone(),
            team_ids: vec![teams[*team].clone()],
            created_at: ts(origin, i as i64 * day),
            acknowledgement_timeout: if i % 2 == 0 { Some(1800) } else { None },
            auto_resolve_timeout: if i % 3 == 0 { Some(14_400) } else { None },
            integrations: vec![integration],
            disabled: false,
            incident_urgency: None,
        });
    }
    for (name, desc, color) in PRIORITIES {
        acct.priorities.push(Priority {
            id: ids.mint(),
            name: (*name).into(),
            description: (*desc).into(),
            color: (*color).into(),
        });
    }

    crate::seed_incidents::seed_incidents(&mut acct, &mut ids, now, incident_count);
    crate::seed_integrations::seed_integrations(&mut acct, seed, now);
    acct.schedules_v3 = crate::seed_schedules_v3::seed(now, &users, &teams, &mut || ids.mint());
    // A policy whose first level is the shift-based SRE schedule, so on-calls and incident
    // assignment cover both kinds of schedule.
    let v3: Vec<String> = acct.schedules_v3.iter().map(|s| s.id.clone()).collect();
    let sre_rules = vec![
        rule(&mut ids, 15, vec![Target::Schedule(v3[0].clone())]),
        rule(&mut ids, 30, vec![Target::Schedule(sched[0].clone())]),
        rule(&mut ids, 30, vec![Target::Schedule(v3[1].clone())]),
    ];
    acct.escalation_policies.push(EscalationPolicy {
        id: ids.mint(),
        name: "SRE Escalation".into(),
        description:
            "The shift-based SRE schedule, then Platform Primary, then the mobile release watch"
                .into(),
        num_loops: 1,
        rules: sre_rules,
        team_ids: vec![teams[0].clone()],
    });
    crate::seed_context::seed(&mut acct, seed, now);
    crate::event_orchestrations::seed(&mut acct, seed, now);
    crate::status_pages::seed(&mut acct, now);
    crate::maintenance_windows::seed(&mut acct, now);
    crate::audit::seed(&mut acct, now);
    crate::notification_rules::seed(&mut acct);

    let mut store = Store::default();
    store.accounts.push(acct);
    register_tokens(&mut store, 0);
    store
}

fn register_tokens(store: &mut Store, account: usize) {
    let Some(acct) = store.accounts.get(account) else {
        return;
    };
    let mut entries = vec![
        (
            tokens::ACCOUNT_KEY.to_string(),
            Credential::AccountKey { read_only: false },
        ),
        (
            tokens::READ_ONLY_ACCOUNT_KEY.to_string(),
            Credential::AccountKey { read_only: true },
        ),
    ];
    for (i, user) in acct.users.iter().enumerate() {
        entries.push((
            tokens::user_token(&user.email),
            Credential::UserToken {
                user_id: user.id.clone(),
            },
        ));
        if i == 0 {
            entries.push((
                tokens::OAUTH_TOKEN.to_string(),
                Credential::OAuth {
                    user_id: user.id.clone(),
                },
            ));
        }
    }
    for (tok, cred) in entries {
        store.tokens.insert(tok, (account, cred));
    }
}
