//! Analytics metrics rows. Numbers pass through as PagerDuty sends them.

use serde::{Deserialize, Serialize};
use serde_json::Number;

/// A struct of optional fields that are left out when absent.
macro_rules! metrics {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[allow(missing_docs)] // Its docs are schema text: see the crate docs.
        pub struct $name {
            $(
                #[serde(
                    default,
                    deserialize_with = "super::lenient",
                    skip_serializing_if = "Option::is_none"
                )]
                pub $field: Option<$ty>,
            )*
        }
    };
}

metrics! {
    /// Incident metrics for a service, a team or the whole selection, optionally per
    /// time bucket (`range_start`). Durations are in seconds.
    IncidentMetrics {
        range_start: String,
        service_id: String,
        service_name: String,
        team_id: String,
        team_name: String,
        total_incident_count: Number,
        total_incidents_acknowledged: Number,
        total_incidents_auto_resolved: Number,
        total_incidents_manual_escalated: Number,
        total_incidents_timeout_escalated: Number,
        total_incidents_reassigned: Number,
        total_escalation_count: Number,
        total_notifications: Number,
        total_interruptions: Number,
        total_business_hour_interruptions: Number,
        total_off_hour_interruptions: Number,
        total_sleep_hour_interruptions: Number,
        total_engaged_seconds: Number,
        total_snoozed_seconds: Number,
        total_user_defined_engaged_seconds: Number,
        mean_seconds_to_first_ack: Number,
        mean_seconds_to_resolve: Number,
        mean_seconds_to_engage: Number,
        mean_seconds_to_mobilize: Number,
        mean_engaged_seconds: Number,
        mean_engaged_user_count: Number,
        mean_user_defined_engaged_seconds: Number,
        mean_assignment_count: Number,
        p50_seconds_to_first_ack: Number,
        p75_seconds_to_first_ack: Number,
        p90_seconds_to_first_ack: Number,
        p95_seconds_to_first_ack: Number,
        p50_seconds_to_resolve: Number,
        p75_seconds_to_resolve: Number,
        p90_seconds_to_resolve: Number,
        p95_seconds_to_resolve: Number,
        up_time_pct: Number,
    }
}

metrics! {
    /// Responder metrics for one responder (per team), or for all selected responders
    /// together. Durations are in seconds.
    ResponderMetrics {
        responder_id: String,
        responder_name: String,
        team_id: String,
        team_name: String,
        total_incident_count: Number,
        total_incidents_acknowledged: Number,
        mean_time_to_acknowledge_seconds: Number,
        total_engaged_seconds: Number,
        mean_engaged_seconds: Number,
        total_notifications: Number,
        total_interruptions: Number,
        total_business_hour_interruptions: Number,
        total_off_hour_interruptions: Number,
        total_sleep_hour_interruptions: Number,
        total_incidents_reassigned_to: Number,
        total_incidents_reassigned_from: Number,
        total_incidents_manual_escalated_to: Number,
        total_incidents_manual_escalated_from: Number,
        total_incidents_timeout_escalated_to: Number,
        total_incidents_timeout_escalated_from: Number,
        total_seconds_on_call: Number,
        total_seconds_on_call_level_1: Number,
        total_seconds_on_call_level_2_plus: Number,
    }
}
