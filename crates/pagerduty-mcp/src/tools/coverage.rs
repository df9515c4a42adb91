//! `find_coverage_gaps`: when nobody is on call, per schedule or per escalation level.

use jiff::{SignedDuration, Timestamp};
use pagerduty::models::{Reference, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Access, Domain, Meta, ToolDef, tool};
use crate::tools::lookup::Lookup;

pub fn tools() -> Vec<ToolDef> {
    vec![tool(
        Meta {
            name: "find_coverage_gaps",
            title: "Find on-call coverage gaps",
            domain: Domain::Oncall,
            access: Access::Read,
            description: "Intervals when nobody is on call, for schedules or for each level of an escalation \
                          policy, over a window (default the next 14 days), with their lengths.",
        },
        find_gaps,
    )]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GapArgs {
    /// Schedule ids or names.
    schedules: Option<Vec<String>>,
    /// An escalation policy id or name: gaps per level.
    escalation_policy: Option<String>,
    /// Start, RFC 3339; default now.
    since: Option<Time>,
    /// End, RFC 3339; default 14 days after since; at most 90 days after it.
    until: Option<Time>,
    /// IANA zone for the times; default UTC.
    time_zone: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Gaps {
    time_zone: String,
    since: String,
    until: String,
    /// One entry per schedule, or per escalation level.
    coverage: Vec<Coverage>,
    summary: String,
}

#[derive(Serialize, JsonSchema)]
struct Coverage {
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalation_level: Option<u32>,
    gaps: Vec<Gap>,
    /// Hours without anyone on call in the window.
    uncovered_hours: f64,
}

#[derive(Serialize, JsonSchema)]
struct Gap {
    start: String,
    end: String,
    hours: f64,
}

type Interval = (Timestamp, Timestamp);

async fn find_gaps(ctx: Ctx, a: GapArgs) -> Result<Gaps, ToolError> {
    if a.schedules.as_ref().is_none_or(Vec::is_empty) == a.escalation_policy.is_none() {
        return Err(ToolError::invalid(
            "",
            "give either `schedules` or `escalation_policy`",
        ));
    }
    let since = a.since.map_or_else(Timestamp::now, |t| t.0);
    let until = a
        .until
        .map_or(since + SignedDuration::from_hours(24 * 14), |t| t.0);
    if until <= since || until.duration_since(since) > SignedDuration::from_hours(24 * 90) {
        return Err(ToolError::invalid(
            "until",
            "must be after `since` and at most 90 days later",
        ));
    }
    let zone_name = a.time_zone.unwrap_or_else(|| "UTC".to_owned());
    let zone = jiff::tz::TimeZone::get(&zone_name).map_err(|_| {
        ToolError::invalid(
            "time_zone",
            format!("`{zone_name}` is not an IANA time zone"),
        )
    })?;
    let lookup = Lookup::new(&ctx);
    let range = Some((Time(since), Time(until)));
    let mut coverage = Vec::new();
    if let Some(names) = a.schedules {
        for name in names {
            let id = lookup.schedule(&name).await?.id;
            let schedule = ctx.pd.get_schedule(&id, range).await?;
            let covered = covered_by(&schedule);
            coverage.push(report(
                Some(reference(&schedule)),
                None,
                gaps(since, until, covered),
                &zone,
            ));
        }
    } else if let Some(policy) = a.escalation_policy {
        let policy = lookup.escalation_policy(&policy).await?;
        for (i, rule) in policy.escalation_rules.iter().enumerate() {
            let mut covered = Vec::new();
            for target in &rule.targets {
                // A user named directly on the level is always on call there.
                if target
                    .kind
                    .as_deref()
                    .is_some_and(|k| k.starts_with("user"))
                {
                    covered.push((since, until));
                } else if target
                    .kind
                    .as_deref()
                    .is_some_and(|k| k == "schedule_reference" || k == "schedule")
                {
                    let id = pagerduty::ids::ScheduleId::new(target.id.clone())?;
                    covered.extend(covered_by(&ctx.pd.get_schedule(&id, range).await?));
                }
            }
            coverage.push(report(
                None,
                Some(i as u32 + 1),
                gaps(since, until, covered),
                &zone,
            ));
        }
    }
    let total: f64 = coverage.iter().map(|c| c.uncovered_hours).sum();
    let with_gaps = coverage.iter().filter(|c| !c.gaps.is_empty()).count();
    let summary = if with_gaps == 0 {
        "Someone is on call throughout the window.".to_owned()
    } else {
        format!(
            "{with_gaps} of {} have gaps: {} uncovered interval(s), {:.1} hours in all.",
            coverage.len(),
            coverage.iter().map(|c| c.gaps.len()).sum::<usize>(),
            total
        )
    };
    let at = |t: Timestamp| {
        t.to_zoned_datetime(zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    Ok(Gaps {
        since: at(since),
        until: at(until),
        time_zone: zone_name,
        coverage,
        summary,
    })
}

fn reference(s: &pagerduty::models::Schedule) -> Reference {
    Reference {
        id: s.id.to_string(),
        kind: Some("schedule_reference".into()),
        summary: Some(s.name.clone()),
    }
}

fn covered_by(s: &pagerduty::models::Schedule) -> Vec<Interval> {
    s.final_schedule
        .iter()
        .flat_map(|f| {
            f.rendered_schedule_entries
                .iter()
                .map(|e| (e.start.0, e.end.0))
        })
        .collect()
}

/// The parts of [since, until) that no interval covers.
fn gaps(since: Timestamp, until: Timestamp, mut covered: Vec<Interval>) -> Vec<Interval> {
    covered.sort();
    let mut out = Vec::new();
    let mut cursor = since;
    for (start, end) in covered {
        if end <= cursor {
            continue;
        }
        if start > cursor {
            out.push((cursor, start.min(until)));
        }
        cursor = cursor.max(end);
        if cursor >= until {
            break;
        }
    }
    if cursor < until {
        out.push((cursor, until));
    }
    out.retain(|(s, e)| s < e);
    out
}

fn report(
    schedule: Option<Reference>,
    level: Option<u32>,
    gaps: Vec<Interval>,
    zone: &jiff::tz::TimeZone,
) -> Coverage {
    let hours =
        |s: Timestamp, e: Timestamp| (e.duration_since(s).as_secs_f64() / 36.0).round() / 100.0;
    let at = |t: Timestamp| {
        t.to_zoned_datetime(zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    Coverage {
        schedule,
        escalation_level: level,
        uncovered_hours: (gaps.iter().map(|(s, e)| hours(*s, *e)).sum::<f64>() * 100.0).round()
            / 100.0,
        gaps: gaps
            .into_iter()
            .map(|(s, e)| Gap {
                start: at(s),
                end: at(e),
                hours: hours(s, e),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn gaps_are_the_uncovered_parts() {
        let (a, b) = (t("2026-01-01T00:00:00Z"), t("2026-01-02T00:00:00Z"));
        let covered = vec![
            (t("2026-01-01T09:00:00Z"), t("2026-01-01T12:00:00Z")),
            (t("2026-01-01T11:00:00Z"), t("2026-01-01T17:00:00Z")),
            (t("2025-12-31T00:00:00Z"), t("2026-01-01T02:00:00Z")),
        ];
        assert_eq!(
            gaps(a, b, covered),
            vec![
                (t("2026-01-01T02:00:00Z"), t("2026-01-01T09:00:00Z")),
                (t("2026-01-01T17:00:00Z"), b)
            ]
        );
        assert_eq!(gaps(a, b, vec![(a, b)]), vec![]);
        assert_eq!(gaps(a, b, vec![]), vec![(a, b)]);
    }
}
