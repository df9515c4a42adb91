//! `pagerduty-mcp doctor`: checks the configuration and the credential against PagerDuty, and
//! says how to fix each problem.

use pagerduty::models::UserRole;
use pagerduty::{ApiHost, Client, Credential, Region};

use crate::config::Options;
use crate::credentials::credential_from_env;

struct Report {
    failed: bool,
}

impl Report {
    fn ok(&self, what: &str, detail: impl std::fmt::Display) {
        println!("[ok]   {what}: {detail}");
    }

    fn warn(&self, what: &str, detail: impl std::fmt::Display) {
        println!("[warn] {what}: {detail}");
    }

    fn fail(&mut self, what: &str, detail: impl std::fmt::Display, fix: &str) {
        self.failed = true;
        println!("[FAIL] {what}: {detail}\n       fix: {fix}");
    }
}

/// Runs every check; `Ok(true)` when all passed.
pub async fn run(options: &Options) -> anyhow::Result<bool> {
    let mut r = Report { failed: false };
    let (host, credential, _demo) = if options.demo {
        let (sim, host) = crate::config::demo_account().await?;
        r.ok("mode", "demo: the built-in simulated account");
        let token = Credential::user_token(crate::config::demo_token(&sim));
        (host, Some(token), Some(sim))
    } else {
        let host = match ApiHost::parse(&options.api_host, options.allow_custom_api_host) {
            Ok(h) => h,
            Err(e) => {
                r.fail("API host", crate::error::explain_host(&e), "set PAGERDUTY_API_HOST to https://api.pagerduty.com or https://api.eu.pagerduty.com");
                return Ok(false);
            }
        };
        let credential = match credential_from_env() {
            Ok(c) => c,
            Err(e) => {
                r.fail(
                    "credential",
                    e,
                    "set the variable named above to the token alone, and only one of \
                     PAGERDUTY_USER_API_KEY / PAGERDUTY_OAUTH_TOKEN",
                );
                return Ok(false);
            }
        };
        (host, credential, None)
    };
    let region = match host.region() {
        Region::Us => "US",
        Region::Eu => "EU",
        Region::Custom => "custom host",
    };
    r.ok("API host", format!("{host} ({region})"));
    let Some(credential) = credential else {
        r.fail(
            "credential",
            "none set",
            "create a user API token (PagerDuty → My Profile → User Settings) and set PAGERDUTY_USER_API_KEY",
        );
        return Ok(false);
    };
    let kind = match &credential {
        Credential::AccountKey { from, .. } => {
            format!(
                "{} acting as {}",
                credential.kind(),
                from.as_deref().unwrap_or("nobody")
            )
        }
        c => c.kind().to_owned(),
    };
    r.ok("credential", kind);
    let client = Client::builder(host.clone())
        .credential(Some(credential.clone()))
        .timeout(std::time::Duration::from_secs(options.api_timeout.max(1)))
        .max_response_bytes(options.max_api_response_bytes)
        .build();
    match client.current_user().await {
        Ok(user) => {
            let role = user
                .role
                .map_or_else(|| "unknown".to_owned(), |r| format!("{r:?}"));
            r.ok(
                "PagerDuty answers",
                format!(
                    "the credential works and acts as {} <{}>, role {role}",
                    user.name, user.email
                ),
            );
            let read_only = matches!(
                user.role,
                Some(UserRole::Observer | UserRole::ReadOnlyUser | UserRole::ReadOnlyLimitedUser)
            );
            match (options.enable_write_tools, read_only) {
                (true, true) => r.fail(
                    "write tools",
                    "enabled, but this user's role cannot change anything in PagerDuty",
                    "drop --enable-write-tools, or use a token of a user with a responder role or higher",
                ),
                (true, false) => r.ok("write tools", "enabled, and the role allows changes"),
                (false, true) => r.ok("write tools", "off (and the role is read-only)"),
                (false, false) => r.ok("write tools", "off; add --enable-write-tools to let the assistant make changes"),
            }
        }
        Err(e) => {
            let other = match host.region() {
                Region::Us => Some(pagerduty::host::EU_API),
                Region::Eu => Some(pagerduty::host::US_API),
                Region::Custom => None,
            };
            let fix = match (e.status(), other) {
                // The HTTP client is set up on the first request, so this is where a machine
                // without root certificates shows.
                _ if matches!(e, pagerduty::Error::Setup { .. }) => "install the system's CA certificates (e.g. the ca-certificates package), or point SSL_CERT_FILE at a PEM bundle".to_owned(),
                (Some(401), Some(other)) => format!(
                    "check the token is current; if the account is in the other region, set PAGERDUTY_API_HOST={other}"
                ),
                (Some(401), None) => "check the token is current and belongs to this host's account".to_owned(),
                (Some(400), _) => "this looks like an account-level key: set PAGERDUTY_FROM_EMAIL to the email of the user to act as".to_owned(),
                (None, _) => "check the network path to the API host (proxy, firewall, DNS)".to_owned(),
                _ => "see the message above".to_owned(),
            };
            r.fail("PagerDuty answers", crate::error::explain(&e), &fix);
        }
    }
    if matches!(credential, Credential::AccountKey { .. }) {
        r.warn(
            "account key",
            "a read-only account key fails only when a write is tried; doctor cannot tell",
        );
    }
    Ok(!r.failed)
}
