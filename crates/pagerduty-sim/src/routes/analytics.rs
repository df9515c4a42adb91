//! Analytics metrics computed from the account's incidents and log entries.
//!
//! Definitions (per selected incident, i.e. created in `[start, end)` and matching the
//! filters): seconds to first ack = first `acknowledge_log_entry` − created_at; seconds to
//! resolve = resolved_at − created_at; engaged seconds = resolved_at − first ack (acknowledged
//! and resolved incidents only); a notification is a `notify_log_entry`; an interruption is a
//! notification on a high-urgency incident, classed by the recipient's local time as business
//! hours (Mon–Fri 08:00–18:00), off hours (the rest) and sleep hours (22:00–08:00, a subset of
//! off hours). Means are rounded to the nearest second; a mean over no incidents is omitted.
//! Percentiles use the nearest-rank method.

use std::collections::BTreeMap;

use axum::{
    Json,
    routing::{MethodRouter, post},
};
use jiff::{Timestamp, ToSpan, ZonedDateTime as Zoned, civil, tz::TimeZone};
use serde_json::{Map, Value, json};

use super::{Ctx, JsonReply, PdJson, read};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::paging::parse_time;
use crate::store::{Account, Agent, Credential, Incident, Urgency};

/// What an analytics request aggregates by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Group {
    All,
    Service,
    Team,
    Responder,
    TeamResponder,
}

impl Group {
    fn responders(self) -> bool {
        matches!(self, Self::Responder | Self::TeamResponder)
    }
}

/// The parsed request body.
struct Query {
    start: Timestamp,
    end: Timestamp,
    urgency: Option<String>,
    team_ids: Vec<String>,
    service_ids: Vec<String>,
    responder_ids: Vec<String>,
    priority_ids: Vec<String>,
    tz: TimeZone,
    tz_name: String,
    order: Option<String>,
    order_by: Option<String>,
    unit: Option<String>,
}

fn strings(filters: &Value, name: &str) -> ApiResult<Vec<String>> {
    match filters.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    ApiError::invalid(format!("filters.{name} must be an array of ids"))
                })
            })
            .collect(),
        Some(_) => Err(ApiError::invalid(format!(
            "filters.{name} must be an array of ids"
        ))),
    }
}

fn parse(body: &Value, group: Group, caller: &Caller) -> ApiResult<Query> {
    let filters = body.get("filters").cloned().unwrap_or(Value::Null);
    let (s_name, e_name) = if group.responders() {
        ("date_range_start", "date_range_end")
    } else {
        ("created_at_start", "created_at_end")
    };
    let time = |name: &str| -> ApiResult<Timestamp> {
        let v = filters
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::invalid(format!("filters.{name} is required")))?;
        parse_time(&format!("filters.{name}"), v)
    };
    let (start, end) = (time(s_name)?, time(e_name)?);
    if start >= end {
        return Err(ApiError::invalid(format!(
            "filters.{s_name} must be before filters.{e_name}"
        )));
    }
    let urgency = match filters.get("urgency") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) if u == "high" || u == "low" => Some(u.clone()),
        Some(_) => return Err(ApiError::invalid("filters.urgency must be high or low")),
    };
    let team_ids = strings(&filters, "team_ids")?;
    let service_ids = if group.responders() {
        Vec::new()
    } else {
        strings(&filters, "service_ids")?
    };
    let responder_ids = if group.responders() {
        strings(&filters, "responder_ids")?
    } else {
        Vec::new()
    };
    let user_level = !matches!(caller.credential, Credential::AccountKey { .. });
    if user_level && team_ids.is_empty() && service_ids.is_empty() && responder_ids.is_empty() {
        let which = if group.responders() {
            "team_ids or responder_ids"
        } else {
            "team_ids or service_ids"
        };
        return Err(ApiError::invalid(format!(
            "A {which} filter is required for user-level API keys and OAuth tokens"
        )));
    }
    let tz_name = body
        .get("time_zone")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("Etc/UTC")
        .to_string();
    let tz = TimeZone::get(&tz_name).map_err(|_| {
        ApiError::invalid(format!("time_zone '{tz_name}' is not a valid time zone"))
    })?;
    let order = match body.get("order") {
        None | Some(Value::Null) => None,
        Some(Value::String(o)) if o == "asc" || o == "desc" => Some(o.clone()),
        Some(_) => return Err(ApiError::invalid("order must be asc or desc")),
    };
    let unit = match body.get("aggregate_unit") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) if ["day", "week", "month"].contains(&u.as_str()) => Some(u.clone()),
        Some(_) => {
            return Err(ApiError::invalid(
                "aggregate_unit must be day, week or month",
            ));
        }
    };
    Ok(Query {
        start,
        end,
        urgency,
        team_ids,
        service_ids,
        responder_ids,
        priority_ids: strings(&filters, "priority_ids")?,
        tz,
        tz_name,
        order,
        order_by: body
            .get("order_by")
            .and_then(Value::as_str)
            .map(str::to_owned),
        unit,
    })
}

