//! Schedule rendering: rotation layers, restrictions and overrides.
//!
//! Used by `GET /schedules/{id}` (rendered entries), `GET /schedules/{id}/users`,
//! `GET /oncalls` and incident assignment, so all of them agree on who is on call.

use jiff::{SignedDuration, Timestamp, ToSpan, tz::TimeZone};

use crate::store::{Account, Layer, RestrictionKind, Schedule};

/// One rendered on-call span for a user: `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub user_id: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

fn tz_of(schedule: &Schedule) -> TimeZone {
    TimeZone::get(&schedule.time_zone).unwrap_or(TimeZone::UTC)
}

/// Intervals (in absolute time) allowed by a layer's restrictions that overlap
/// `[since, until)`. An unrestricted layer allows everything.
fn restriction_windows(
    layer: &Layer,
    tz: &TimeZone,
    since: Timestamp,
    until: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    if layer.restrictions.is_empty() {
        return vec![(since, until)];
    }
    let mut out = Vec::new();
    // Walk local days, starting a week early so weekly windows that began
    // before `since` are included.
    let Ok(first) = since
        .to_zoned_datetime(tz.clone())
        .date()
        .checked_sub(8.days())
    else {
        return out;
    };
    let last = until.to_zoned_datetime(tz.clone()).date();
    let mut day = first;
    while day <= last {
        for r in &layer.restrictions {
            let applies = match r.kind {
                RestrictionKind::Daily => true,
                RestrictionKind::Weekly => {
                    r.start_day_of_week == Some(day.weekday().to_monday_one_offset())
                }
            };
            if !applies {
                continue;
            }
            let secs = r.start_time_of_day;
            let local = day.at(
                (secs / 3600) as i8,
                ((secs / 60) % 60) as i8,
                (secs % 60) as i8,
                0,
            );
            let Ok(zoned) = local.to_zoned_datetime(tz.clone()) else {
                continue;
            };
            let start = zoned.timestamp();
            let Ok(end) = start.checked_add(SignedDuration::from_secs(r.duration_seconds)) else {
                continue;
            };
            if end > since && start < until {
                out.push((start.max(since), end.min(until)));
            }
        }
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    out.sort();
    merge_windows(out)
}

fn merge_windows(mut v: Vec<(Timestamp, Timestamp)>) -> Vec<(Timestamp, Timestamp)> {
    v.sort();
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Renders one layer over `[since, until)`, clipped to the window.
pub fn render_layer(
    schedule: &Schedule,
    layer: &Layer,
    since: Timestamp,
    until: Timestamp,
) -> Vec<Entry> {
    let mut out = Vec::new();
    let since = since.max(layer.start);
    let until = match layer.end {
        Some(e) => until.min(e),
        None => until,
    };
    let n = layer.user_ids.len() as i64;
    let turn = layer.rotation_turn_length_seconds.max(1);
    if since >= until || n == 0 {
        return out;
    }
    let tz = tz_of(schedule);
    let turns = Turns {
        start: layer.rotation_virtual_start.to_zoned_datetime(tz.clone()),
        length: turn,
    };
    for (ws, we) in restriction_windows(layer, &tz, since, until) {
        // Split the allowed window at rotation turn boundaries.
        let mut t = ws.as_second();
        let end = we.as_second();
        while t < end {
            let (k, turn_end) = turns.at(t);
            let seg_end = turn_end.min(end);
            let user = &layer.user_ids[k.rem_euclid(n) as usize];
            if let (Ok(s), Ok(e)) = (Timestamp::from_second(t), Timestamp::from_second(seg_end)) {
                push_merged(
                    &mut out,
                    Entry {
                        user_id: user.clone(),
                        start: s,
                        end: e,
                    },
                );
            }
            t = seg_end;
        }
    }
    out
}

/// A layer's rotation turns. Whole-day turns are counted in the schedule's zone, as PagerDuty
/// does, so a weekly 09:00 handoff stays at 09:00 local across DST; other lengths in seconds.
struct Turns {
    start: jiff::ZonedDateTime,
    length: i64,
}

impl Turns {
    /// The start (in seconds) of turn `k`.
    fn boundary(&self, k: i64) -> i64 {
        let base = self.start.timestamp().as_second();
        if self.length % 86_400 != 0 {
            return base + k * self.length;
        }
        let days = k * (self.length / 86_400);
        self.start
            .checked_add(jiff::Span::new().days(days))
            .map(|z| z.timestamp().as_second())
            .unwrap_or(base + k * self.length)
    }
    /// The turn holding second `t`: its index and where it ends.
    fn at(&self, t: i64) -> (i64, i64) {
        let mut k = (t - self.start.timestamp().as_second()).div_euclid(self.length);
        // A DST change moves a civil boundary by at most an hour: one step corrects it.
        while self.boundary(k) > t {
            k -= 1;
        }
        while self.boundary(k + 1) <= t {
            k += 1;
        }
        (k, self.boundary(k + 1))
    }
}

fn push_merged(out: &mut Vec<Entry>, e: Entry) {
    if let Some(last) = out.last_mut()
        && last.user_id == e.user_id
        && last.end == e.start
    {
        last.end = e.end;
        return;
    }
    out.push(e);
}

/// Paints `new` over `base` (both sorted, non-overlapping): `new` wins.
fn paint(base: Vec<Entry>, new: &[Entry]) -> Vec<Entry> {
    let mut out = base;
    for n in new {
        let mut next = Vec::with_capacity(out.len() + 2);
        for e in out {
            if e.end <= n.start || e.start >= n.end {
                next.push(e);
                continue;
            }
            if e.start < n.start {
                next.push(Entry {
                    user_id: e.user_id.clone(),
                    start: e.start,
                    end: n.start,
                });
            }
            if e.end > n.end {
                next.push(Entry {
                    user_id: e.user_id.clone(),
                    start: n.end,
                    end: e.end,
                });
            }
        }
        next.push(n.clone());
        next.sort_by_key(|e| e.start);
        out = next;
    }
    let mut merged = Vec::with_capacity(out.len());
    for e in out {
        push_merged(&mut merged, e);
    }
    merged
}

/// Override entries overlapping `[since, until)`, clipped.
pub fn render_overrides(schedule: &Schedule, since: Timestamp, until: Timestamp) -> Vec<Entry> {
    let mut v: Vec<Entry> = schedule
        .overrides
        .iter()
        .filter(|o| o.end > since && o.start < until)
        .map(|o| Entry {
            user_id: o.user_id.clone(),
            start: o.start.max(since),
            end: o.end.min(until),
        })
        .collect();
    v.sort_by_key(|e| e.start);
    v
}

/// The final schedule over `[since, until)`, clipped to the window: layers in
/// order (a later layer wins where it has coverage), then overrides on top.
pub fn render_final(schedule: &Schedule, since: Timestamp, until: Timestamp) -> Vec<Entry> {
    let mut out = Vec::new();
    for layer in &schedule.layers {
        out = paint(out, &render_layer(schedule, layer, since, until));
    }
    paint(out, &render_overrides(schedule, since, until))
}

/// Like `render_final`, but entries that cross the window bounds are returned
/// whole (`overflow=true`): the schedule is rendered over a padded window and
/// entries touching `[since, until)` are kept unclipped.
pub fn render_final_overflow(
    schedule: &Schedule,
    since: Timestamp,
    until: Timestamp,
) -> Vec<Entry> {
    let pad = schedule
        .layers
        .iter()
        .map(|l| l.rotation_turn_length_seconds)
        .max()
        .unwrap_or(86_400)
        .clamp(86_400, 30 * 86_400)
        + 7 * 86_400;
    let pad = SignedDuration::from_secs(pad);
    let (Ok(ps), Ok(pu)) = (since.checked_sub(pad), until.checked_add(pad)) else {
        return render_final(schedule, since, until);
    };
    render_final(schedule, ps, pu)
        .into_iter()
        .filter(|e| {
            e.end > since && e.start < until
                || (since == until && e.start <= since && e.end > since)
        })
        .collect()
}

/// Percentage of `[since, until)` covered by `entries`.
pub fn coverage_percentage(entries: &[Entry], since: Timestamp, until: Timestamp) -> f64 {
    let total = (until.as_second() - since.as_second()) as f64;
    if total <= 0.0 {
        return 0.0;
    }
    let covered: i64 = entries
        .iter()
        .map(|e| e.end.min(until).as_second() - e.start.max(since).as_second())
        .filter(|d| *d > 0)
        .sum();
    ((covered as f64 / total) * 10_000.0).round() / 100.0
}

/// Gaps (uncovered spans) of the final schedule over `[since, until)`.
pub fn gaps(
    schedule: &Schedule,
    since: Timestamp,
    until: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    let mut out = Vec::new();
    let mut cursor = since;
    for e in render_final(schedule, since, until) {
        if e.start > cursor {
            out.push((cursor, e.start));
        }
        cursor = cursor.max(e.end);
    }
    if cursor < until {
        out.push((cursor, until));
    }
    out
}

/// The on-call spans of schedule `id`, of either kind, that overlap `[since, until]` (an
/// instant when equal), whole. `None`: no schedule has that id.
pub fn spans(a: &Account, id: &str, since: Timestamp, until: Timestamp) -> Option<Vec<Entry>> {
    if let Some(s) = a.schedule(id) {
        return Some(render_final_overflow(s, since, until));
    }
    a.schedule_v3(id)
        .map(|s| crate::schedule_v3::entries_overflow(s, since, until))
}

/// Who is on call on schedule `id` (either kind) at instant `at`.
pub fn on_call_at(a: &Account, id: &str, at: Timestamp) -> Vec<String> {
    let mut out: Vec<String> = spans(a, id, at, at)
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    out.dedup();
    out
}

/// Whether `user` takes part in schedule `id` (either kind) at all.
pub fn names_user(a: &Account, id: &str, user: &str) -> bool {
    match (a.schedule(id), a.schedule_v3(id)) {
        (Some(s), _) => s
            .layers
            .iter()
            .any(|l| l.user_ids.iter().any(|u| u == user)),
        (None, Some(s)) => s.user_ids().iter().any(|u| u == user),
        (None, None) => false,
    }
}
