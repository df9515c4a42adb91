//! The server's own secrets — its PagerDuty credential, the default Events API routing key and
//! the shared-key client secret — from the environment (`NAME`) or from a file (`NAME_FILE`,
//! the Docker and Kubernetes secrets convention).
//!
//! A file is read again at every use, so a rotated secret (Kubernetes updates a mounted secret
//! in place) takes effect without a restart. Reading a few bytes costs microseconds beside a
//! PagerDuty round trip, and unlike watching modification times it cannot miss a change made
//! within one timestamp tick. Values are never logged; errors name the variable and the path,
//! never the content.

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context as _, anyhow, bail};
use pagerduty::Credential;
use secrecy::{ExposeSecret, SecretString};

use crate::context::{Ctx, RoutingKey};

/// Where one secret comes from.
pub struct SecretSource {
    /// The environment variable (without `_FILE`), for messages.
    name: &'static str,
    origin: Origin,
}

enum Origin {
    Value(SecretString),
    File(PathBuf),
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (value redacted)", self.describe())
    }
}

impl SecretSource {
    /// A value known up front (the demo account's token).
    pub fn fixed(name: &'static str, value: &str) -> Self {
        Self {
            name,
            origin: Origin::Value(SecretString::from(value)),
        }
    }

    /// `NAME` or `NAME_FILE`: `None` when neither is set; an error when both are, or when the
    /// file cannot be read now or holds no valid value (start-up fails rather than every call).
    pub fn from_env(name: &'static str) -> anyhow::Result<Option<Self>> {
        let file_var = format!("{name}_FILE");
        let file = std::env::var_os(&file_var).filter(|p| !p.is_empty());
        let source = match (env_value(name)?, file) {
            (Some(_), Some(_)) => bail!("set either {name} or {file_var}, not both"),
            (Some(value), None) => Self {
                name,
                origin: Origin::Value(SecretString::from(value)),
            },
            (None, Some(path)) => Self {
                name,
                origin: Origin::File(PathBuf::from(path)),
            },
            (None, None) => return Ok(None),
        };
        source.read()?;
        Ok(Some(source))
    }

    /// The current value: a file's content without its trailing newline, checked like an
    /// environment variable's.
    pub fn read(&self) -> anyhow::Result<SecretString> {
        let path = match &self.origin {
            Origin::Value(v) => return Ok(v.clone()),
            Origin::File(path) => path,
        };
        let what = self.describe();
        let raw = std::fs::read(path).with_context(|| format!("cannot read {what}"))?;
        let text = String::from_utf8(raw).map_err(|_| anyhow!("{what} is not UTF-8 text"))?;
        let value = text.trim_end_matches(['\n', '\r']);
        let checked = checked_value(&what, value)?.ok_or_else(|| anyhow!("{what} is empty"))?;
        Ok(SecretString::from(checked))
    }

    /// Where the value comes from, for messages: the variable, and a file's path.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Value(_) => self.name.to_owned(),
            Origin::File(path) => format!("{}_FILE ({})", self.name, path.display()),
        }
    }
}

/// A value from the environment: unset or empty is `None`; see [`checked_value`].
pub(crate) fn env_value(name: &str) -> anyhow::Result<Option<String>> {
    let Some(raw) = std::env::var_os(name) else {
        return Ok(None);
    };
    let Some(value) = raw.to_str() else {
        bail!("{name} is not valid UTF-8; set it to the value alone");
    };
    checked_value(name, value)
}

/// A secret or address that HTTP cannot carry (a control character, a non-ASCII character,
/// whitespace inside or around it) is an error naming where it came from, rather than a
/// credential that silently fails later. Empty is `None`.
fn checked_value(name: &str, value: &str) -> anyhow::Result<Option<String>> {
    if value.is_empty() {
        return Ok(None);
    }
    if value.trim() != value {
        bail!(
            "{name} has whitespace around it (a pasted newline or space?); set it to the value alone"
        );
    }
    if let Some(c) = value.chars().find(|c| !c.is_ascii_graphic()) {
        let what = if c.is_control() {
            "a control character"
        } else if c.is_whitespace() {
            "whitespace"
        } else {
            "a non-ASCII character"
        };
        bail!(
            "{name} holds {what} (U+{:04X}), which no PagerDuty token or email header has; set it to the value alone",
            c as u32
        );
    }
    Ok(Some(value.to_owned()))
}

/// Which kind of PagerDuty credential a token source holds.
#[derive(Clone, Debug)]
enum TokenKind {
    /// `PAGERDUTY_USER_API_KEY`; with `PAGERDUTY_FROM_EMAIL` an account-level key.
    ApiKey { from: Option<String> },
    /// `PAGERDUTY_OAUTH_TOKEN`.
    OAuth,
}

