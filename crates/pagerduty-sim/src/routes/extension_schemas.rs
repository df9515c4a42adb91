//! Extension schemas (the vendors an extension can be built on):
//! `/extension_schemas`, `/extension_schemas/{id}`.

use axum::Json;
use serde_json::{Value, json};

use super::{Ctx, by_id, paginated, read};
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

pub async fn list(Ctx { st, caller: c }: Ctx, p: Params) -> ApiResult<Json<Value>> {
    read(&st, &c, |a| {
        let mut v: Vec<_> = a.extension_schemas.iter().collect();
        v.sort_by_key(|x| x.label.to_lowercase());
        paginated(&p, "extension_schemas", v.into_iter().map(render).collect())
    })
}

by_id!(
    crate::store::ExtensionSchema,
    "extension_schema",
    extension_schemas,
    None,
    |_r, x| render(x)
);
