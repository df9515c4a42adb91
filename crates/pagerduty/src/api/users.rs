use reqwest::Method;
use serde_json::json;

use serde::Serialize;

use super::set_some;

use crate::ids::TeamId;
use crate::models::{User, UserRole};
use crate::{Client, Result};

/// Filters for `GET /users`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct UserQuery {
    /// Name or email contains this text.
    pub query: Option<String>,
    /// Only these teams' members.
    pub team_ids: Vec<TeamId>,
}

/// A new user for `POST /users`.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The user's name.
    pub name: String,
    /// Their email (their login).
    pub email: String,
    /// Their role; absent: PagerDuty's default.
    pub role: Option<UserRole>,
    /// IANA time zone; PagerDuty's default when unset.
    pub time_zone: Option<String>,
}

impl Client {
    /// Adds a user to the account (recorded against the acting user: `From` for account keys).
    pub async fn create_user(&self, new: &NewUser) -> Result<User> {
        let mut user = json!({"type": "user", "name": new.name, "email": new.email});
        set_some(&mut user, "role", new.role);
        set_some(&mut user, "time_zone", new.time_zone.as_ref());
        self.collection::<User>(Method::POST)
            .subject(format!("creating user {}", new.email))
            .attributed()
            .send_object(user)
            .await
    }
}
