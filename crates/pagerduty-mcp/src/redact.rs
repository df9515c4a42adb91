//! `--redact`: masks email addresses, phone numbers and user-supplied patterns in every tool
//! result before it reaches the model.

use regex::Regex;
use serde_json::Value;

pub struct Redactor {
    patterns: Vec<(Regex, &'static str)>,
}

const EMAIL: &str = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}";
/// International numbers (`+44 20 7946 0958`) and North American ones (`(555) 123-4567`).
const PHONE: &str = r"\+\d[\d\s().-]{6,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b";

impl Redactor {
    /// The built-in patterns plus `extra` ones (regular expressions).
    pub fn new(extra: &[String]) -> Result<Self, regex::Error> {
        let mut patterns = vec![
            (Regex::new(EMAIL)?, "[email redacted]"),
            (Regex::new(PHONE)?, "[phone redacted]"),
        ];
        for p in extra {
            patterns.push((Regex::new(p)?, "[redacted]"));
        }
        Ok(Self { patterns })
    }

    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for (re, mask) in &self.patterns {
            if re.is_match(&out) {
                out = re.replace_all(&out, *mask).into_owned();
            }
        }
        out
    }

    /// Masks every string in a JSON value, in place.
    pub fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => {
                let masked = self.text(s);
                if masked != *s {
                    *s = masked;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(i)),
            Value::Object(o) => o.values_mut().for_each(|i| self.value(i)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_emails_phones_and_patterns_but_not_times_or_ids() {
        let r = Redactor::new(&["db-\\d+".into()]).unwrap();
        assert_eq!(
            r.text("ping morgan.lee@example.com now"),
            "ping [email redacted] now"
        );
        assert_eq!(r.text("call +44 20 7946 0958"), "call [phone redacted]");
        assert_eq!(r.text("or (555) 123-4567."), "or [phone redacted].");
        assert_eq!(r.text("disk full on db-3"), "disk full on [redacted]");
        for keep in [
            "2026-11-23T19:10:00Z",
            "PABC123",
            "incident 239",
            "10.0.0.12",
        ] {
            assert_eq!(r.text(keep), keep);
        }
        let mut v = serde_json::json!({"user": {"email": "a@b.io", "n": 3}, "list": ["x@y.org"]});
        r.value(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"user": {"email": "[email redacted]", "n": 3}, "list": ["[email redacted]"]})
        );
    }
}
