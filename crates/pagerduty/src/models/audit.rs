use serde::Deserialize;

use super::{Reference, Time, lenient};

/// One entry of an audit trail: who (`actors`, `method`) did what (`action`) to which
/// resource (`root_resource`, and `details.resource` when something under it changed).
#[derive(Clone, Debug, Deserialize)]
pub struct AuditRecord {
    pub id: String,
    pub execution_time: Time,
    #[serde(default, deserialize_with = "lenient")]
    pub actors: Option<Vec<Reference>>,
    pub method: AuditMethod,
    pub root_resource: Reference,
    pub action: String,
    #[serde(default, deserialize_with = "lenient")]
    pub details: Option<AuditDetails>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuditMethod {
    /// `browser`, `oauth`, `api_token`, `identity_provider` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient")]
    pub truncated_token: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuditDetails {
    pub resource: Reference,
    #[serde(default, deserialize_with = "lenient")]
    pub fields: Option<Vec<AuditField>>,
    #[serde(default, deserialize_with = "lenient")]
    pub references: Option<Vec<AuditReferences>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuditField {
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub value: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub before_value: Option<String>,
}

/// References added to or removed from a list field (e.g. a team's members).
#[derive(Clone, Debug, Deserialize)]
pub struct AuditReferences {
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub added: Option<Vec<Reference>>,
    #[serde(default, deserialize_with = "lenient")]
    pub removed: Option<Vec<Reference>>,
}

/// A slice of a cursor-paginated audit trail.
#[derive(Debug)]
pub struct AuditPage {
    pub records: Vec<AuditRecord>,
    /// Pass as `cursor` for the next slice; `None` at the end.
    pub next_cursor: Option<String>,
}
