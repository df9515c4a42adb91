//! Credentials. Secrets live in [`SecretString`] so `Debug` never prints them.

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// How the client authenticates to PagerDuty.
#[derive(Clone)]
pub enum Credential {
    /// A user API token: acts as that user. Sent as `Authorization: Token token=…`.
    UserToken(SecretString),
    /// An account-level (general access) REST API key. It has no user identity, so writes
    /// that PagerDuty attributes to a person carry the actor's email in `From`.
    AccountKey {
        /// The key.
        key: SecretString,
        /// The email of the user writes are recorded against (`From`).
        from: Option<String>,
    },
    /// An OAuth access token (user or app). Sent as `Authorization: Bearer …`.
    OAuth(SecretString),
}

impl Credential {
    /// A user API token.
    pub fn user_token(token: impl Into<String>) -> Self {
        Self::UserToken(SecretString::from(token.into()))
    }

    /// An account-level key, acting as `from` for writes that need a user.
    pub fn account_key(key: impl Into<String>, from: Option<String>) -> Self {
        Self::AccountKey {
            key: SecretString::from(key.into()),
            from,
        }
    }

    /// An OAuth access token.
    pub fn oauth(token: impl Into<String>) -> Self {
        Self::OAuth(SecretString::from(token.into()))
    }

    /// A short, secret-free name for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::UserToken(_) => "user API token",
            Self::AccountKey { .. } => "account REST API key",
            Self::OAuth(_) => "OAuth access token",
        }
    }

    /// The actor email sent as `From`, when there is one.
    pub fn from_email(&self) -> Option<&str> {
        match self {
            Self::AccountKey { from, .. } => from.as_deref(),
            _ => None,
        }
    }

    /// The token itself, for scrubbing it from text PagerDuty sends back.
    pub(crate) fn secret(&self) -> &str {
        match self {
            Self::UserToken(t) | Self::OAuth(t) | Self::AccountKey { key: t, .. } => {
                t.expose_secret()
            }
        }
    }

    /// The `Authorization` header value, marked sensitive so HTTP-layer logging redacts it.
    pub(crate) fn header(&self) -> Option<HeaderValue> {
        let raw = match self {
            Self::UserToken(t) | Self::AccountKey { key: t, .. } => {
                format!("Token token={}", t.expose_secret())
            }
            Self::OAuth(t) => format!("Bearer {}", t.expose_secret()),
        };
        let mut value = HeaderValue::from_str(&raw).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({}, secret redacted)", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        for c in [
            Credential::user_token("canary-SECRET-1"),
            Credential::account_key("canary-SECRET-1", Some("a@example.com".into())),
            Credential::oauth("canary-SECRET-1"),
        ] {
            assert!(!format!("{c:?}").contains("canary"));
            assert!(c.header().is_some_and(|h| h.is_sensitive()));
        }
    }

    #[test]
    fn header_formats() {
        let h = Credential::user_token("abc_+-").header().unwrap();
        assert_eq!(h.to_str().unwrap(), "Token token=abc_+-");
        let h = Credential::oauth("pdus+_x").header().unwrap();
        assert_eq!(h.to_str().unwrap(), "Bearer pdus+_x");
    }
}