/// When a notification reached its recipient, in their own time zone.
#[derive(Clone, Copy, Default)]
struct Hours {
    business: i64,
    off: i64,
    sleep: i64,
}

impl std::ops::AddAssign for Hours {
    fn add_assign(&mut self, h: Hours) {
        self.business += h.business;
        self.off += h.off;
        self.sleep += h.sleep;
    }
}

fn classify(a: &Account, user: &str, at: Timestamp) -> Hours {
    let tz = a
        .user(user)
        .and_then(|u| TimeZone::get(&u.time_zone).ok())
        .unwrap_or(TimeZone::UTC);
    let z = at.to_zoned_datetime(tz);
    let hour = z.hour();
    let weekday = z.weekday().to_monday_one_offset();
    let business = weekday <= 5 && (8..18).contains(&hour);
    Hours {
        business: i64::from(business),
        off: i64::from(!business),
        sleep: i64::from(!(8..22).contains(&hour)),
    }
}

/// What one incident contributes, read from its log entries.
struct Facts<'a> {
    inc: &'a Incident,
    first_ack: Option<Timestamp>,
    acks: Vec<(String, Timestamp)>,
    auto_resolved: bool,
    /// (user, at)
    notifications: Vec<(String, Timestamp)>,
    assignments: i64,
    /// (by a user, assignees)
    escalations: Vec<(bool, Vec<String>)>,
    reassignments: Vec<Vec<String>>,
}

fn facts<'a>(a: &'a Account, inc: &'a Incident) -> Facts<'a> {
    let mut f = Facts {
        inc,
        first_ack: None,
        acks: Vec::new(),
        auto_resolved: false,
        notifications: Vec::new(),
        assignments: 0,
        escalations: Vec::new(),
        reassignments: Vec::new(),
    };
    for e in a.log_entries.iter().filter(|e| e.incident_id == inc.id) {
        match e.kind.as_str() {
            "acknowledge_log_entry" => {
                f.first_ack = Some(f.first_ack.map_or(e.created_at, |t| t.min(e.created_at)));
                if let Agent::User(u) = &e.agent {
                    f.acks.push((u.clone(), e.created_at));
                }
            }
            "resolve_log_entry" => f.auto_resolved = matches!(e.agent, Agent::Service(_)),
            "notify_log_entry" => {
                if let Some(u) = &e.user_id {
                    f.notifications.push((u.clone(), e.created_at));
                }
            }
            "assign_log_entry" => {
                f.assignments += 1;
                if matches!(e.agent, Agent::User(_)) {
                    f.reassignments.push(e.assignees.clone());
                }
            }
            "escalate_log_entry" => f
                .escalations
                .push((matches!(e.agent, Agent::User(_)), e.assignees.clone())),
            _ => {}
        }
    }
    f
}

fn mean(v: &[i64]) -> Option<i64> {
    (!v.is_empty()).then(|| (v.iter().sum::<i64>() as f64 / v.len() as f64).round() as i64)
}

