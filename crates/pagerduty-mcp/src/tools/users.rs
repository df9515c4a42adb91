use pagerduty::models::User;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::registry::{Access, Domain, Meta, ToolDef, tool};

/// No arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

pub fn tools() -> Vec<ToolDef> {
    vec![tool(
        Meta {
            name: "get_user_data",
            title: "Current user",
            domain: Domain::Users,
            access: Access::Read,
            description: "Who the PagerDuty credential acts as: id, name, email, role, time zone and teams. \
                          Call first when a request says 'me', 'my incidents' or 'my teams'.",
        },
        |ctx, NoArgs {}| async move { Ok::<User, _>(ctx.pd.current_user().await?.clone()) },
    )]
}
