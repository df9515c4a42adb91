//! Extension schemas: the kinds of extensions (vendors) services can use.

use reqwest::Method;

use crate::ids::ExtensionSchemaId;
use crate::models::ExtensionSchema;
use crate::{Client, Page, Result, Window};

impl Client {
    /// `GET /extension_schemas`, a page of them.
    pub async fn list_extension_schemas(&self, window: Window) -> Result<Page<ExtensionSchema>> {
        self.request(Method::GET, &["extension_schemas"])
            .subject("the extension schema list")
            .list("extension_schemas", window)
            .await
    }

    /// `GET /extension_schemas/{id}`.
    pub async fn get_extension_schema(&self, id: &ExtensionSchemaId) -> Result<ExtensionSchema> {
        self.request(Method::GET, &["extension_schemas", id.as_str()])
            .subject(format!("extension schema {id}"))
            .send_one("extension_schema")
            .await
    }
}