fn percentile(v: &[i64], p: f64) -> Option<i64> {
    let mut s = v.to_vec();
    s.sort_unstable();
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s.get(rank.max(1) - 1).copied()
}

fn secs(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs()
}

fn put(row: &mut Map<String, Value>, key: &str, v: Option<i64>) {
    if let Some(v) = v {
        row.insert(key.into(), json!(v));
    }
}

/// The interruption and engagement totals both kinds of row report; every interruption is
/// in business or off hours (sleep hours are a part of off hours).
fn put_interruptions(row: &mut Map<String, Value>, hours: Hours, engaged: &[i64]) {
    row.insert(
        "total_business_hour_interruptions".into(),
        json!(hours.business),
    );
    row.insert(
        "total_engaged_seconds".into(),
        json!(engaged.iter().sum::<i64>()),
    );
    row.insert(
        "total_interruptions".into(),
        json!(hours.business + hours.off),
    );
    row.insert("total_off_hour_interruptions".into(), json!(hours.off));
    row.insert("total_sleep_hour_interruptions".into(), json!(hours.sleep));
}

/// The incident metrics of one group of incidents.
fn incident_row(a: &Account, fs: &[&Facts], percentiles: bool) -> Map<String, Value> {
    let to_ack: Vec<i64> = fs
        .iter()
        .filter_map(|f| f.first_ack.map(|t| secs(f.inc.created_at, t)))
        .collect();
    let to_resolve: Vec<i64> = fs
        .iter()
        .filter_map(|f| f.inc.resolved_at.map(|t| secs(f.inc.created_at, t)))
        .collect();
    let engaged: Vec<i64> = fs
        .iter()
        .filter_map(|f| Some(secs(f.first_ack?, f.inc.resolved_at?)))
        .collect();
    let mut hours = Hours::default();
    for f in fs.iter().filter(|f| f.inc.urgency == Urgency::High) {
        for (u, at) in &f.notifications {
            hours += classify(a, u, *at);
        }
    }
    let count = |p: &dyn Fn(&Facts) -> bool| fs.iter().filter(|f| p(f)).count() as i64;
    let mut row = Map::new();
    put(
        &mut row,
        "mean_assignment_count",
        mean(&fs.iter().map(|f| f.assignments).collect::<Vec<_>>()),
    );
    put(&mut row, "mean_engaged_seconds", mean(&engaged));
    put(&mut row, "mean_seconds_to_first_ack", mean(&to_ack));
    put(&mut row, "mean_seconds_to_resolve", mean(&to_resolve));
    if percentiles {
        for p in [50, 75, 90, 95] {
            put(
                &mut row,
                &format!("p{p}_seconds_to_first_ack"),
                percentile(&to_ack, f64::from(p)),
            );
            put(
                &mut row,
                &format!("p{p}_seconds_to_resolve"),
                percentile(&to_resolve, f64::from(p)),
            );
        }
    }
    row.insert(
        "total_escalation_count".into(),
        json!(fs.iter().map(|f| f.escalations.len()).sum::<usize>()),
    );
    row.insert("total_incident_count".into(), json!(fs.len()));
    row.insert(
        "total_incidents_acknowledged".into(),
        json!(count(&|f| f.first_ack.is_some())),
    );
    row.insert(
        "total_incidents_auto_resolved".into(),
        json!(count(&|f| f.auto_resolved)),
    );
    row.insert(
        "total_incidents_manual_escalated".into(),
        json!(count(&|f| f
            .escalations
            .iter()
            .any(|(by_user, _)| *by_user))),
    );
    row.insert(
        "total_incidents_reassigned".into(),
        json!(count(&|f| !f.reassignments.is_empty())),
    );
    row.insert(
        "total_incidents_timeout_escalated".into(),
        json!(count(&|f| f
            .escalations
            .iter()
            .any(|(by_user, _)| !*by_user))),
    );
    row.insert(
        "total_notifications".into(),
        json!(fs.iter().map(|f| f.notifications.len()).sum::<usize>()),
    );
    row.insert("total_snoozed_seconds".into(), json!(0));
    put_interruptions(&mut row, hours, &engaged);
    // PagerDuty lists a row's metrics alphabetically.
    row.sort_keys();
    row
}