/// The PagerDuty credential source from the environment: `PAGERDUTY_USER_API_KEY` or
/// `PAGERDUTY_OAUTH_TOKEN`, each possibly as `_FILE`; never from argv, where `ps` shows it.
fn token_from_env() -> anyhow::Result<Option<(TokenKind, SecretSource)>> {
    let user_key = SecretSource::from_env("PAGERDUTY_USER_API_KEY")?;
    let oauth = SecretSource::from_env("PAGERDUTY_OAUTH_TOKEN")?;
    let from = env_value("PAGERDUTY_FROM_EMAIL")?;
    Ok(match (user_key, oauth) {
        (Some(_), Some(_)) => bail!(
            "set either PAGERDUTY_USER_API_KEY or PAGERDUTY_OAUTH_TOKEN (or their _FILE forms), not both"
        ),
        (Some(key), None) => Some((TokenKind::ApiKey { from }, key)),
        (None, Some(token)) => Some((TokenKind::OAuth, token)),
        (None, None) => None,
    })
}

impl TokenKind {
    fn credential(&self, token: &SecretString) -> Credential {
        let token = token.expose_secret();
        match self {
            Self::ApiKey { from: Some(from) } => Credential::account_key(token, Some(from.clone())),
            Self::ApiKey { from: None } => Credential::user_token(token),
            Self::OAuth => Credential::oauth(token),
        }
    }
}

/// The credential the environment gives now (for `doctor`).
pub fn credential_from_env() -> anyhow::Result<Option<Credential>> {
    token_from_env()?
        .map(|(kind, source)| Ok(kind.credential(&source.read()?)))
        .transpose()
}

/// `MCP_CLIENT_SECRET` or `MCP_CLIENT_SECRET_FILE`, the secret shared-key callers present.
pub fn client_secret_from_env() -> anyhow::Result<Option<ClientSecret>> {
    let Some(source) = SecretSource::from_env("MCP_CLIENT_SECRET")? else {
        return Ok(None);
    };
    let secret = ClientSecret(source);
    secret.read()?;
    Ok(Some(secret))
}

/// The shared-key client secret, read at every request so a rotated secret applies at once.
#[derive(Debug)]
pub struct ClientSecret(SecretSource);

impl ClientSecret {
    /// The current secret: at least 16 characters, none of them whitespace (a caller's header
    /// is trimmed, so a secret of spaces would lock everyone out).
    pub fn read(&self) -> anyhow::Result<SecretString> {
        let secret = self.0.read()?;
        let chars = secret.expose_secret().chars().count();
        if chars < 16 {
            bail!(
                "{} has {chars} characters; use at least 16 (e.g. `openssl rand -hex 16`)",
                self.0.describe()
            );
        }
        Ok(secret)
    }
}

/// The server's own PagerDuty credential and default routing key (stdio, `call`, and HTTP in
/// `shared-key` and `local` mode), giving each call a context built from their current values.
pub struct LocalSecrets {
    /// The client without a credential; its clones share one connection pool.
    base: pagerduty::Client,
    token: Option<(TokenKind, SecretSource)>,
    routing_key: Option<SecretSource>,
    /// The context for the values last read; rebuilt when either changes (which also forgets
    /// the user the old token acted as).
    current: Mutex<Option<Built>>,
}

/// A context and the token and routing key it was built from.
struct Built {
    token: Option<SecretString>,
    routing: Option<SecretString>,
    ctx: Ctx,
}

impl LocalSecrets {
    /// The secrets the environment names.
    pub fn from_env(base: pagerduty::Client) -> anyhow::Result<Self> {
        Ok(Self::new(
            base,
            token_from_env()?,
            SecretSource::from_env("PAGERDUTY_ROUTING_KEY")?,
        ))
    }

    /// The demo account's user token, and no routing key.
    pub fn demo(base: pagerduty::Client, token: &str) -> Self {
        let source = SecretSource::fixed("demo token", token);
        Self::new(base, Some((TokenKind::ApiKey { from: None }, source)), None)
    }

    fn new(
        base: pagerduty::Client,
        token: Option<(TokenKind, SecretSource)>,
        routing_key: Option<SecretSource>,
    ) -> Self {
        Self {
            base,
            token,
            routing_key,
            current: Mutex::new(None),
        }
    }

    /// The client without a credential, to act with a caller's own.
    pub fn base(&self) -> &pagerduty::Client {
        &self.base
    }

    pub fn has_credential(&self) -> bool {
        self.token.is_some()
    }

