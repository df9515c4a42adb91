//! Priorities: the account's incident priority levels.

use pagerduty::models::Priority;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::Ctx;
use crate::output::Listing;
use crate::registry::{Domain, ToolDef, Tools};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

const PRIORITIES: Tools = Tools(Domain::Priorities);

pub fn tools() -> Vec<ToolDef> {
    vec![PRIORITIES.read(
        "list_priorities",
        "The account's incident priorities (P1, P2…), highest first, with their ids: \
         list_incidents filters by priority id.",
        |ctx: Ctx, _: NoArgs| async move {
            Ok(Listing::<Priority>::all(ctx.pd.list_priorities().await?))
        },
    )]
}
