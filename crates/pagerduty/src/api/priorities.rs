use reqwest::Method;

use crate::models::Priority;
use crate::{Client, Result, Window};

impl Client {
    /// The account's priorities, highest first.
    pub async fn list_priorities(&self) -> Result<Vec<Priority>> {
        let page = self
            .request(Method::GET, &["priorities"])
            .subject("the priorities")
            .list(
                "priorities",
                Window {
                    offset: 0,
                    limit: 100,
                },
            )
            .await?;
        Ok(page.items)
    }
}
