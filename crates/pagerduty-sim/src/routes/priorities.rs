//! Priorities: `GET /priorities` (ordered highest first, like the account's list).

use axum::Json;
use serde_json::Value;

use super::{Ctx, paginated, read, renderer};
use crate::error::ApiResult;
use crate::paging::Params;

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, &[])?;
        paginated(
            &p,
            "priorities",
            a.priorities.iter().map(|x| r.priority(x)).collect(),
        )
    })
}
