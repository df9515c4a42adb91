//! Priorities: `GET /priorities` (ordered highest first, like the account's list).

use super::{Ctx, JsonReply, paginated, renderer};
use crate::paging::Params;

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = renderer(a, &p, &[])?;
        paginated(
            &p,
            "priorities",
            a.priorities.iter().map(|x| r.priority(x)).collect(),
        )
    })
}
