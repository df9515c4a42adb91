//! Business services and the dependencies between services.

use std::collections::HashMap;

use pagerduty::Window;
use pagerduty::api::services::ServiceQuery;
use pagerduty::ids::{BusinessServiceId, ServiceId};
use pagerduty::models::{BusinessService, ServiceDependency};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, MAX_LIMIT};
use crate::registry::{Domain, ToolDef, Tools};

const BUSINESS_SERVICES: Tools = Tools(Domain::BusinessServices);

pub fn tools() -> Vec<ToolDef> {
    vec![
        BUSINESS_SERVICES.read(
            "list_business_services",
            "Business services (what customers experience, e.g. Online Store) with owner team and \
             point of contact.",
            |ctx: Ctx, _: NoArgs| async move {
                let page = ctx.pd.list_business_services(all()).await?;
                Ok(Listing::<BusinessService>::from(page))
            },
        ),
        BUSINESS_SERVICES
            .read(
                "get_business_service_dependencies",
                "The services a business service depends on and those depending on it, with names.",
                |ctx: Ctx, a: BusinessArgs| async move {
                    let deps = ctx
                        .pd
                        .business_service_dependencies(&a.business_service_id)
                        .await?;
                    named(&ctx, deps).await
                },
            )
            .titled("Business service dependencies"),
        BUSINESS_SERVICES
            .read(
                "get_technical_service_dependencies",
                "What a technical service depends on and what depends on it (technical and \
                 business services), with names: the blast radius of an incident.",
                |ctx: Ctx, a: TechnicalArgs| async move {
                    let deps = ctx.pd.technical_service_dependencies(&a.service_id).await?;
                    named(&ctx, deps).await
                },
            )
            .titled("Service dependencies"),
    ]
}

fn all() -> Window {
    Window {
        offset: 0,
        limit: MAX_LIMIT,
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BusinessArgs {
    business_service_id: BusinessServiceId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TechnicalArgs {
    service_id: ServiceId,
}

/// `dependent_service` depends on `supporting_service`.
#[derive(Serialize, JsonSchema)]
struct Dependencies {
    relationships: Vec<ServiceDependency>,
}

/// Adds each side's name as its `summary` (best effort: two list calls, no failure if
/// they fail).
async fn named(ctx: &Ctx, mut deps: Vec<ServiceDependency>) -> Result<Dependencies, ToolError> {
    let mut names: HashMap<String, String> = HashMap::new();
    if deps
        .iter()
        .any(|d| is_business(&d.supporting_service) || is_business(&d.dependent_service))
        && let Ok(page) = ctx.pd.list_business_services(all()).await
    {
        names.extend(page.items.into_iter().map(|b| (b.id.to_string(), b.name)));
    }
    if deps
        .iter()
        .any(|d| !is_business(&d.supporting_service) || !is_business(&d.dependent_service))
        && let Ok(page) = ctx.pd.list(&ServiceQuery::default(), all()).await
    {
        names.extend(page.items.into_iter().map(|s| (s.id.to_string(), s.name)));
    }
    for d in &mut deps {
        for side in [&mut d.supporting_service, &mut d.dependent_service] {
            if side.summary.is_none() {
                side.summary = names.get(&side.id).cloned();
            }
        }
    }
    Ok(Dependencies {
        relationships: deps,
    })
}

fn is_business(r: &pagerduty::models::Reference) -> bool {
    r.kind
        .as_deref()
        .is_some_and(|k| k.starts_with("business_service"))
}
