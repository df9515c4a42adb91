//! Priorities: `GET /priorities` (ordered highest first, like the account's list).

use axum::{Extension, Json, extract::State};
use serde_json::Value;

use super::{Who, paginated, read, renderer};
use crate::AppState;
use crate::error::ApiResult;
use crate::paging::Params;

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let r = renderer(a, &p, &[])?;
        paginated(
            &p,
            "priorities",
            a.priorities.iter().map(|x| r.priority(x)).collect(),
        )
    })
}
