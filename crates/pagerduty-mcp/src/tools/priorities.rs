//! Priorities: the account's incident priority levels.

use pagerduty::models::Priority;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::output::Listing;
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

pub fn tools() -> Vec<ToolDef> {
    vec![tool(
        Meta {
            name: "list_priorities",
            title: "List priorities",
            domain: Domain::Priorities,
            access: Access::Read,
            description: "The account's incident priorities (P1, P2…), highest first, with their ids: \
                          list_incidents filters by priority id.",
        },
        |ctx: Ctx, _: NoArgs| async move {
            Ok(Listing::<Priority>::all(ctx.pd.list_priorities().await?))
        },
    )]
}
