//! Teams, service writes, webhook subscriptions and incident workflows: request bodies
//! the simulator accepts, partial updates, and the empty 204 answers.

use pagerduty::api::incident_workflows::WorkflowQuery;
use pagerduty::api::services::ServiceFields;
use pagerduty::api::teams::TeamFields;
use pagerduty::api::webhooks::{DeliveryTarget, WebhookFields};
use pagerduty::ids::{EscalationPolicyId, IncidentId, ServiceId, TeamId, UserId};
use pagerduty::models::{
    CustomHeader, TeamDefaultRole, TeamRole, WebhookFilter, WebhookFilterType,
};

use crate::{client, first, sim};

#[tokio::test]
async fn team_members_and_empty_answers() {
    let sim = sim().await;
    let c = client(&sim);
    let team = c
        .create(&TeamFields {
            name: Some("Client Team".into()),
            description: None,
            default_role: Some(TeamDefaultRole::None),
        })
        .await
        .unwrap();
    assert_eq!(team.default_role, Some(TeamDefaultRole::None));
    let user = UserId::new(sim.state().users()[4].id.clone()).unwrap();
    // No role: a new member becomes a manager; the PUT answers 204 with no body.
    c.add_team_member(&team.id, &user, None).await.unwrap();
    let members = c.list_team_members(&team.id, first(100)).await.unwrap();
    assert_eq!(members.items.len(), 1);
    assert_eq!(members.items[0].role, TeamRole::Manager);
    c.add_team_member(&team.id, &user, Some(TeamRole::Observer))
        .await
        .unwrap();
    let members = c.list_team_members(&team.id, first(100)).await.unwrap();
    assert_eq!(members.items[0].role, TeamRole::Observer);
    c.remove_team_member(&team.id, &user).await.unwrap();
    // A partial update keeps the other fields.
    let renamed = c
        .update(
            &team.id,
            &TeamFields {
                name: Some("Client Team 2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.default_role, Some(TeamDefaultRole::None));
    c.delete_team(&team.id).await.unwrap();
    let gone = c.get(&team.id).await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
    let missing = TeamId::new("PNOPE00").unwrap();
    assert_eq!(
        c.delete_team(&missing).await.unwrap_err().status(),
        Some(404)
    );
}

#[tokio::test]
async fn service_fields_turn_time_outs_off() {
    let sim = sim().await;
    let c = client(&sim);
    let ep = EscalationPolicyId::new(sim.state().escalation_policies()[0].id.clone()).unwrap();
    let s = c
        .create(&ServiceFields {
            name: Some("Client Service".into()),
            escalation_policy_id: Some(ep),
            acknowledgement_timeout: Some(Some(600)),
            urgency: Some("low".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(s.acknowledgement_timeout, Some(600));
    let s = c
        .update(
            &s.id,
            &ServiceFields {
                acknowledgement_timeout: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(s.acknowledgement_timeout, None);
    assert_eq!(s.name, "Client Service");
    assert_eq!(
        s.incident_urgency_rule.unwrap()["urgency"],
        serde_json::json!("low")
    );
    let missing = ServiceId::new("PNOPE00").unwrap();
    let e = c
        .update(&missing, &ServiceFields::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
}

#[tokio::test]
async fn webhook_subscription_round_trip() {
    let sim = sim().await;
    let c = client(&sim);
    let created = c
        .create(&WebhookFields {
            delivery: Some(DeliveryTarget {
                url: "https://hooks.example.com/client".into(),
                custom_headers: vec![CustomHeader {
                    name: "X-Key".into(),
                    value: Some("k".into()),
                }],
            }),
            events: Some(vec!["incident.triggered".into()]),
            filter: Some(WebhookFilter {
                kind: WebhookFilterType::AccountReference,
                id: None,
            }),
            active: None,
            description: Some("client".into()),
        })
        .await
        .unwrap();
    assert!(created.active);
    assert!(created.delivery_method.secret.is_some());
    let got = c.get(&created.id).await.unwrap();
    assert!(got.delivery_method.secret.is_none());
    assert_eq!(
        got.delivery_method.custom_headers[0].value.as_deref(),
        Some("-- redacted --")
    );
    let accounts = c
        .list_webhook_subscriptions(Some(WebhookFilterType::AccountReference), first(100))
        .await
        .unwrap();
    assert!(accounts.items.iter().any(|w| w.id == created.id));
    assert!(
        accounts
            .items
            .iter()
            .all(|w| w.filter.kind == WebhookFilterType::AccountReference)
    );
    let paused = c
        .update(
            &created.id,
            &WebhookFields {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!paused.active);
    assert_eq!(paused.events, vec!["incident.triggered".to_owned()]);
    c.delete_webhook_subscription(&created.id).await.unwrap();
    assert_eq!(c.get(&created.id).await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn incident_workflow_start() {
    let sim = sim().await;
    let c = client(&sim);
    let q = WorkflowQuery {
        include: vec!["steps".into()],
        ..Default::default()
    };
    let all = c.list(&q, first(100)).await.unwrap();
    let wf = all.items.iter().find(|w| w.is_enabled).unwrap();
    assert!(!wf.steps.is_empty());
    let inc = sim
        .state()
        .incidents()
        .into_iter()
        .rev()
        .find(|i| i.is_open())
        .unwrap();
    let run = c
        .start_incident_workflow(&wf.id, &IncidentId::new(inc.id.clone()).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(run.incident.id, inc.id);
    assert!(!run.id.is_empty());
    let off = all.items.iter().find(|w| !w.is_enabled).unwrap();
    let e = c
        .start_incident_workflow(&off.id, &IncidentId::new(inc.id).unwrap(), None)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(e.to_string().contains("disabled"), "{e}");
}
