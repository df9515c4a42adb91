use serde::{Deserialize, Serialize};

use super::Reference;
use crate::ids::BusinessServiceId;

/// A business service: a capability customers see, supported by technical services.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct BusinessService {
    pub id: BusinessServiceId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_of_contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Reference>,
}

/// `dependent_service` depends on `supporting_service`; each is a
/// business_service_reference or technical_service_reference.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct ServiceDependency {
    pub id: String,
    pub supporting_service: Reference,
    pub dependent_service: Reference,
}
