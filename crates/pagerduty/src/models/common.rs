use serde::{Deserialize, Serialize};

/// A pointer to another PagerDuty object: `{id, type, summary}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Its docs are schema text: see the crate docs.
pub struct Reference {
    pub id: String,
    /// E.g. `user_reference`, `service_reference`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The object's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Reference {
    /// A reference to the object `id` of type `kind`.
    pub fn new(id: impl Into<String>, kind: &str) -> Self {
        Self {
            id: id.into(),
            kind: Some(kind.to_owned()),
            summary: None,
        }
    }
}

/// For optional fields PagerDuty may omit, send as `null` or vary (a new enum value, another
/// type): anything that does not decode is read as absent, so one odd field never fails a whole
/// answer. A number where a string is expected (an id declared as an integer while examples use
/// strings, e.g. analytics' `responder_id`) is read as its digits.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    if let serde_json::Value::Number(n) = &v
        && let Ok(t) = serde_json::from_value(serde_json::Value::String(n.to_string()))
    {
        return Ok(Some(t));
    }
    Ok(serde_json::from_value(v).ok())
}

/// An instant, serialized as RFC 3339 in UTC (`2026-11-23T19:20:00Z`). Parsing also takes a
/// bare date (`2026-11-23`, midnight UTC) or a date-time without offset (taken as UTC), the
/// forms people and models often write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Time(pub jiff::Timestamp);

impl std::str::FromStr for Time {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        use jiff::civil;
        use jiff::tz::TimeZone;
        let s = s.trim();
        if let Ok(t) = s.parse::<jiff::Timestamp>() {
            return Ok(Self(t));
        }
        let civil = s.parse::<civil::DateTime>().or_else(|_| {
            s.parse::<civil::Date>()
                .map(|d| d.to_datetime(civil::Time::midnight()))
        });
        civil
            .ok()
            .and_then(|dt| dt.to_zoned_datetime(TimeZone::UTC).ok())
            .map(|z| Self(z.timestamp()))
            .ok_or_else(|| format!("`{s}` is not a time; use RFC 3339 like 2026-11-23T09:30:00Z or a date like 2026-11-23"))
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date-time"})
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Time;

    #[test]
    fn parses_what_people_write() {
        let t = |s: &str| s.parse::<Time>().map(|t| t.to_string());
        assert_eq!(t("2026-11-23T09:30:00Z").unwrap(), "2026-11-23T09:30:00Z");
        assert_eq!(
            t("2026-11-23T09:30:00+01:00").unwrap(),
            "2026-11-23T08:30:00Z"
        );
        assert_eq!(t("2026-11-23").unwrap(), "2026-11-23T00:00:00Z");
        assert_eq!(t("2026-11-23T09:30").unwrap(), "2026-11-23T09:30:00Z");
        assert!(t("last tuesday").unwrap_err().contains("RFC 3339"));
    }
}
