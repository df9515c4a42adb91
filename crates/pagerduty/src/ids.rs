//! Newtype identifiers. Every id is validated before it becomes a URL path segment, so an
//! argument like `../users` or `P1?x=y` can never address another endpoint.

use serde::{Deserialize, Serialize};

/// The error for an id that is not a PagerDuty id.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{value}` is not a valid {what} id: PagerDuty ids are 1-64 letters, digits, `_` or `-` (e.g. PABC123)"
)]
pub struct InvalidId {
    /// What kind of id it was meant to be.
    pub what: &'static str,
    /// The value refused.
    pub value: String,
}

/// Checks the shape shared by every PagerDuty object id.
pub fn validate(what: &'static str, value: &str) -> Result<(), InvalidId> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(InvalidId {
            what,
            value: value.chars().take(80).collect(),
        })
    }
}

macro_rules! ids {
    ($($name:ident => $what:literal),* $(,)?) => {$(
        #[doc = concat!("The id of a PagerDuty ", $what, ".")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string"})
            }
        }

        impl $name {
            /// The id, if `value` is a well-formed one (no path or query characters).
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidId> {
                let value = value.into();
                validate($what, &value)?;
                Ok(Self(value))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, InvalidId> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )*};
}

ids! {
    IncidentId => "incident",
    AlertId => "alert",
    NoteId => "note",
    ServiceId => "service",
    UserId => "user",
    TeamId => "team",
    ScheduleId => "schedule",
    EscalationPolicyId => "escalation policy",
    PriorityId => "priority",
    LogEntryId => "log entry",
    WebhookSubscriptionId => "webhook subscription",
    ExtensionSchemaId => "extension schema",
    IncidentWorkflowId => "incident workflow",
    RotationId => "rotation",
    RotationEventId => "rotation event",
    CustomShiftId => "custom shift",
    OverrideId => "override",
    AlertGroupingSettingId => "alert grouping setting",
    ChangeEventId => "change event",
    BusinessServiceId => "business service",
    EventOrchestrationId => "event orchestration",
    StatusPageId => "status page",
    StatusPagePostId => "status page post",
    StatusPagePostUpdateId => "status page post update",
    StatusPageSeverityId => "status page severity",
    StatusPageImpactId => "status page impact",
    StatusPageStatusId => "status page status",
    MaintenanceWindowId => "maintenance window",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_path_tricks() {
        for bad in [
            "",
            "../users",
            "P1/notes",
            "P1?x=1",
            "P1#f",
            "P 1",
            "é",
            &"P".repeat(65),
        ] {
            assert!(IncidentId::new(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(IncidentId::new("PABC123").unwrap().as_str(), "PABC123");
        assert!(serde_json::from_str::<ServiceId>("\"a/b\"").is_err());
        assert!(serde_json::from_str::<ServiceId>("\"PSVC_1-x\"").is_ok());
    }
}
