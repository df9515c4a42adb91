//! Extension schemas (the vendors an extension can be built on):
//! `/extension_schemas`, `/extension_schemas/{id}`.

use axum::{
    Extension, Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::{Who, find, paginated, read};
use crate::AppState;
use crate::error::ApiResult;
use crate::paging::Params;
use crate::render::API_BASE;
use crate::store::ExtensionSchema;

pub fn render(s: &ExtensionSchema) -> Value {
    json!({
        "id": s.id,
        "type": "extension_schema",
        "summary": s.label,
        "self": format!("{API_BASE}/extension_schemas/{}", s.id),
        "html_url": null,
        "label": s.label,
        "key": s.key,
        "description": s.description,
        "guide_url": s.guide_url,
        "icon_url": format!("https://assets.pagerduty.com/extensions/{}/icon.png", s.key),
        "logo_url": format!("https://assets.pagerduty.com/extensions/{}/logo.png", s.key),
        "send_types": s.send_types,
        "url": s.url,
    })
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Who,
    p: Params,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let mut v: Vec<_> = a.extension_schemas.iter().collect();
        v.sort_by_key(|x| x.label.to_lowercase());
        paginated(&p, "extension_schemas", v.into_iter().map(render).collect())
    })
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Who,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let s = find(&a.extension_schemas, &id, |s| &s.id)?;
        Ok(Json(json!({ "extension_schema": render(s) })))
    })
}
