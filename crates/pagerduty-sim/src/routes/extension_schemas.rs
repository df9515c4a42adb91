//! Extension schemas (the vendors an extension can be built on):
//! `/extension_schemas`, `/extension_schemas/{id}`.

use serde_json::{Value, json};

use super::{Call, Listed, by_id};
use crate::error::ApiResult;
use crate::render::API_BASE;
use crate::store::{Account, ExtensionSchema};

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

impl Listed for ExtensionSchema {
    const COLLECTION: &'static str = "extension_schemas";
    fn select<'a>(a: &'a Account, _: &Call) -> ApiResult<Vec<&'a Self>> {
        let mut v: Vec<_> = a.extension_schemas.iter().collect();
        v.sort_by_key(|x| x.label.to_lowercase());
        Ok(v)
    }
}

by_id!(
    ExtensionSchema,
    "extension_schema",
    extension_schemas,
    None,
    |_r, x| render(x)
);
