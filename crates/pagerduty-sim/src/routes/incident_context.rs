//! Incident intelligence derived from the account's own history: past incidents
//! (same service, similar title), related incidents (close in time, on a dependent or
//! supporting service, or with similar content) and the outlier view (how common an
//! incident's kind is on its service).

use std::collections::BTreeSet;

use axum::{Json, extract::Path};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, renderer};
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::{API_BASE, Render};
use crate::store::{Account, Incident, ServiceKind};

/// Past incidents look back this far.
pub const PAST_WINDOW: SignedDuration = SignedDuration::from_hours(183 * 24);
/// Related incidents started within this much of each other.
pub const RELATED_WINDOW: SignedDuration = SignedDuration::from_hours(2);

/// The incident's title with variable parts (numbers, hosts) masked: its template.
pub fn template(title: &str) -> String {
    title
        .split_whitespace()
        .map(|w| {
            if w.chars().any(|c| c.is_ascii_digit()) {
                "<*>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn tokens(title: &str) -> BTreeSet<String> {
    template(title)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '<' && c != '*' && c != '>')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Jaccard similarity of the two titles' templates, 0..=1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (tokens(a), tokens(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// Past-incident score: 100 × title similarity, to two decimals.
pub fn score(a: &Incident, b: &Incident) -> f64 {
    (similarity(&a.title, &b.title) * 10_000.0).round() / 100.0
}

fn short(r: &Render, i: &Incident) -> Value {
    json!({
        "id": i.id,
        "created_at": r.time(i.created_at),
        "self": format!("{API_BASE}/incidents/{}", i.id),
        "title": i.title,
    })
}

fn incident<'a>(a: &'a Account, id: &str) -> ApiResult<&'a Incident> {
    a.incident(id).ok_or_else(ApiError::not_found)
}

/// Similar incidents on the same service in the six months before, best first.
pub fn past<'a>(a: &'a Account, inc: &Incident) -> Vec<(&'a Incident, f64)> {
    let from = inc
        .created_at
        .checked_sub(PAST_WINDOW)
        .unwrap_or(inc.created_at);
    let mut v: Vec<(&Incident, f64)> = a
        .incidents
        .iter()
        .filter(|i| i.id != inc.id && i.service_id == inc.service_id)
        .filter(|i| i.created_at >= from && i.created_at < inc.created_at)
        .map(|i| (i, score(inc, i)))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    v.sort_by(|x, y| {
        y.1.total_cmp(&x.1)
            .then(y.0.created_at.cmp(&x.0.created_at))
    });
    v
}

pub async fn past_incidents(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let limit = match p.get("limit").filter(|v| !v.is_empty()) {
            None => 5,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=999).contains(&n) => n,
                _ => return Err(ApiError::invalid("limit must be an integer from 1 to 999")),
            },
        };
        let total = p.bool("total")?;
        let inc = incident(a, &id)?;
        let r = Render::new(a);
        let all = past(a, inc);
        Ok(Json(json!({
            "past_incidents": all.iter().take(limit).map(|(i, s)| json!({"incident": short(&r, i), "score": s})).collect::<Vec<_>>(),
            "total": if total { json!(all.len()) } else { Value::Null },
            "limit": limit,
        })))
    })
}

/// Services linked to `svc` by a dependency, directly or through a shared business service.
fn linked(a: &Account, svc: &str) -> (Vec<String>, Vec<String>) {
    let me = (ServiceKind::Technical, svc.to_string());
    let mut dependent = Vec::new();
    let mut supporting = Vec::new();
    for d in &a.service_dependencies {
        if d.supporting == me {
            dependent.push(d.dependent.clone());
        }
        if d.dependent == me {
            supporting.push(d.supporting.clone());
        }
    }
    // Technical services behind the same business services are impacted together.
    let siblings: Vec<String> = a
        .service_dependencies
        .iter()
        .filter(|d| dependent.contains(&d.dependent) && d.dependent.0 == ServiceKind::Business)
        .filter(|d| d.supporting.0 == ServiceKind::Technical && d.supporting != me)
        .map(|d| d.supporting.1.clone())
        .collect();
    let techs = |v: &[(ServiceKind, String)]| -> Vec<String> {
        v.iter()
            .filter(|(k, _)| *k == ServiceKind::Technical)
            .map(|(_, id)| id.clone())
            .collect()
    };
    let mut dep = techs(&dependent);
    dep.extend(siblings);
    (dep, techs(&supporting))
}

