//! Priorities: `GET /priorities` (ordered highest first, like the account's list).

use axum::Json;
use serde_json::Value;

use super::{Ctx, paginated, renderer};
use crate::error::ApiResult;
use crate::paging::Params;

pub async fn list(ctx: Ctx, p: Params) -> ApiResult<Json<Value>> {
    ctx.read(|a| {
        let r = renderer(a, &p, &[])?;
        paginated(
            &p,
            "priorities",
            a.priorities.iter().map(|x| r.priority(x)).collect(),
        )
    })
}
