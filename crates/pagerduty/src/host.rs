//! The API host and the policy that decides where a token may be sent.

use std::net::IpAddr;
use url::Url;

/// PagerDuty's US API.
pub const US_API: &str = "https://api.pagerduty.com";
/// PagerDuty's EU API.
pub const EU_API: &str = "https://api.eu.pagerduty.com";

/// Which PagerDuty service region the host belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// `api.pagerduty.com`.
    Us,
    /// `api.eu.pagerduty.com`.
    Eu,
    /// A loopback simulator or a user-approved custom host.
    Custom,
}

/// A validated PagerDuty API base URL.
#[derive(Clone, Debug)]
pub struct ApiHost {
    url: Url,
    region: Region,
}

/// Why a base URL was refused. Messages start with the URL in backticks, so an application can
/// prefix the name of the setting it came from.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostError {
    /// Not a URL.
    #[error("`{0}` is not a valid URL")]
    Invalid(String),
    /// `http://` to a host that is not loopback.
    #[error(
        "`{0}` uses plain http; PagerDuty is only reachable over https \
         (plain http is accepted for loopback simulators only)"
    )]
    PlainHttp(String),
    /// Credentials, a query, a fragment or a path in the URL.
    #[error("`{0}` must be a bare base URL without credentials, query or fragment")]
    NotBare(String),
    /// An https host outside `pagerduty.com` while custom hosts are not allowed.
    #[error(
        "`{0}` is not a pagerduty.com host, so no token will be sent to it; \
         use {US_API} (US) or {EU_API} (EU), or allow custom hosts if you really run a proxy there"
    )]
    NotPagerDuty(String),
    /// A scheme other than http(s).
    #[error("`{0}` has an unsupported scheme; use https")]
    Scheme(String),
}

impl ApiHost {
    /// Applies the host policy: https only; `http://` only to loopback; hosts outside
    /// `pagerduty.com` only with `allow_custom`.
    pub fn parse(raw: &str, allow_custom: bool) -> Result<Self, HostError> {
        let trimmed = raw.trim().trim_end_matches('/');
        let url = Url::parse(trimmed).map_err(|_| HostError::Invalid(raw.to_owned()))?;
        if !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
            || !matches!(url.path(), "" | "/")
        {
            return Err(HostError::NotBare(redact(&url)));
        }
        let host = url
            .host_str()
            .ok_or_else(|| HostError::Invalid(raw.to_owned()))?
            .to_ascii_lowercase();
        let region = match url.scheme() {
            "http" if is_loopback(&host) => Region::Custom,
            "http" => return Err(HostError::PlainHttp(trimmed.to_owned())),
            "https" if host == "api.eu.pagerduty.com" => Region::Eu,
            "https" if host == "pagerduty.com" || host.ends_with(".pagerduty.com") => {
                if host.contains(".eu.") {
                    Region::Eu
                } else {
                    Region::Us
                }
            }
            "https" if allow_custom || is_loopback(&host) => Region::Custom,
            "https" => return Err(HostError::NotPagerDuty(trimmed.to_owned())),
            _ => return Err(HostError::Scheme(trimmed.to_owned())),
        };
        Ok(Self { url, region })
    }

    /// PagerDuty's US API.
    pub fn us() -> Self {
        Self {
            url: Url::parse(US_API).unwrap_or_else(|_| unreachable_url()),
            region: Region::Us,
        }
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The region it belongs to.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The base URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }
}

impl std::fmt::Display for ApiHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// `Url::parse` of a constant cannot fail; this keeps the no-panic lint honest.
fn unreachable_url() -> Url {
    Url::from_directory_path("/").unwrap_or_else(|_| unreachable_url())
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_regions_and_loopback() {
        for (raw, region, shown) in [
            (US_API, Region::Us, US_API),
            ("https://api.eu.pagerduty.com/", Region::Eu, EU_API),
            (
                "http://127.0.0.1:8080",
                Region::Custom,
                "http://127.0.0.1:8080",
            ),
            ("http://[::1]:1", Region::Custom, "http://[::1]:1"),
            ("http://localhost:9", Region::Custom, "http://localhost:9"),
        ] {
            let host = ApiHost::parse(raw, false).unwrap();
            assert_eq!((host.region(), host.as_str()), (region, shown), "{raw}");
        }
    }

    #[test]
    fn refuses_what_the_policy_forbids() {
        // Each refusal names the URL it refused.
        type Refusal = fn(String) -> HostError;
        let refusals: [(&str, Refusal); 6] = [
            ("http://api.pagerduty.com", HostError::PlainHttp),
            ("http://10.0.0.1", HostError::PlainHttp),
            ("https://evil.example", HostError::NotPagerDuty),
            (
                "https://pagerduty.com.evil.example",
                HostError::NotPagerDuty,
            ),
            ("ftp://api.pagerduty.com", HostError::Scheme),
            ("not a url", HostError::Invalid),
        ];
        for (raw, refusal) in refusals {
            assert_eq!(ApiHost::parse(raw, false).unwrap_err(), refusal(raw.into()));
        }
        // A URL that is not bare is shown without its userinfo and query.
        for (raw, shown) in [
            (
                "https://u:p@api.pagerduty.com",
                "https://api.pagerduty.com/",
            ),
            (
                "https://api.pagerduty.com/x?y",
                "https://api.pagerduty.com/x",
            ),
        ] {
            let e = ApiHost::parse(raw, false).unwrap_err();
            assert_eq!(e, HostError::NotBare(shown.into()));
        }
        // The positive control: a custom host is accepted when allowed.
        assert_eq!(
            ApiHost::parse("https://proxy.example", true)
                .unwrap()
                .region(),
            Region::Custom
        );
    }

    #[test]
    fn refusal_does_not_echo_userinfo() {
        let e = ApiHost::parse("https://user:hunter2@api.pagerduty.com/p", false).unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
    }
}
