//! Event orchestration paths round-trip through the typed models; status page posts and
//! their updates are built and read back.

use pagerduty::api::status_pages::{PostSpec, PostUpdateSpec, StatusPageOptionKind};
use pagerduty::ids::{
    EventOrchestrationId, ServiceId, StatusPageId, StatusPageImpactId, StatusPageSeverityId,
    StatusPageStatusId,
};
use pagerduty::models::{PostType, Time};

use crate::{client, first, sim};

#[tokio::test]
async fn router_round_trips_unchanged() {
    let sim = sim().await;
    let c = client(&sim);
    let list = c
        .list_event_orchestrations(Some("routes:desc"), first(100))
        .await
        .unwrap();
    assert_eq!(list.items.len(), 2);
    let id: EventOrchestrationId = list.items[0].id.clone();
    let router = c.get_event_orchestration_router(&id).await.unwrap();
    assert_eq!(router.kind.as_deref(), Some("router"));
    let catch_all = router.catch_all.clone().unwrap();
    // PUT back what GET gave: the same rules (ids included), a new version.
    let again = c
        .update_event_orchestration_router(&id, &router.sets, &catch_all)
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&again.sets).unwrap(),
        serde_json::to_value(&router.sets).unwrap()
    );
    assert_ne!(again.version, router.version);
    let svc = ServiceId::new(&sim.state().account().services[0].id).unwrap();
    let path = c.get_service_orchestration(&svc).await.unwrap();
    assert_eq!(path.parent.unwrap().id, svc.as_str());
}

#[tokio::test]
async fn status_page_post_and_update_bodies() {
    let sim = sim().await;
    let c = client(&sim);
    let acct = sim.state().account();
    let sp = &acct.status_pages[0];
    let page = StatusPageId::new(&sp.id).unwrap();
    let opts = |kind, post_type| {
        let c = c.clone();
        let page = page.clone();
        async move {
            c.list_status_page_options(&page, kind, Some(post_type), first(100))
                .await
                .unwrap()
                .items
        }
    };
    let statuses = opts(StatusPageOptionKind::Statuses, PostType::Maintenance).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.post_type == PostType::Maintenance)
    );
    let severities = opts(StatusPageOptionKind::Severities, PostType::Maintenance).await;
    let impacts = opts(StatusPageOptionKind::Impacts, PostType::Maintenance).await;
    let update = PostUpdateSpec {
        message: "Database upgrade scheduled".into(),
        status: StatusPageStatusId::new(&statuses[0].id).unwrap(),
        severity: StatusPageSeverityId::new(&severities[0].id).unwrap(),
        impacted_services: vec![(
            ServiceId::new(&sp.service_ids[0]).unwrap(),
            StatusPageImpactId::new(&impacts[0].id).unwrap(),
        )],
        update_frequency_ms: None,
        notify_subscribers: false,
        reported_at: None,
    };
    let post = c
        .create_status_page_post(
            &page,
            &PostSpec {
                title: "Maintenance".into(),
                post_type: PostType::Maintenance,
                starts_at: "2026-05-01T01:00:00Z".parse::<Time>().unwrap(),
                ends_at: "2026-05-01T03:00:00Z".parse::<Time>().unwrap(),
                updates: vec![update.clone()],
            },
        )
        .await
        .unwrap();
    assert_eq!(post.updates.len(), 1);
    let second = c
        .create_status_page_post_update(&page, &post.id, &update)
        .await
        .unwrap();
    let bare = c
        .get_status_page_post(&page, &post.id, false)
        .await
        .unwrap();
    assert_eq!(bare.updates.len(), 2);
    assert!(bare.updates.iter().all(|u| u.message.is_none()));
    let full = c.get_status_page_post(&page, &post.id, true).await.unwrap();
    assert_eq!(full.updates[1].id, second.id);
    assert_eq!(
        full.updates[1].message.as_deref(),
        Some("Database upgrade scheduled")
    );
}
