//! `--redact`: masks email addresses, phone numbers and user-supplied patterns in every tool
//! result before it reaches the model.

use regex::Regex;
use serde_json::Value;

pub struct Redactor {
    patterns: Vec<(Regex, &'static str)>,
}

/// Addresses in any script (`mörgan@bücher.de`), and local ones without a dot (`root@localhost`).
const EMAIL: &str = r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*";
/// E.164 and other `+` numbers (`+44 20 7946 0958`), `00` international prefixes
/// (`0049 30 1234567`), North American numbers (`(555) 123-4567`, `4155550100`) and national
/// numbers with a trunk prefix (`020 7946 0958`).
const PHONE: &str = concat!(
    r"\+\d[\d\s().-]{5,}\d",
    r"|\b00\d{1,3}[\s.-]?\d(?:[\s.-]?\d){5,12}\b",
    r"|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b",
    r"|\b\d{10,11}\b",
    r"|\b0\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{3,4}\b",
);

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

    /// Masks every string in a JSON value, object keys included (an email used as a key in
    /// alert `custom_details`), in place. Keys that mask alike are numbered to stay distinct.
    pub fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => {
                let masked = self.text(s);
                if masked != *s {
                    *s = masked;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(i)),
            Value::Object(o) => {
                if o.keys().any(|k| self.text(k) != *k) {
                    let old = std::mem::take(o);
                    for (k, mut field) in old {
                        let mut key = self.text(&k);
                        let base = key.clone();
                        let mut n = 1;
                        while o.contains_key(&key) {
                            n += 1;
                            key = format!("{base} {n}");
                        }
                        self.value(&mut field);
                        o.insert(key, field);
                    }
                } else {
                    o.values_mut().for_each(|i| self.value(i));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_emails_and_phones_in_every_common_form_and_keeps_the_rest() {
        let r = Redactor::new(&["db-\\d+".into()]).unwrap();
        let cases = [
            // Emails: ASCII, IDN, local-part only.
            (
                "ping morgan.lee@example.com now",
                "ping [email redacted] now",
            ),
            ("o'brien+ops@example.co.uk", "[email redacted]"),
            ("mörgan@bücher.de", "[email redacted]"),
            ("пользователь@пример.рф", "[email redacted]"),
            ("mail root@localhost.", "mail [email redacted]."),
            // Phones: E.164, separators, 00 prefix, North American, national trunk prefix.
            ("call +44 20 7946 0958", "call [phone redacted]"),
            ("+14155550100", "[phone redacted]"),
            ("or (555) 123-4567.", "or [phone redacted]."),
            ("sms 4155550100", "sms [phone redacted]"),
            ("415.555.0100", "[phone redacted]"),
            ("uk 020 7946 0958", "uk [phone redacted]"),
            ("de 0049 30 1234567", "de [phone redacted]"),
            ("030 1234567", "[phone redacted]"),
            // A user pattern.
            ("disk full on db-3", "disk full on [redacted]"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input), expected, "{input}");
        }
        for keep in [
            "2026-11-23T19:10:00Z",
            "2026-11-23",
            "PABC123",
            "incident 239",
            "10.0.0.12",
            "v1.2.3",
            "took 1500 ms",
            "Q1RV1K4M8YL3JP",
        ] {
            assert_eq!(r.text(keep), keep);
        }
    }

    #[test]
    fn masks_values_and_object_keys_at_any_depth() {
        let r = Redactor::new(&[]).unwrap();
        let mut v = serde_json::json!({
            "user": {"email": "a@b.io", "n": 3},
            "list": ["x@y.org"],
            "custom_details": {"a@example.com": "paged", "b@example.com": "paged", "host": "web-1"}
        });
        r.value(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "user": {"email": "[email redacted]", "n": 3},
                "list": ["[email redacted]"],
                "custom_details": {"[email redacted]": "paged", "[email redacted] 2": "paged", "host": "web-1"}
            })
        );
    }
}
