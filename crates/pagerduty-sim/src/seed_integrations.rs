//! Seeds what surrounds incidents: V3 webhook subscriptions, extension schemas
//! and incident workflows. Uses its own RNG stream so the rest of the seeded
//! account is unchanged by it.

use jiff::{SignedDuration, Timestamp};

use crate::rng::Rng;
use crate::store::*;

fn next_id(rng: &mut Rng) -> String {
    // Second char never `W`: ids minted by writes start with `PW`.
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVXYZ";
    let mut s = String::from("P");
    for _ in 0..6 {
        s.push(A[rng.below(A.len() as u64) as usize] as char);
    }
    s
}

fn days_ago(now: Timestamp, days: i64) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * days))
        .unwrap_or(now)
}

/// (key, label, description, guide url, send types)
const SCHEMAS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "generic_v2_webhook",
        "Generic V2 Webhook",
        "Sends incident events as JSON to any HTTPS endpoint (legacy; prefer V3 webhook subscriptions).",
        "https://support.pagerduty.com/docs/webhooks",
        &[
            "trigger",
            "acknowledge",
            "resolve",
            "delegate",
            "escalate",
            "unacknowledge",
            "assign",
            "custom",
        ],
    ),
    (
        "slack_v2",
        "Slack V2",
        "Posts incident notifications to a Slack channel and lets responders act on them there.",
        "https://support.pagerduty.com/docs/slack-integration-guide",
        &["trigger", "acknowledge", "resolve", "escalate", "assign"],
    ),
    (
        "servicenow_v7",
        "ServiceNow (v7)",
        "Keeps ServiceNow incidents in sync with PagerDuty incidents in both directions.",
        "https://www.pagerduty.com/docs/guides/servicenow-integration-guide/",
        &[
            "trigger",
            "acknowledge",
            "resolve",
            "delegate",
            "escalate",
            "unacknowledge",
            "assign",
        ],
    ),
    (
        "jira_software",
        "Jira Software",
        "Creates and updates Jira issues from PagerDuty incidents.",
        "https://support.pagerduty.com/docs/jira-software",
        &["trigger", "acknowledge", "resolve", "custom"],
    ),
    (
        "microsoft_teams",
        "Microsoft Teams",
        "Posts incident notifications to a Microsoft Teams channel.",
        "https://support.pagerduty.com/docs/microsoft-teams",
        &["trigger", "acknowledge", "resolve", "escalate"],
    ),
];

pub fn seed_integrations(acct: &mut Account, seed: u64, now: Timestamp) {
    let mut rng = Rng::new(seed ^ 0x1A7E_6A71_0B5E_ED00);
    let rng = &mut rng;

    for (key, label, description, guide, sends) in SCHEMAS {
        acct.extension_schemas.push(ExtensionSchema {
            id: next_id(rng),
            key: (*key).into(),
            label: (*label).into(),
            description: (*description).into(),
            guide_url: (*guide).into(),
            url: format!("https://events.pagerduty.com/integration/{key}"),
            send_types: sends.iter().map(|s| (*s).to_string()).collect(),
        });
    }

    let team = |i: usize| acct.teams.get(i).map(|t| t.id.clone());
    let service = |i: usize| acct.services.get(i).map(|s| s.id.clone());
    let hex = |rng: &mut Rng| format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let subs = vec![
        WebhookSubscription {
            id: next_id(rng),
            description: "All incident events to the ops data lake".into(),
            active: true,
            events: [
                "incident.triggered",
                "incident.acknowledged",
                "incident.resolved",
                "incident.escalated",
                "incident.reassigned",
            ]
            .map(String::from)
            .to_vec(),
            filter_type: "account_reference".into(),
            filter_id: None,
            delivery_method_id: next_id(rng),
            url: "https://hooks.example.com/pagerduty/datalake".into(),
            custom_headers: vec![("X-Api-Key".into(), format!("dl-{}", hex(rng)))],
            secret: format!("whsec_{}", hex(rng)),
            temporarily_disabled: false,
        },
        WebhookSubscription {
            id: next_id(rng),
            description: "Payments incidents to the status bot".into(),
            active: true,
            events: [
                "incident.triggered",
                "incident.resolved",
                "incident.status_update_published",
            ]
            .map(String::from)
            .to_vec(),
            filter_type: "team_reference".into(),
            filter_id: team(1),
            delivery_method_id: next_id(rng),
            url: "https://statusbot.example.com/hooks/pagerduty".into(),
            custom_headers: vec![],
            secret: format!("whsec_{}", hex(rng)),
            temporarily_disabled: false,
        },
        WebhookSubscription {
            id: next_id(rng),
            description: "Checkout API annotations (paused)".into(),
            active: false,
            events: ["incident.annotated"].map(String::from).to_vec(),
            filter_type: "service_reference".into(),
            filter_id: service(0),
            delivery_method_id: next_id(rng),
            url: "https://grafana.example.com/api/annotations/pagerduty".into(),
            custom_headers: vec![("Authorization".into(), format!("Bearer {}", hex(rng)))],
            secret: format!("whsec_{}", hex(rng)),
            temporarily_disabled: true,
        },
    ];
    acct.webhook_subscriptions = subs;

    let step = |rng: &mut Rng, name: &str, action: &str, inputs: &[(&str, &str)]| WorkflowStep {
        id: next_id(rng),
        name: name.into(),
        description: format!("{name}."),
        action_id: format!("pagerduty.com:incident-workflows:{action}:1"),
        inputs: inputs
            .iter()
            .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
            .collect(),
    };
    let major = IncidentWorkflow {
        id: next_id(rng),
        name: "Major Incident Response".into(),
        description:
            "Raise to P1, open a Slack channel and a conference bridge, page the incident commander"
                .into(),
        created_at: days_ago(now, 200),
        team_id: team(0),
        is_enabled: true,
        steps: vec![
            step(
                rng,
                "Set priority to P1",
                "set-priority",
                &[("Priority", "P1")],
            ),
            step(
                rng,
                "Create a Slack channel",
                "create-slack-channel",
                &[("Channel name", "inc-{{incident.number}}")],
            ),
            step(
                rng,
                "Add a conference bridge",
                "add-conference-bridge",
                &[("Conference URL", "https://meet.example.com/major-incident")],
            ),
            step(
                rng,
                "Page the incident commander",
                "add-responders",
                &[("Message", "Major incident declared: {{incident.title}}")],
            ),
        ],
        runs: vec![],
    };
    let stakeholders = IncidentWorkflow {
        id: next_id(rng),
        name: "Notify Stakeholders".into(),
        description: "Send a status update to business stakeholders".into(),
        created_at: days_ago(now, 120),
        team_id: None,
        is_enabled: true,
        steps: vec![step(
            rng,
            "Send status update",
            "send-status-update",
            &[(
                "Message",
                "We are investigating {{incident.title}}. Next update in 30 minutes.",
            )],
        )],
        runs: vec![],
    };
    let legacy = IncidentWorkflow {
        id: next_id(rng),
        name: "Legacy Escalation to Vendor".into(),
        description: "Opens a ticket with the payment provider (disabled since the vendor change)"
            .into(),
        created_at: days_ago(now, 380),
        team_id: team(1),
        is_enabled: false,
        steps: vec![step(
            rng,
            "Send email to vendor",
            "send-email",
            &[
                ("To", "support@psp.example.com"),
                ("Subject", "PagerDuty incident {{incident.number}}"),
            ],
        )],
        runs: vec![],
    };
    acct.incident_workflows = vec![major, stakeholders, legacy];
}
