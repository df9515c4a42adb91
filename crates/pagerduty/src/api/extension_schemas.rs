//! Extension schemas: the kinds of extensions (vendors) services can use.

use crate::models::ExtensionSchema;
use crate::{Client, Page, Result, Window};

impl Client {
    /// `GET /extension_schemas`, a page of them.
    pub async fn list_extension_schemas(&self, window: Window) -> Result<Page<ExtensionSchema>> {
        self.list_by::<ExtensionSchema>(&(), window).await
    }
}
