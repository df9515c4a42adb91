//! Who is on call when on one schedule of either kind: its final schedule over a range, as
//! per-person spans, from the layer-based API or the shift-based one, whichever holds the id.
//! `find_coverage_gaps`, `who_is_on_call`, `get_schedule` and `list_schedule_users` all read
//! schedules through here, so they agree on both kinds.

use futures::StreamExt;
use jiff::Timestamp;
use pagerduty::ids::{ScheduleId, UserId};
use pagerduty::models::{MemberKind, Reference, Time};

use crate::context::Ctx;
use crate::output::ScheduleKind;

/// One person on call over `[start, end)`.
#[derive(Clone, Debug)]
pub struct Span {
    pub user: Reference,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A schedule's final schedule over a range.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub schedule: Reference,
    pub kind: ScheduleKind,
    /// Sorted by start; spans of different people may overlap (shift-based schedules can put
    /// several people on call at once).
    pub spans: Vec<Span>,
    /// The API's answer, for tools that show the schedule itself.
    pub detail: Detail,
}

#[derive(Clone, Debug)]
pub enum Detail {
    LayerBased(Box<pagerduty::models::Schedule>),
    ShiftBased(Box<pagerduty::models::ScheduleV3>),
}

/// The 400 one API gives for a schedule of the other kind ("Use the v3 Schedules API").
pub fn other_kind(e: &pagerduty::Error, api: &str) -> bool {
    match e {
        pagerduty::Error::Api(e) if e.status == 400 => {
            let text = format!("{} {}", e.message, e.errors.join(" ")).to_lowercase();
            text.contains(api)
        }
        _ => false,
    }
}

/// The final schedule of `id` over `[since, until)`, cut to the range. Asks the layer-based
/// API first and the shift-based one when the first says the schedule is of the other kind
/// (or does not know the id).
pub async fn render(
    ctx: &Ctx,
    id: &ScheduleId,
    since: Timestamp,
    until: Timestamp,
) -> Result<Rendered, pagerduty::Error> {
    let range = Some((Time(since), Time(until)));
    let v2_error = match ctx.pd.get_schedule(id, range).await {
        Ok(s) => return Ok(layer_based(s)),
        Err(e) => e,
    };
    if !(other_kind(&v2_error, "v3") || v2_error.status() == Some(404)) {
        return Err(v2_error);
    }
    match ctx.pd.get_schedule_v3(id, range).await {
        Ok(s) => Ok(shift_based(ctx, s).await),
        // Neither API knows it: the first answer says so best.
        Err(e) if e.status() == Some(404) => Err(v2_error),
        Err(e) => Err(e),
    }
}

fn layer_based(s: pagerduty::models::Schedule) -> Rendered {
    let spans: Vec<Span> = s
        .final_schedule
        .iter()
        .flat_map(|f| &f.rendered_schedule_entries)
        .map(|e| Span {
            user: e.user.clone(),
            start: e.start.0,
            end: e.end.0,
        })
        .collect();
    let schedule = schedule_ref(s.id.as_str(), &s.name);
    rendered(schedule, spans, Detail::LayerBased(Box::new(s)))
}

/// The most distinct people whose names are looked up for one shift-based schedule.
const NAME_CAP: usize = 50;

async fn shift_based(ctx: &Ctx, s: pagerduty::models::ScheduleV3) -> Rendered {
    let assignments: Vec<(UserId, Timestamp, Timestamp)> = s
        .final_schedule
        .iter()
        .flat_map(|f| &f.computed_shift_assignments)
        .filter(|a| a.member.kind == MemberKind::UserMember)
        .filter_map(|a| Some((a.member.user_id.clone()?, a.start_time.0, a.end_time.0)))
        .collect();
    // The v3 API names members by id only: look their names up (a few at a time).
    let mut people: Vec<UserId> = assignments.iter().map(|a| a.0.clone()).collect();
    people.sort();
    people.dedup();
    let names: Vec<(UserId, Option<String>)> =
        futures::stream::iter(people.into_iter().take(NAME_CAP).map(|id| {
            let pd = ctx.pd.clone();
            async move {
                let name = pd.get(&id).await.ok().map(|u| u.name);
                (id, name)
            }
        }))
        .buffered(5)
        .collect()
        .await;
    let spans: Vec<Span> = assignments
        .into_iter()
        .map(|(id, start, end)| Span {
            user: Reference {
                summary: names
                    .iter()
                    .find(|(n, _)| *n == id)
                    .and_then(|(_, name)| name.clone()),
                id: id.to_string(),
                kind: Some("user_reference".into()),
            },
            start,
            end,
        })
        .collect();
    let schedule = schedule_ref(s.id.as_str(), &s.name);
    rendered(schedule, spans, Detail::ShiftBased(Box::new(s)))
}

fn schedule_ref(id: &str, name: &str) -> Reference {
    Reference {
        id: id.to_owned(),
        kind: Some("schedule_reference".into()),
        summary: Some(name.to_owned()),
    }
}

/// Either kind, its spans in time order.
fn rendered(schedule: Reference, mut spans: Vec<Span>, detail: Detail) -> Rendered {
    spans.sort_by_key(|s| (s.start, s.end));
    let kind = match detail {
        Detail::LayerBased(_) => ScheduleKind::LayerBased,
        Detail::ShiftBased(_) => ScheduleKind::ShiftBased,
    };
    Rendered {
        schedule,
        kind,
        spans,
        detail,
    }
}