    /// The context for a call with the secrets' current values; an error (naming the file)
    /// when a secret file can no longer be read or holds no valid value.
    pub fn ctx(&self) -> anyhow::Result<Ctx> {
        let token = self.token.as_ref().map(|(_, s)| s.read()).transpose()?;
        let routing = self.routing_key.as_ref().map(|s| s.read()).transpose()?;
        let same = |a: &Option<SecretString>, b: &Option<SecretString>| {
            a.as_ref().map(ExposeSecret::expose_secret)
                == b.as_ref().map(ExposeSecret::expose_secret)
        };
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(built) = &*current
            && same(&built.token, &token)
            && same(&built.routing, &routing)
        {
            return Ok(built.ctx.clone());
        }
        if current.is_some() {
            tracing::info!("a secret file changed; calls now use its new value");
        }
        let pd = match (&self.token, &token) {
            (Some((kind, _)), Some(token)) => self.base.with_credential(kind.credential(token)),
            _ => self.base.clone(),
        };
        let ctx = Ctx {
            pd,
            routing_key: routing
                .as_ref()
                .map(|k| RoutingKey(k.expose_secret().to_owned())),
        };
        *current = Some(Built {
            token,
            routing,
            ctx: ctx.clone(),
        });
        Ok(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_source(content: &[u8]) -> (tempdir::Dir, SecretSource) {
        let dir = tempdir::Dir::new();
        let path = dir.0.join("secret");
        std::fs::write(&path, content).unwrap();
        let source = SecretSource {
            name: "PAGERDUTY_USER_API_KEY",
            origin: Origin::File(path),
        };
        (dir, source)
    }

    /// A scratch directory removed on drop (no extra crate for one test module).
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                use std::sync::atomic::{AtomicU32, Ordering};
                static N: AtomicU32 = AtomicU32::new(0);
                let path = std::env::temp_dir().join(format!(
                    "pagerduty-mcp-secret-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn a_file_loses_its_trailing_newline_only() {
        for (content, want) in [
            (&b"tok-123\n"[..], "tok-123"),
            (b"tok-123\r\n", "tok-123"),
            (b"tok-123", "tok-123"),
        ] {
            let (_dir, source) = file_source(content);
            assert_eq!(source.read().unwrap().expose_secret(), want);
        }
        for (content, says) in [
            (&b" tok-123\n"[..], "whitespace around it"),
            (b"tok 123\n", "whitespace (U+0020)"),
            (b"\n", "is empty"),
            (b"\xff\xfe", "not UTF-8"),
        ] {
            let (_dir, source) = file_source(content);
            let err = format!("{:#}", source.read().unwrap_err());
            assert!(
                err.contains("PAGERDUTY_USER_API_KEY_FILE") && err.contains(says),
                "{content:?}: {err}"
            );
        }
    }

    #[test]
    fn an_unreadable_file_is_an_error_naming_it_and_never_its_content() {
        let (dir, source) = file_source(b"canary-secret-value\n");
        assert!(source.read().is_ok(), "positive control");
        std::fs::remove_file(dir.0.join("secret")).unwrap();
        let err = format!("{:#}", source.read().unwrap_err());
        assert!(
            err.contains("cannot read PAGERDUTY_USER_API_KEY_FILE"),
            "{err}"
        );
        assert!(err.contains(&dir.0.display().to_string()), "{err}");
        assert!(!format!("{source:?}").contains("canary"));
        let fixed = SecretSource::fixed("X", "canary-secret-value");
        assert!(!format!("{fixed:?}").contains("canary"));
    }

    #[test]
    fn a_rotated_file_gives_the_next_call_the_new_credential() {
        let (dir, source) = file_source(b"token-one\n");
        let base = pagerduty::Client::builder(
            pagerduty::ApiHost::parse("http://127.0.0.1:9", false).unwrap(),
        )
        .build();
        let local = LocalSecrets::new(base, Some((TokenKind::OAuth, source)), None);
        let fingerprint = |ctx: &Ctx| crate::secrets::fingerprint(ctx.pd.credential().unwrap());
        let first = local.ctx().unwrap();
        assert!(matches!(first.pd.credential(), Some(Credential::OAuth(_))));
        assert_eq!(
            fingerprint(&first),
            crate::secrets::fingerprint(&Credential::oauth("token-one"))
        );
        // Unchanged: the same context (and its cached user) is reused.
        assert_eq!(fingerprint(&local.ctx().unwrap()), fingerprint(&first));
        // Kubernetes swaps the whole file (a new inode) rather than writing into it.
        let next = dir.0.join("next");
        std::fs::write(&next, "token-two\n").unwrap();
        std::fs::rename(&next, dir.0.join("secret")).unwrap();
        assert_eq!(
            fingerprint(&local.ctx().unwrap()),
            crate::secrets::fingerprint(&Credential::oauth("token-two"))
        );
    }
}
