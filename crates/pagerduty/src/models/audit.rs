use serde::Deserialize;

use super::{Reference, Time, lenient};

/// One entry of an audit trail: who (`actors`, `method`) did what (`action`) to which
/// resource (`root_resource`, and `details.resource` when something under it changed).
#[derive(Clone, Debug, Deserialize)]
pub struct AuditRecord {
    /// The record's id.
    pub id: String,
    /// When the change was made.
    pub execution_time: Time,
    /// Who made it: users, API keys or apps.
    #[serde(default, deserialize_with = "lenient")]
    pub actors: Option<Vec<Reference>>,
    /// How they were signed in.
    pub method: AuditMethod,
    /// The resource whose trail this is.
    pub root_resource: Reference,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// What changed, when PagerDuty says.
    #[serde(default, deserialize_with = "lenient")]
    pub details: Option<AuditDetails>,
}

/// How an actor was signed in when making a change.
#[derive(Clone, Debug, Deserialize)]
pub struct AuditMethod {
    /// `browser`, `oauth`, `api_token`, `identity_provider` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The end of the API token used, when one was.
    #[serde(default, deserialize_with = "lenient")]
    pub truncated_token: Option<String>,
}

/// The resource that changed and its changed fields.
#[derive(Clone, Debug, Deserialize)]
pub struct AuditDetails {
    /// The changed resource (the root or something under it).
    pub resource: Reference,
    /// Scalar fields with their new and old values.
    #[serde(default, deserialize_with = "lenient")]
    pub fields: Option<Vec<AuditField>>,
    /// List fields with the references added and removed.
    #[serde(default, deserialize_with = "lenient")]
    pub references: Option<Vec<AuditReferences>>,
}

/// One changed field.
#[derive(Clone, Debug, Deserialize)]
pub struct AuditField {
    /// The field's name.
    pub name: String,
    /// Its value after the change.
    #[serde(default, deserialize_with = "lenient")]
    pub value: Option<String>,
    /// Its value before the change.
    #[serde(default, deserialize_with = "lenient")]
    pub before_value: Option<String>,
}

/// References added to or removed from a list field (e.g. a team's members).
#[derive(Clone, Debug, Deserialize)]
pub struct AuditReferences {
    /// The list field's name.
    pub name: String,
    /// References added to it.
    #[serde(default, deserialize_with = "lenient")]
    pub added: Option<Vec<Reference>>,
    /// References removed from it.
    #[serde(default, deserialize_with = "lenient")]
    pub removed: Option<Vec<Reference>>,
}

/// A slice of a cursor-paginated audit trail.
#[derive(Debug)]
pub struct AuditPage {
    /// The records, newest first.
    pub records: Vec<AuditRecord>,
    /// Pass as `cursor` for the next slice; `None` at the end.
    pub next_cursor: Option<String>,
}
