//! `find_coverage_gaps`: when nobody is on call, per schedule or per escalation level.

use jiff::{SignedDuration, Timestamp};
use pagerduty::models::{Reference, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::ScheduleKind;
use crate::registry::{Domain, ToolDef, Tools};
use crate::tools::final_schedule;
use crate::tools::lookup::Lookup;
use crate::tools::when::{self, Zone};

const ONCALL: Tools = Tools(Domain::Oncall);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ONCALL
            .read(
                "find_coverage_gaps",
                "Intervals when nobody is on call, for schedules or for each level of an \
                 escalation policy, over a window (default the next 14 days), with their \
                 lengths. Both kinds of schedule (layer-based and shift-based); times in the \
                 current user's zone unless `time_zone` is given.",
                find_gaps,
            )
            .titled("Find on-call coverage gaps"),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GapArgs {
    /// Schedule ids or names, of either kind (layer-based or shift-based).
    schedules: Option<Vec<String>>,
    /// An escalation policy id or name: gaps per level.
    escalation_policy: Option<String>,
    /// Start, RFC 3339; default now. Whole seconds.
    since: Option<Time>,
    /// End, RFC 3339; default 14 days after since; at most 90 days after it.
    until: Option<Time>,
    /// IANA zone for the times; default the current user's zone.
    time_zone: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Gaps {
    /// The zone the times are in.
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
    /// For schedules: layer_based or shift_based.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<ScheduleKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalation_level: Option<u32>,
    gaps: Vec<Gap>,
    /// Hours without anyone on call in the window.
    uncovered_hours: f64,
    /// Why this schedule (or a target of this level) could not be read; then `gaps` is
    /// unknown, not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Gap {
    start: String,
    end: String,
    /// Length in hours (2 decimals).
    hours: f64,
    /// Exact length in seconds.
    seconds: i64,
}

type Interval = (Timestamp, Timestamp);

async fn find_gaps(ctx: Ctx, a: GapArgs) -> Result<Gaps, ToolError> {
    if a.schedules.as_ref().is_none_or(Vec::is_empty) == a.escalation_policy.is_none() {
        return Err(ToolError::invalid(
            "",
            "give either `schedules` or `escalation_policy`",
        ));
    }
    // Whole seconds: shifts start and end on whole seconds, so a fraction would be a fake gap.
    let since = a
        .since
        .map_or_else(|| when::now(&ctx), |t| when::whole_seconds(t.0));
    let until = a
        .until
        .map_or(since + SignedDuration::from_hours(24 * 14), |t| {
            when::whole_seconds(t.0)
        });
    if until <= since || until.duration_since(since) > SignedDuration::from_hours(24 * 90) {
        return Err(ToolError::invalid(
            "until",
            "must be after `since` and at most 90 days later",
        ));
    }
    let zone = when::zone(&ctx, a.time_zone.as_deref()).await?;
    let lookup = Lookup::new(&ctx);
    let mut coverage = Vec::new();
    if let Some(names) = a.schedules {
        // Each schedule answers on its own: one that fails is reported, not fatal.
        for name in names {
            let entry = match lookup.schedule(&name).await {
                Ok(found) => match final_schedule::render(&ctx, &found.id, since, until).await {
                    Ok(r) => report(
                        Some(r.schedule),
                        Some(r.kind),
                        None,
                        gaps(
                            since,
                            until,
                            r.spans.iter().map(|s| (s.start, s.end)).collect(),
                        ),
                        &zone,
                    ),
                    Err(e) => failed(
                        Reference {
                            id: found.id.to_string(),
                            kind: Some("schedule_reference".into()),
                            summary: Some(found.name),
                        },
                        Some(found.kind),
                        crate::error::explain(&e),
                    ),
                },
                Err(e) => failed(
                    Reference {
                        id: name.clone(),
                        kind: None,
                        summary: None,
                    },
                    None,
                    e.to_string(),
                ),
            };
            coverage.push(entry);
        }
    } else if let Some(policy) = a.escalation_policy {
        let policy = lookup.escalation_policy(&policy).await?;
        for (i, rule) in policy.escalation_rules.iter().enumerate() {
            let mut covered = Vec::new();
            let mut errors = Vec::new();
            for target in &rule.targets {
                let kind = target.kind.as_deref().unwrap_or("");
                // A user named directly on the level is always on call there.
                if kind.starts_with("user") {
                    covered.push((since, until));
                } else if kind.starts_with("schedule") {
                    let id = pagerduty::ids::ScheduleId::new(target.id.clone())?;
                    match final_schedule::render(&ctx, &id, since, until).await {
                        Ok(r) => covered.extend(r.spans.iter().map(|s| (s.start, s.end))),
                        Err(e) => {
                            errors.push(format!("schedule {id}: {}", crate::error::explain(&e)))
                        }
                    }
                }
            }
            let mut c = report(
                None,
                None,
                Some(i as u32 + 1),
                gaps(since, until, covered),
                &zone,
            );
            if !errors.is_empty() {
                c.error = Some(errors.join("; "));
            }
            coverage.push(c);
        }
    }
    let summary = summary(&coverage);
    Ok(Gaps {
        since: zone.show(since),
        until: zone.show(until),
        time_zone: zone.name,
        coverage,
        summary,
    })
}

/// Counts only real gaps, and names what could not be read.
fn summary(coverage: &[Coverage]) -> String {
    let readable: Vec<&Coverage> = coverage.iter().filter(|c| c.error.is_none()).collect();
    let with_gaps = readable.iter().filter(|c| !c.gaps.is_empty()).count();
    let seconds: i64 = readable
        .iter()
        .flat_map(|c| &c.gaps)
        .map(|g| g.seconds)
        .sum();
    let mut out = if with_gaps == 0 {
        if readable.is_empty() {
            "Nothing could be read.".to_owned()
        } else {
            "Someone is on call throughout the window.".to_owned()
        }
    } else {
        format!(
            "{with_gaps} of {} have gaps: {} uncovered interval(s), {} hours in all.",
            readable.len(),
            readable.iter().map(|c| c.gaps.len()).sum::<usize>(),
            hours(seconds)
        )
    };
    let failed: Vec<String> = coverage
        .iter()
        .filter(|c| c.error.is_some())
        .map(|c| match (&c.schedule, c.escalation_level) {
            (Some(s), _) => s.summary.clone().unwrap_or_else(|| s.id.clone()),
            (None, Some(l)) => format!("level {l}"),
            (None, None) => String::new(),
        })
        .collect();
    if !failed.is_empty() {
        out.push_str(&format!(" Could not be read: {}.", failed.join(", ")));
    }
    out
}

/// Hours, 2 decimals, from whole seconds (never negative zero).
fn hours(seconds: i64) -> f64 {
    (seconds.max(0) as f64 / 36.0).round() / 100.0
}

fn failed(schedule: Reference, kind: Option<ScheduleKind>, error: String) -> Coverage {
    Coverage {
        schedule: Some(schedule),
        kind,
        escalation_level: None,
        gaps: Vec::new(),
        uncovered_hours: 0.0,
        error: Some(error),
    }
}

/// The parts of [since, until) that no interval covers.
pub(super) fn gaps(
    since: Timestamp,
    until: Timestamp,
    mut covered: Vec<Interval>,
) -> Vec<Interval> {
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
    kind: Option<ScheduleKind>,
    level: Option<u32>,
    gaps: Vec<Interval>,
    zone: &Zone,
) -> Coverage {
    let secs = |s: Timestamp, e: Timestamp| e.as_second() - s.as_second();
    Coverage {
        schedule,
        kind,
        escalation_level: level,
        uncovered_hours: hours(gaps.iter().map(|(s, e)| secs(*s, *e)).sum()),
        gaps: gaps
            .into_iter()
            .map(|(s, e)| Gap {
                start: zone.show(s),
                end: zone.show(e),
                hours: hours(secs(s, e)),
                seconds: secs(s, e),
            })
            .collect(),
        error: None,
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
