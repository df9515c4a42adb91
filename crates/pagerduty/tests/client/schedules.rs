//! Schedules: the generic v3 calls address every sub-resource, page, and decode v3 errors.

use pagerduty::Window;
use pagerduty::api::schedules::{CustomShiftData, NewAssignment, V3Parent, V3Query};
use pagerduty::ids::{CustomShiftId, ScheduleId, UserId};
use pagerduty::models::{
    CustomShift, MemberKind, OverrideShift, Rotation, RotationEvent, ScheduleV3, ScheduleV3Ref,
    ShiftMember, Time,
};

use crate::{client, first, sim};

/// A custom shift from `start` to `end` with one assignment.
fn shift(start: &str, end: &str, kind: MemberKind, user_id: Option<UserId>) -> CustomShiftData {
    CustomShiftData {
        kind: Default::default(),
        start_time: start.parse().unwrap(),
        end_time: end.parse().unwrap(),
        assignments: vec![NewAssignment {
            kind: Default::default(),
            member: ShiftMember { kind, user_id },
        }],
    }
}

#[tokio::test]
async fn v3_paths_paging_and_round_trip() {
    let sim = sim().await;
    let c = client(&sim);
    let list = c
        .v3_list::<ScheduleV3Ref>(V3Parent::Schedules, &V3Query::default(), first(100))
        .await
        .unwrap();
    assert_eq!(list.items.len(), 2);
    let sid = list.items[1].id.clone();
    let s = c
        .v3_get::<ScheduleV3>(V3Parent::Schedules, &sid)
        .await
        .unwrap();
    assert_eq!(Some(s.name.clone()), list.items[1].summary);

    // One rotation per page: the pager follows `more`.
    let rotations = c
        .v3_list::<Rotation>(
            V3Parent::Schedule(&sid),
            &V3Query::default(),
            Window {
                offset: 1,
                limit: 1,
            },
        )
        .await
        .unwrap();
    assert_eq!(rotations.items[0].id, s.rotations[1].id);
    assert!(!rotations.more);
    let rot = &s.rotations[0];
    let events = c
        .v3_list::<RotationEvent>(
            V3Parent::Rotation(&sid, &rot.id),
            &V3Query::default(),
            first(100),
        )
        .await
        .unwrap();
    assert_eq!(events.items[0].id, rot.events[0].id);
    assert_eq!(
        sim.requests().count(
            "GET",
            &format!("/v3/schedules/{sid}/rotations/{}/events", rot.id)
        ),
        1
    );

    // A range query sends since/until (required) and asks for whole shifts.
    let range = Some((
        "2000-01-01".parse::<Time>().unwrap(),
        "2100-01-01".parse().unwrap(),
    ));
    let q = V3Query {
        range,
        ..Default::default()
    };
    let overrides = c
        .v3_list::<OverrideShift>(V3Parent::Schedule(&sid), &q, first(100))
        .await
        .unwrap();
    assert_eq!(overrides.items.len(), 2);

    // Create many, delete one, then it is a 404 that names what was asked for.
    let me = UserId::new(sim.state().demo_user().unwrap().id).unwrap();
    let made: Vec<CustomShift> = c
        .v3_create_many(
            V3Parent::Schedule(&sid),
            &[shift(
                "2031-01-01T09:00:00Z",
                "2031-01-01T17:00:00Z",
                MemberKind::UserMember,
                Some(me),
            )],
        )
        .await
        .unwrap();
    let id: CustomShiftId = made[0].id.clone();
    c.v3_delete::<CustomShift>(V3Parent::Schedule(&sid), &id)
        .await
        .unwrap();
    let e = c
        .v3_get::<CustomShift>(V3Parent::Schedule(&sid), &id)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(
        e.to_string().starts_with(&format!(
            "Custom shift {id} of schedule {sid} was not found"
        )),
        "{e}"
    );
}

#[tokio::test]
async fn v3_errors_name_the_fields() {
    let sim = sim().await;
    let c = client(&sim);
    let sid = ScheduleId::new(sim.state().account().schedules_v3[0].id.clone()).unwrap();
    let bad = shift(
        "2031-01-01T17:00:00Z",
        "2031-01-01T09:00:00Z",
        MemberKind::EmptyMember,
        None,
    );
    let e = c
        .v3_create_many::<CustomShift>(V3Parent::Schedule(&sid), &[bad])
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(
        e.to_string()
            .contains("custom_shifts[0].end_time: must be after start_time"),
        "{e}"
    );
    // A layer-based schedule through v3 says to use v2, and the other way round.
    let v2 = ScheduleId::new(sim.state().schedules()[0].id.clone()).unwrap();
    let e = c
        .v3_get::<ScheduleV3>(V3Parent::Schedules, &v2)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Use the v2 Schedules API"), "{e}");
    let e = c.get_schedule(&sid, None).await.unwrap_err();
    assert!(e.to_string().contains("Use the v3 Schedules API"), "{e}");
}
