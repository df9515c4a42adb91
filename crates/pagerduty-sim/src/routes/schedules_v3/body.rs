//! Parsing v3 request bodies: each field error is collected with its path, so one 400 lists
//! them all.

use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::schedule_v3::{Event, Member, Strategy, Zoned, check_recurrence};
use crate::store::Account;

/// Collected field errors for one request.
#[derive(Default)]
pub struct Errs(pub(super) Vec<(String, String)>);

impl Errs {
    pub(super) fn add(&mut self, field: impl Into<String>, msg: impl Into<String>) {
        self.0.push((field.into(), msg.into()));
    }
    pub(super) fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::v3_invalid(self.0))
        }
    }
}

pub(super) fn object<'a>(
    body: &'a Value,
    key: &str,
    errs: &mut Errs,
) -> Option<&'a Map<String, Value>> {
    let o = body.get(key).and_then(Value::as_object);
    if o.is_none() {
        errs.add(key, "is required and must be an object");
    }
    o
}

pub(super) fn opt<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !v.is_null())
}

pub(super) fn time(v: &Value, path: &str, errs: &mut Errs) -> Option<Timestamp> {
    match v.as_str().map(str::parse::<Timestamp>) {
        Some(Ok(t)) => Some(t),
        _ => {
            errs.add(path, "must be an ISO 8601 date-time with an offset");
            None
        }
    }
}

pub(super) fn zone(v: &Value, path: &str, errs: &mut Errs) -> Option<String> {
    match v.as_str() {
        Some(z) if TimeZone::get(z).is_ok() => Some(z.to_owned()),
        _ => {
            errs.add(path, "must be an IANA time zone");
            None
        }
    }
}

pub(super) fn zoned(v: &Value, path: &str, errs: &mut Errs) -> Option<Zoned> {
    let at = v
        .get("date_time")
        .and_then(|d| time(d, &format!("{path}.date_time"), errs));
    let tz = zone(
        v.get("time_zone").unwrap_or(&Value::Null),
        &format!("{path}.time_zone"),
        errs,
    );
    if v.get("date_time").is_none() {
        errs.add(format!("{path}.date_time"), "is required");
    }
    Some(Zoned {
        at: at?,
        time_zone: tz?,
    })
}

