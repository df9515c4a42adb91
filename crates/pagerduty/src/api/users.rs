use reqwest::Method;

use crate::ids::UserId;
use crate::models::User;
use crate::{Client, Result};

impl Client {
    pub async fn get_user(&self, id: &UserId) -> Result<User> {
        self.request(Method::GET, &["users", id.as_str()])
            .subject(format!("user {id}"))
            .send_one("user")
            .await
    }
}
