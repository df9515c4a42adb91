//! Secrets in tool arguments, results and planned requests: masked wherever they are shown
//! other than to PagerDuty itself (logs at every level, the audit log, dry runs, confirmation
//! questions). The credential itself never enters these; here it only gets a fingerprint.

use pagerduty::Credential;
use secrecy::ExposeSecret;
use serde_json::Value;
use sha2::{Digest, Sha256};

const MASK: &str = "<redacted>";

/// Whether a field of this name holds a secret: Events API routing keys, webhook signing
/// secrets, tokens, passwords.
fn secret_field(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key == "routing_key"
        || key == "integration_key"
        || key == "authorization"
        || ["secret", "token", "password", "api_key"]
            .iter()
            .any(|s| key.contains(s))
}

/// Masks secret fields at any depth, in place: routing keys keep their last four characters
/// (enough to tell two apart), other secrets and webhook custom-header values become
/// `<redacted>`.
pub fn mask(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (k, field) in o.iter_mut() {
                if k == "custom_headers" {
                    mask_header_values(field);
                } else if secret_field(k) {
                    mask_value(k, field);
                } else {
                    mask(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// A masked copy.
pub fn masked(v: &Value) -> Value {
    let mut v = v.clone();
    mask(&mut v);
    v
}

fn mask_value(key: &str, v: &mut Value) {
    match v {
        Value::String(s) if key.ends_with("routing_key") || key == "integration_key" => {
            *s = pagerduty::events::mask_routing_key(s);
        }
        Value::Null | Value::Bool(_) => {}
        _ => *v = Value::from(MASK),
    }
}

/// `[{"name": …, "value": …}]`: a header's value is a credential of the receiving endpoint.
fn mask_header_values(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(mask_header_values),
        Value::Object(o) => {
            if let Some(value) = o.get_mut("value")
                && !value.is_null()
            {
                *value = Value::from(MASK);
            }
        }
        Value::String(_) => *v = Value::from(MASK),
        _ => {}
    }
}

/// A non-reversible fingerprint of the credential for the audit log: the credential kind and
/// the first 16 hex digits of the token's SHA-256. Two lines with one fingerprint were made with
/// one token; the token cannot be recovered from it.
pub fn fingerprint(credential: &Credential) -> String {
    let token = match credential {
        Credential::UserToken(t) | Credential::OAuth(t) | Credential::AccountKey { key: t, .. } => {
            t.expose_secret()
        }
    };
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_every_secret_kind_and_keeps_the_rest() {
        let key = "0123456789abcdef0123456789abcdef";
        let mut v = json!({
            "routing_key": key,
            "summary": "disk full",
            "delivery_method": {
                "url": "https://hooks.example.com/x",
                "secret": "whsec-SIGNING-canary",
                "custom_headers": [{"name": "X-Api-Key", "value": "hdr-canary"}]
            },
            "nested": [{"client_secret": "cs-canary", "access_token": "tok-canary", "password": "pw-canary"}],
            "dedup_key": "keep-me"
        });
        mask(&mut v);
        let shown = v.to_string();
        for secret in [
            key,
            "whsec-SIGNING-canary",
            "hdr-canary",
            "cs-canary",
            "tok-canary",
            "pw-canary",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("cdef"),
            "the routing key keeps its tail: {shown}"
        );
        assert_eq!(
            v["delivery_method"]["custom_headers"][0]["name"],
            "X-Api-Key"
        );
        assert_eq!(v["dedup_key"], "keep-me");
        assert_eq!(v["summary"], "disk full");
        assert_eq!(v["delivery_method"]["url"], "https://hooks.example.com/x");
    }

    #[test]
    fn fingerprints_identify_without_revealing() {
        let a = fingerprint(&Credential::user_token("canary-token-A"));
        let b = fingerprint(&Credential::oauth("canary-token-B"));
        assert_ne!(a, b);
        assert_eq!(a, fingerprint(&Credential::user_token("canary-token-A")));
        assert!(a.starts_with("sha256:") && a.len() == 23 && !a.contains("canary"));
    }
}