pub(super) fn member(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Member> {
    let uid = v.get("user_id").and_then(Value::as_str);
    match (v.get("type").and_then(Value::as_str), uid) {
        (Some("user_member"), Some(u)) if a.user(u).is_some() => Some(Member::User(u.into())),
        (Some("user_member"), Some(u)) => {
            errs.add(format!("{path}.user_id"), format!("User {u} not found"));
            None
        }
        (Some("user_member"), None) => {
            errs.add(format!("{path}.user_id"), "is required for a user_member");
            None
        }
        (Some("empty_member"), None) => Some(Member::Empty),
        (Some("empty_member"), Some(_)) => {
            errs.add(
                format!("{path}.user_id"),
                "must be absent for an empty_member",
            );
            None
        }
        _ => {
            errs.add(
                format!("{path}.type"),
                "must be user_member or empty_member",
            );
            None
        }
    }
}

pub(super) fn strategy(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Strategy> {
    let kind = v.get("type").and_then(Value::as_str);
    let kind = match kind {
        Some(k @ ("rotating_member_assignment_strategy" | "every_member_assignment_strategy")) => k,
        _ => {
            errs.add(
                format!("{path}.type"),
                "must be rotating_member_assignment_strategy or every_member_assignment_strategy",
            );
            return None;
        }
    };
    let members = v.get("members").and_then(Value::as_array);
    let members = match members {
        Some(m) if (1..=20).contains(&m.len()) => m,
        _ => {
            errs.add(format!("{path}.members"), "must list 1 to 20 members");
            return None;
        }
    };
    let parsed: Vec<Option<Member>> = members
        .iter()
        .enumerate()
        .map(|(i, m)| member(a, m, &format!("{path}.members[{i}]"), errs))
        .collect();
    let shifts = v.get("shifts_per_member").and_then(Value::as_i64);
    if kind == "rotating_member_assignment_strategy" && shifts.is_none_or(|n| n < 1) {
        errs.add(
            format!("{path}.shifts_per_member"),
            "is required for a rotating strategy and must be at least 1",
        );
        return None;
    }
    Some(Strategy {
        kind: kind.into(),
        shifts_per_member: shifts,
        members: parsed.into_iter().collect::<Option<Vec<_>>>()?,
    })
}

pub(super) fn recurrence(v: &Value, path: &str, errs: &mut Errs) -> Option<Vec<String>> {
    let lines: Option<Vec<String>> = v
        .as_array()
        .and_then(|a| a.iter().map(|l| l.as_str().map(String::from)).collect());
    let Some(lines) = lines else {
        errs.add(path, "must be an array of RFC 5545 lines");
        return None;
    };
    match check_recurrence(&lines) {
        Ok(()) => Some(lines),
        Err(e) => {
            errs.add(path, e);
            None
        }
    }
}

pub(super) fn required<T>(errs: &mut Errs, path: String) -> Option<T> {
    errs.add(path, "is required");
    None
}

/// An event from `o`; fields absent from `o` come from `base` (update), else are required.
pub(super) fn event(
    a: &Account,
    o: &Map<String, Value>,
    path: &str,
    base: Option<&Event>,
    id: String,
    errs: &mut Errs,
) -> Option<Event> {
    let f = |k: &str| format!("{path}.{k}");
    let name = match opt(o, "name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.len() <= 255 => Some(n.clone()),
        Some(_) => {
            errs.add(
                f("name"),
                "must be a non-empty string of at most 255 characters",
            );
            None
        }
        None => base
            .map(|b| b.name.clone())
            .or_else(|| required(errs, f("name"))),
    };
    let start = match opt(o, "start_time") {
        Some(v) => zoned(v, &f("start_time"), errs),
        None => base
            .map(|b| b.start_time.clone())
            .or_else(|| required(errs, f("start_time"))),
    };
    let end = match opt(o, "end_time") {
        Some(v) => zoned(v, &f("end_time"), errs),
        None => base
            .map(|b| b.end_time.clone())
            .or_else(|| required(errs, f("end_time"))),
    };
    let since = match opt(o, "effective_since") {
        Some(v) => time(v, &f("effective_since"), errs),
        None => base
            .map(|b| b.effective_since)
            .or_else(|| required(errs, f("effective_since"))),
    };
    let until = match o.get("effective_until") {
        Some(Value::Null) => None,
        Some(v) => time(v, &f("effective_until"), errs),
        None => base.and_then(|b| b.effective_until),
    };
    let rec = match opt(o, "recurrence") {
        Some(v) => recurrence(v, &f("recurrence"), errs),
        None => base
            .map(|b| b.recurrence.clone())
            .or_else(|| required(errs, f("recurrence"))),
    };
    let strat = match opt(o, "assignment_strategy") {
        Some(v) => strategy(a, v, &f("assignment_strategy"), errs),
        None => base
            .map(|b| b.strategy.clone())
            .or_else(|| required(errs, f("assignment_strategy"))),
    };
    if let (Some(s), Some(e)) = (&start, &end)
        && e.at <= s.at
    {
        errs.add(f("end_time"), "must be after start_time");
    }
    if let (Some(s), Some(u)) = (since, until)
        && u <= s
    {
        errs.add(f("effective_until"), "must be after effective_since");
    }
    Some(Event {
        id,
        name: name?,
        start_time: start?,
        end_time: end?,
        effective_since: since?,
        effective_until: until,
        recurrence: rec?,
        strategy: strat?,
    })
}

pub(super) fn assignment(a: &Account, v: &Value, path: &str, errs: &mut Errs) -> Option<Member> {
    match v.as_array().map(Vec::as_slice) {
        Some([one]) => match one.get("member") {
            Some(m) => member(a, m, &format!("{path}[0].member"), errs),
            None => {
                errs.add(format!("{path}[0].member"), "is required");
                None
            }
        },
        _ => {
            errs.add(path, "must hold exactly one assignment");
            None
        }
    }
}

pub(super) fn span(
    o: &Map<String, Value>,
    path: &str,
    base: Option<(Timestamp, Timestamp)>,
    errs: &mut Errs,
) -> Option<(Timestamp, Timestamp)> {
    let one = |k: &str, b: Option<Timestamp>, errs: &mut Errs| match opt(o, k) {
        Some(v) => time(v, &format!("{path}.{k}"), errs),
        None if b.is_some() => b,
        None => {
            errs.add(format!("{path}.{k}"), "is required");
            None
        }
    };
    let start = one("start_time", base.map(|b| b.0), errs);
    let end = one("end_time", base.map(|b| b.1), errs);
    let (start, end) = (start?, end?);
    if end <= start {
        errs.add(format!("{path}.end_time"), "must be after start_time");
        return None;
    }
    Some((start, end))
}
