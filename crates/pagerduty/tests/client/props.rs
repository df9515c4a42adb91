//! Property tests: whatever PagerDuty (or something pretending to be it) answers, decoding
//! never panics; whatever an id looks like, it either is refused or stays one path segment.

use pagerduty::ids::IncidentId;
use pagerduty::models::{Alert, EscalationPolicy, Incident, Oncall, Service, Time, User};
use proptest::prelude::*;
use serde_json::Value;

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9 :_./-]{0,24}".prop_map(Value::from),
        Just(Value::from("2026-11-23T10:00:00Z")),
        Just(Value::from("triggered")),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("status".to_owned()),
                    Just("title".to_owned()),
                    Just("service".to_owned()),
                    Just("assignments".to_owned()),
                    Just("created_at".to_owned()),
                    "[a-z_]{1,12}"
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn decoding_answers_never_panics(v in json()) {
        let _ = serde_json::from_value::<Incident>(v.clone());
        let _ = serde_json::from_value::<Alert>(v.clone());
        let _ = serde_json::from_value::<Service>(v.clone());
        let _ = serde_json::from_value::<User>(v.clone());
        let _ = serde_json::from_value::<EscalationPolicy>(v.clone());
        let _ = serde_json::from_value::<Oncall>(v);
    }

    #[test]
    fn ids_are_refused_or_stay_one_path_segment(s in ".{0,80}") {
        if let Ok(id) = IncidentId::new(s.clone()) {
            prop_assert!(!id.as_str().is_empty());
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
            let mut url = url::Url::parse("https://api.pagerduty.com/").unwrap();
            url.path_segments_mut().unwrap().pop_if_empty().extend(["incidents", id.as_str()]);
            prop_assert_eq!(url.path(), format!("/incidents/{}", id.as_str()));
            prop_assert!(url.query().is_none() && url.fragment().is_none());
        }
    }

    #[test]
    fn time_parsing_never_panics(s in ".{0,40}") {
        let _ = s.parse::<Time>();
    }
}