/// The metrics of a set of responders (one, for a per-responder row) over a group of
/// incidents: those they were notified of, assigned, or acknowledged.
fn responder_row(a: &Account, users: &[String], fs: &[&Facts]) -> Map<String, Value> {
    let me = |u: &String| users.contains(u);
    let involved = |f: &Facts| {
        f.notifications.iter().any(|(u, _)| me(u))
            || f.acks.iter().any(|(u, _)| me(u))
            || f.reassignments.iter().any(|v| v.iter().any(me))
            || f.escalations.iter().any(|(_, v)| v.iter().any(me))
            || f.inc.assignments.iter().any(|(u, _)| me(u))
    };
    let mine: Vec<&&Facts> = fs.iter().filter(|f| involved(f)).collect();
    let my_ack = |f: &Facts| f.acks.iter().filter(|(u, _)| me(u)).map(|(_, t)| *t).min();
    let to_ack: Vec<i64> = mine
        .iter()
        .filter_map(|f| my_ack(f).map(|t| secs(f.inc.created_at, t)))
        .collect();
    let engaged: Vec<i64> = mine
        .iter()
        .filter_map(|f| Some(secs(my_ack(f)?, f.inc.resolved_at?)))
        .collect();
    let mut hours = Hours::default();
    let mut notifications = 0;
    for f in &mine {
        for (u, at) in f.notifications.iter().filter(|(u, _)| me(u)) {
            notifications += 1;
            if f.inc.urgency == Urgency::High {
                hours += classify(a, u, *at);
            }
        }
    }
    let to_me = |v: &Vec<String>| v.iter().any(me);
    let count = |p: &dyn Fn(&Facts) -> bool| mine.iter().filter(|f| p(f)).count() as i64;
    let mut row = Map::new();
    put(&mut row, "mean_engaged_seconds", mean(&engaged));
    put(&mut row, "mean_time_to_acknowledge_seconds", mean(&to_ack));
    if let [user] = users {
        row.insert("responder_id".into(), json!(user));
        row.insert(
            "responder_name".into(),
            json!(a.user(user).map_or("", |u| u.name.as_str())),
        );
    }
    row.insert("total_incident_count".into(), json!(mine.len()));
    row.insert("total_incidents_acknowledged".into(), json!(to_ack.len()));
    row.insert(
        "total_incidents_manual_escalated_to".into(),
        json!(count(&|f| f
            .escalations
            .iter()
            .any(|(m, v)| *m && to_me(v)))),
    );
    row.insert(
        "total_incidents_reassigned_to".into(),
        json!(count(&|f| f.reassignments.iter().any(to_me))),
    );
    row.insert(
        "total_incidents_timeout_escalated_to".into(),
        json!(count(&|f| f
            .escalations
            .iter()
            .any(|(m, v)| !*m && to_me(v)))),
    );
    row.insert("total_notifications".into(), json!(notifications));
    put_interruptions(&mut row, hours, &engaged);
    // PagerDuty lists a row's metrics alphabetically.
    row.sort_keys();
    row
}

/// The start of the `unit` bucket holding `t`, in `tz`.
fn bucket(t: Timestamp, unit: &str, tz: &TimeZone) -> Option<Zoned> {
    let z = t.to_zoned_datetime(tz.clone());
    let d = z.date();
    let first = match unit {
        "day" => d,
        "week" => d
            .checked_sub(i64::from(z.weekday().to_monday_zero_offset()).days())
            .ok()?,
        _ => civil::date(d.year(), d.month(), 1),
    };
    first.to_zoned_datetime(tz.clone()).ok()
}

