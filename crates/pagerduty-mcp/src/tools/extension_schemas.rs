//! Extension schemas: the kinds of extensions (Slack, ServiceNow, webhooks…) services can use.

use pagerduty::ids::ExtensionSchemaId;
use pagerduty::models::ExtensionSchema;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::output::{Listing, window};
use crate::registry::{Domain, ToolDef, Tools};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SchemaArg {
    schema_id: ExtensionSchemaId,
}

const EXTENSION_SCHEMAS: Tools = Tools(Domain::ExtensionSchemas);

pub fn tools() -> Vec<ToolDef> {
    vec![
        EXTENSION_SCHEMAS.read(
            "list_extension_schemas",
            "The extension types available (Slack, ServiceNow, generic webhook…) and the incident \
             events each sends.",
            |ctx: Ctx, a: ListArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                Ok(Listing::<ExtensionSchema>::from(
                    ctx.pd.list_extension_schemas(w).await?,
                ))
            },
        ),
        EXTENSION_SCHEMAS.get(
            "get_extension_schema",
            "One extension schema by id: label, key, description and the events it sends.",
            |a: SchemaArg| a.schema_id,
        ),
    ]
}