fn service_dependency_meta(a: &Account, inc: &Incident, other: &Incident) -> Option<Value> {
    let (dependent, supporting) = linked(a, &inc.service_id);
    let tech = |id: &str| json!({"id": id, "type": "technical_service_reference", "self": format!("{API_BASE}/services/{id}")});
    if supporting.contains(&other.service_id) {
        Some(
            json!({"dependent_services": [tech(&inc.service_id)], "supporting_services": [tech(&other.service_id)]}),
        )
    } else if dependent.contains(&other.service_id) {
        Some(
            json!({"dependent_services": [tech(&other.service_id)], "supporting_services": [tech(&inc.service_id)]}),
        )
    } else {
        None
    }
}

fn close(a: Timestamp, b: Timestamp) -> bool {
    a.duration_since(b).abs() <= RELATED_WINDOW
}

/// The 20 most recent incidents related to `inc`, with their relationships.
pub fn related<'a>(a: &'a Account, inc: &Incident) -> Vec<(&'a Incident, Vec<Value>)> {
    let mut out: Vec<(&Incident, Vec<Value>)> = a
        .incidents
        .iter()
        .filter(|o| o.id != inc.id && close(o.created_at, inc.created_at))
        .filter_map(|o| {
            let mut rels = Vec::new();
            if o.service_id != inc.service_id
                && let Some(meta) = service_dependency_meta(a, inc, o)
            {
                rels.push(json!({"type": "service_dependency", "metadata": meta}));
            }
            if similarity(&inc.title, &o.title) >= 0.5 {
                rels.push(json!({"type": "machine_learning_inferred", "metadata": {
                    "grouping_classification": "similar_contents",
                    "user_feedback": {"positive_feedback_count": 0, "negative_feedback_count": 0},
                }}));
            }
            (!rels.is_empty()).then_some((o, rels))
        })
        .collect();
    out.sort_by_key(|x| std::cmp::Reverse(x.0.created_at));
    out.truncate(20);
    out
}

pub async fn related_incidents(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        let full = !p
            .enum_list("additional_details[]", &["incident"])?
            .is_empty();
        let inc = incident(a, &id)?;
        let r = renderer(a, &Params::default(), &[])?;
        let items: Vec<Value> = related(a, inc)
            .into_iter()
            .map(|(o, rels)| {
                let incident = if full { r.incident(o) } else { short(&r, o) };
                json!({"incident": incident, "relationships": rels})
            })
            .collect();
        Ok(Json(json!({"related_incidents": items})))
    })
}

/// How often incidents with this one's template occurred on its service since `since`.
pub struct Occurrence {
    pub count: usize,
    pub frequency: f64,
    pub category: &'static str,
    pub since: Timestamp,
    pub until: Timestamp,
}

pub fn occurrence(a: &Account, inc: &Incident, since: Timestamp) -> Occurrence {
    let until = inc.created_at;
    let on_service: Vec<&Incident> = a
        .incidents
        .iter()
        .filter(|i| {
            i.service_id == inc.service_id && i.created_at >= since && i.created_at <= until
        })
        .collect();
    let t = template(&inc.title);
    let count = on_service
        .iter()
        .filter(|i| template(&i.title) == t)
        .count();
    let frequency = if on_service.is_empty() {
        0.0
    } else {
        (count as f64 / on_service.len() as f64 * 100.0).round() / 100.0
    };
    let category = if count <= 1 {
        "anomalous"
    } else if frequency < 0.1 {
        "rare"
    } else {
        "frequent"
    };
    Occurrence {
        count,
        frequency,
        category,
        since,
        until,
    }
}

/// A short stable id for a template on a service.
fn template_id(prefix: char, svc: &str, t: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in svc.bytes().chain(t.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = String::from(prefix);
    for _ in 0..6 {
        s.push(A[(h % 36) as usize] as char);
        h /= 36;
    }
    s
}

pub async fn outlier_incident(ctx: Ctx, Path(id): Path<String>, p: Params) -> JsonReply {
    ctx.read(|a| {
        p.enum_list("additional_details[]", &["incident"])?;
        let inc = incident(a, &id)?;
        let since = match p.timestamp("since")? {
            Some(s) if s > inc.created_at => {
                return Err(ApiError::invalid(
                    "since must be before the incident was created",
                ));
            }
            Some(s) => s,
            None => inc
                .created_at
                .checked_sub(PAST_WINDOW)
                .unwrap_or(inc.created_at),
        };
        let r = Render::new(a);
        let o = occurrence(a, inc, since);
        let t = template(&inc.title);
        let mut incident = short(&r, inc);
        incident["occurrence"] = json!({
            "count": o.count,
            "frequency": o.frequency,
            "category": o.category,
            "since": r.time(o.since),
            "until": r.time(o.until),
        });
        Ok(Json(json!({"outlier_incident": {
            "incident": incident,
            "incident_template": {
                "id": template_id('P', &inc.service_id, &t),
                "cluster_id": template_id('C', &inc.service_id, ""),
                "mined_text": t,
            },
        }})))
    })
}