fn render_time(z: &Zoned) -> String {
    if z.time_zone() == &TimeZone::UTC {
        return z.timestamp().to_string();
    }
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn uptime_pct(q: &Query, fs: &[&Facts], now: Timestamp) -> f64 {
    let end = q.end.min(now.max(q.start));
    let span = secs(q.start, end);
    if span <= 0 {
        return 100.0;
    }
    let mut spans: Vec<(Timestamp, Timestamp)> = fs
        .iter()
        .filter(|f| f.inc.urgency == Urgency::High)
        .map(|f| {
            let s = f.inc.created_at.max(q.start);
            (s, f.inc.resolved_at.unwrap_or(end).min(end).max(s))
        })
        .collect();
    spans.sort();
    let mut down = 0;
    let mut cur: Option<(Timestamp, Timestamp)> = None;
    for (s, e) in spans {
        cur = match cur {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                down += secs(cs, ce);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = cur {
        down += secs(cs, ce);
    }
    ((1.0 - down as f64 / span as f64) * 10_000.0).round() / 100.0
}

/// (group key, bucket start) → the bucket and its incidents.
type Groups<'a> = BTreeMap<(String, String), (Option<Zoned>, Vec<&'a Facts<'a>>)>;

fn compute(a: &Account, q: &Query, group: Group, now: Timestamp) -> ApiResult<Vec<Value>> {
    let selected: Vec<Facts> = a
        .incidents
        .iter()
        .filter(|i| i.created_at >= q.start && i.created_at < q.end)
        .filter(|i| q.urgency.as_ref().is_none_or(|u| i.urgency.as_str() == u))
        .filter(|i| q.service_ids.is_empty() || q.service_ids.contains(&i.service_id))
        .filter(|i| {
            group.responders()
                || q.team_ids.is_empty()
                || i.team_ids.iter().any(|t| q.team_ids.contains(t))
        })
        .filter(|i| {
            q.priority_ids.is_empty()
                || i.priority_id
                    .as_ref()
                    .is_some_and(|p| q.priority_ids.contains(p))
        })
        .map(|i| facts(a, i))
        .collect();
    // (group key, bucket start) → incidents
    let mut groups: Groups = BTreeMap::new();
    let keys = |f: &Facts| -> Vec<String> {
        match group {
            Group::All | Group::Responder | Group::TeamResponder => vec![String::new()],
            Group::Service => vec![f.inc.service_id.clone()],
            Group::Team => f
                .inc
                .team_ids
                .iter()
                .filter(|t| q.team_ids.is_empty() || q.team_ids.contains(t))
                .cloned()
                .collect(),
        }
    };
    for f in &selected {
        let b = match &q.unit {
            Some(u) => Some(
                bucket(f.inc.created_at, u, &q.tz)
                    .ok_or_else(|| ApiError::invalid("date out of range"))?,
            ),
            None => None,
        };
        let bkey = b
            .as_ref()
            .map(|z| z.timestamp().to_string())
            .unwrap_or_default();
        for k in keys(f) {
            groups
                .entry((k, bkey.clone()))
                .or_insert_with(|| (b.clone(), Vec::new()))
                .1
                .push(f);
        }
    }
    if matches!(group, Group::All | Group::Responder) && groups.is_empty() {
        groups.insert((String::new(), String::new()), (None, Vec::new()));
    }
    let mut rows = Vec::new();
    for ((key, _), (b, fs)) in &groups {
        if group.responders() {
            let members = |team: &str| -> Vec<String> {
                a.memberships
                    .iter()
                    .filter(|m| m.team_id == team)
                    .map(|m| m.user_id.clone())
                    .collect()
            };
            let selected = |mut users: Vec<String>| {
                if !q.responder_ids.is_empty() {
                    users.retain(|u| q.responder_ids.contains(u));
                }
                users.sort();
                users.dedup();
                users
            };
            if group == Group::Responder {
                // One row for all the selected responders together.
                let users = if q.team_ids.is_empty() && q.responder_ids.is_empty() {
                    a.users.iter().map(|u| u.id.clone()).collect()
                } else if q.team_ids.is_empty() {
                    q.responder_ids.clone()
                } else {
                    selected(q.team_ids.iter().flat_map(|t| members(t)).collect())
                };
                let mut row = responder_row(a, &users, fs);
                row.remove("responder_id");
                row.remove("responder_name");
                rows.push(Value::Object(row));
                continue;
            }
            let teams: Vec<String> = if q.team_ids.is_empty() {
                a.teams.iter().map(|t| t.id.clone()).collect()
            } else {
                q.team_ids.clone()
            };
            for team in teams {
                for u in selected(members(&team)) {
                    let mut row = responder_row(a, std::slice::from_ref(&u), fs);
                    let active = row
                        .get("total_incident_count")
                        .and_then(Value::as_i64)
                        .unwrap_or(0)
                        > 0;
                    if !active && !q.responder_ids.contains(&u) {
                        continue;
                    }
                    row.insert("team_id".into(), json!(team));
                    row.insert(
                        "team_name".into(),
                        json!(a.team(&team).map(|t| t.name.as_str()).unwrap_or("")),
                    );
                    rows.push(Value::Object(row));
                }
            }
            continue;
        }
        let mut row = incident_row(a, fs, group == Group::All);
        match group {
            Group::Service => {
                let svc = a.service(key);
                row.insert("service_id".into(), json!(key));
                row.insert(
                    "service_name".into(),
                    json!(svc.map(|s| s.name.as_str()).unwrap_or("")),
                );
                if let Some(t) = svc.and_then(|s| s.team_ids.first()) {
                    row.insert("team_id".into(), json!(t));
                    row.insert(
                        "team_name".into(),
                        json!(a.team(t).map(|t| t.name.as_str()).unwrap_or("")),
                    );
                }
                row.insert("up_time_pct".into(), json!(uptime_pct(q, fs, now)));
            }
            Group::Team => {
                row.insert("team_id".into(), json!(key));
                row.insert(
                    "team_name".into(),
                    json!(a.team(key).map(|t| t.name.as_str()).unwrap_or("")),
                );
            }
            _ => {}
        }
        if let Some(b) = b {
            row.insert("range_start".into(), json!(render_time(b)));
        }
        rows.push(Value::Object(row));
    }
    if let Some(field) = &q.order_by {
        if !rows.is_empty() && !rows.iter().any(|r| r.get(field).is_some()) {
            return Err(ApiError::invalid(format!(
                "order_by '{field}' is not a metric of this report"
            )));
        }
        rows.sort_by(|x, y| {
            let (x, y) = (&x[field.as_str()], &y[field.as_str()]);
            match (x.as_f64(), y.as_f64()) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                _ => x.as_str().unwrap_or("").cmp(y.as_str().unwrap_or("")),
            }
        });
        if q.order.as_deref() == Some("desc") {
            rows.reverse();
        }
    } else if q.order.as_deref() == Some("desc") {
        rows.reverse();
    }
    Ok(rows)
}

fn respond(st: &AppState, c: &Caller, body: &Value, group: Group) -> JsonReply {
    let q = parse(body, group, c)?;
    read(st, c, |a| {
        let rows = compute(a, &q, group, st.now)?;
        let mut out = json!({
            "data": rows,
            "filters": body.get("filters").cloned().unwrap_or(json!({})),
            "time_zone": q.tz_name,
        });
        if let Some(o) = &q.order {
            out["order"] = json!(o);
        }
        if let Some(o) = &q.order_by {
            out["order_by"] = json!(o);
        }
        if let Some(u) = &q.unit {
            out["aggregate_unit"] = json!(u);
        }
        Ok(Json(out))
    })
}

/// `POST /analytics/metrics/…` aggregating by `group`: one handler for the five routes.
pub fn metrics(group: Group) -> MethodRouter<AppState> {
    post(
        move |Ctx { st, caller }: Ctx, PdJson(b): PdJson| async move {
            respond(&st, &caller, &b, group)
        },
    )
}
