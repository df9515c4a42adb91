//! Finding objects by name: `Lookup` for tools that take "an id or a name", and the ranking
//! (typo-tolerant `score`) the `find` tool shares.

use std::future::Future;

use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::schedules::{ScheduleQuery, V3Parent, V3Query};
use pagerduty::api::services::ServiceQuery;
use pagerduty::api::users::UserQuery;
use pagerduty::ids::{EscalationPolicyId, ScheduleId, ServiceId, TeamId, UserId};
use pagerduty::models::{EscalationPolicy, ScheduleV3, ScheduleV3Ref, Service, Team, User};
use pagerduty::{Page, Window};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::ScheduleKind;
use crate::tools::final_schedule::other_kind;

/// The most objects of one kind read to rank names.
pub(crate) const SCAN: Window = Window {
    offset: 0,
    limit: 1000,
};

/// How well `name` matches the (lower-case) query: 1 exact, then whole-word and substring
/// matches, then typo-tolerant similarity of the closest word run.
pub(crate) fn score(query: &str, name: &str) -> f64 {
    let name = name.to_lowercase();
    if name == query {
        return 1.0;
    }
    if name.starts_with(query) {
        return 0.95;
    }
    if name
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == query)
    {
        return 0.9;
    }
    if name.contains(query) {
        return 0.85;
    }
    // Compare the query with each window of as many words as it has, so "chekout api" finds
    // "Checkout API" and "chekout" finds "Checkout API".
    let words: Vec<&str> = name.split_whitespace().collect();
    let width = query
        .split_whitespace()
        .count()
        .clamp(1, words.len().max(1));
    let best = words
        .windows(width)
        .map(|w| strsim::jaro_winkler(query, &w.join(" ")))
        .fold(strsim::jaro_winkler(query, &name), f64::max);
    best * 0.85
}

/// Resolves "an id or a name" arguments to one object, or explains the ambiguity.
pub struct Lookup<'c> {
    ctx: &'c Ctx,
}

impl<'c> Lookup<'c> {
    pub fn new(ctx: &'c Ctx) -> Self {
        Self { ctx }
    }

    pub async fn service(&self, key: &str) -> Result<Service, ToolError> {
        let key = key.trim();
        let pd = &self.ctx.pd;
        let q = ServiceQuery {
            query: Some(key.to_owned()),
            ..Default::default()
        };
        resolve(
            "service",
            key,
            pd.list(&q, SCAN),
            |id| async move { pd.get(&ServiceId::new(id)?).await },
            |s| vec![s.name.clone()],
        )
        .await
    }

    pub async fn escalation_policy(&self, key: &str) -> Result<EscalationPolicy, ToolError> {
        let key = key.trim();
        let pd = &self.ctx.pd;
        let q = EscalationPolicyQuery {
            query: Some(key.to_owned()),
            ..Default::default()
        };
        resolve(
            "escalation policy",
            key,
            pd.list(&q, SCAN),
            |id| async move { pd.get(&EscalationPolicyId::new(id)?).await },
            |p| vec![p.name.clone()],
        )
        .await
    }

    /// A schedule of either kind.
    pub async fn schedule(&self, key: &str) -> Result<FoundSchedule, ToolError> {
        let key = key.trim();
        let pd = &self.ctx.pd;
        let by_name = async {
            let q = ScheduleQuery {
                query: Some(key.to_owned()),
                ..Default::default()
            };
            let v3q = V3Query {
                query: Some(key.to_owned()),
                ..Default::default()
            };
            let (v2, v3) = futures::join!(
                pd.list(&q, SCAN),
                pd.v3_list::<ScheduleV3Ref>(V3Parent::Schedules, &v3q, SCAN)
            );
            // One API failing (e.g. v3 not enabled) still lets the other answer.
            let (v2, v3) = match (v2, v3) {
                (Err(e), Err(_)) => return Err(e),
                (v2, v3) => (
                    v2.map(|p| p.items).unwrap_or_default(),
                    v3.map(|p| p.items).unwrap_or_default(),
                ),
            };
            let items = v2
                .into_iter()
                .map(|s| FoundSchedule {
                    id: s.id,
                    name: s.name,
                    kind: ScheduleKind::LayerBased,
                })
                .chain(v3.into_iter().map(|s| FoundSchedule {
                    name: s.summary.unwrap_or_else(|| s.id.to_string()),
                    id: s.id,
                    kind: ScheduleKind::ShiftBased,
                }))
                .collect();
            Ok(Page {
                items,
                more: false,
                next_offset: None,
            })
        };
        resolve(
            "schedule",
            key,
            by_name,
            |id| async move {
                let id = ScheduleId::new(id)?;
                match pd.get_schedule(&id, None).await {
                    Ok(s) => Ok(FoundSchedule {
                        id: s.id,
                        name: s.name,
                        kind: ScheduleKind::LayerBased,
                    }),
                    Err(e) if other_kind(&e, "v3") || e.status() == Some(404) => {
                        let s = pd.v3_get::<ScheduleV3>(V3Parent::Schedules, &id).await?;
                        Ok(FoundSchedule {
                            name: s.name,
                            id: s.id,
                            kind: ScheduleKind::ShiftBased,
                        })
                    }
                    Err(e) => Err(e),
                }
            },
            |s| vec![s.name.clone()],
        )
        .await
    }

    pub async fn team(&self, key: &str) -> Result<Team, ToolError> {
        let key = key.trim();
        let pd = &self.ctx.pd;
        resolve(
            "team",
            key,
            pd.list_teams(Some(key), SCAN),
            |id| async move { pd.get(&TeamId::new(id)?).await },
            |t| vec![t.name.clone()],
        )
        .await
    }

    pub async fn user(&self, key: &str) -> Result<User, ToolError> {
        let key = key.trim();
        let pd = &self.ctx.pd;
        let q = UserQuery {
            query: Some(key.to_owned()),
            ..Default::default()
        };
        resolve(
            "user",
            key,
            pd.list(&q, SCAN),
            |id| async move { pd.get(&UserId::new(id)?).await },
            |u| vec![u.name.clone(), u.email.clone()],
        )
        .await
    }
}

/// Whether `key` is shaped like a PagerDuty id (`PABC123`, `Q0RIJJZL24RC6W`): upper-case
/// letters and digits only. Such a key is tried as an id first; a miss falls back to names.
fn looks_like_id(key: &str) -> bool {
    (6..=32).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// How close a name must score (see [`score`]) to count as a match: it contains the key.
const CLOSE: f64 = 0.85;

/// One object named `key`. An id-shaped key is looked up as an id first. Otherwise (or when
/// no object has that id) a name must match: exactly (case-insensitive), or as the only close
/// match (it contains the key). Anything else answers with the candidates and their ids rather
/// than guessing, even when the search returned a single object.
async fn resolve<T, G, GF>(
    what: &'static str,
    key: &str,
    by_name: impl Future<Output = pagerduty::Result<Page<T>>>,
    by_id: G,
    names: impl Fn(&T) -> Vec<String>,
) -> Result<T, ToolError>
where
    G: FnOnce(String) -> GF,
    GF: Future<Output = pagerduty::Result<T>>,
    T: HasId,
{
    let key = key.trim();
    if key.is_empty() {
        return Err(ToolError::invalid(what, "must not be empty"));
    }
    if looks_like_id(key) {
        match by_id(key.to_owned()).await {
            Ok(found) => return Ok(found),
            // Not an id after all: it may still be a name.
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut candidates = by_name.await?.items;
    let lower = key.to_lowercase();
    let best = |c: &T| {
        names(c)
            .iter()
            .map(|n| score(&lower, n))
            .fold(0.0, f64::max)
    };
    let listed = |v: &[&T]| {
        v.iter()
            .take(6)
            .map(|c| {
                format!(
                    "{} ({})",
                    names(c).first().cloned().unwrap_or_default(),
                    c.id_str()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let exact: Vec<usize> = (0..candidates.len())
        .filter(|&i| best(&candidates[i]) >= 1.0)
        .collect();
    let close: Vec<usize> = (0..candidates.len())
        .filter(|&i| best(&candidates[i]) >= CLOSE)
        .collect();
    let pick = match (exact.as_slice(), close.as_slice()) {
        ([one], _) | ([], [one]) => Some(*one),
        _ => None,
    };
    if let Some(i) = pick {
        return Ok(candidates.swap_remove(i));
    }
    let several = if exact.len() > 1 { &exact } else { &close };
    if several.len() > 1 {
        let v: Vec<&T> = several.iter().map(|&i| &candidates[i]).collect();
        return Err(ToolError::Refused(format!(
            "`{key}` matches several {what}s: {}; give the full name or the id",
            listed(&v)
        )));
    }
    if !candidates.is_empty() {
        let v: Vec<&T> = candidates.iter().collect();
        return Err(ToolError::Refused(format!(
            "no {what} is named `{key}`; the search found {}; give one of these names or ids",
            listed(&v)
        )));
    }
    Err(ToolError::Refused(format!(
        "no {what} is named `{key}` or has that id; `find` lists close names"
    )))
}

/// A schedule of either kind, found by id or name.
#[derive(Clone, Debug)]
pub struct FoundSchedule {
    pub id: ScheduleId,
    pub name: String,
    pub kind: ScheduleKind,
}

/// Objects `resolve` can name in its messages.
trait HasId {
    fn id_str(&self) -> &str;
}

macro_rules! has_id {
    ($($t:ty),*) => {$(
        impl HasId for $t {
            fn id_str(&self) -> &str {
                self.id.as_str()
            }
        }
    )*};
}

has_id!(Service, EscalationPolicy, FoundSchedule, Team, User);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Obj {
        id: String,
        name: String,
    }

    impl HasId for Obj {
        fn id_str(&self) -> &str {
            &self.id
        }
    }

    fn obj(id: &str, name: &str) -> Obj {
        Obj {
            id: id.into(),
            name: name.into(),
        }
    }

    fn page(items: Vec<Obj>) -> pagerduty::Result<Page<Obj>> {
        Ok(Page {
            items,
            more: false,
            next_offset: None,
        })
    }

    /// Resolves `key` against a name search answering `found` and an id lookup over `by_id`.
    fn run(key: &str, found: Vec<Obj>, by_id: Vec<Obj>) -> Result<Obj, ToolError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(resolve(
            "service",
            key,
            async { page(found) },
            |id| async move {
                by_id
                    .into_iter()
                    .find(|o| o.id == id)
                    .ok_or_else(|| pagerduty::ApiError::not_found(format!("service {id}")).into())
            },
            |o: &Obj| vec![o.name.clone()],
        ))
    }

    #[test]
    fn an_id_shaped_key_is_an_id_first() {
        let real = obj("PABC123", "Checkout API");
        let impostor = obj("PZZZ999", "PABC123");
        let got = run("PABC123", vec![impostor], vec![real]).unwrap();
        assert_eq!(got.id, "PABC123");
        // No object has that id: the name decides.
        let got = run("PABC123", vec![obj("PZZZ999", "PABC123")], vec![]).unwrap();
        assert_eq!(got.id, "PZZZ999");
    }

    #[test]
    fn a_single_search_result_is_taken_only_when_its_name_matches() {
        let msg = run("billing", vec![obj("P1", "Payments")], vec![])
            .unwrap_err()
            .to_string();
        assert!(msg.contains("no service is named `billing`"), "{msg}");
        assert!(
            msg.contains("Payments (P1)"),
            "the candidate and its id: {msg}"
        );
        // Positive controls: the only close match, and an exact one among close ones.
        assert_eq!(
            run("pay", vec![obj("P1", "Payments")], vec![]).unwrap().id,
            "P1"
        );
        let two = vec![obj("P1", "Payments"), obj("P2", "Payments Gateway")];
        assert_eq!(run("payments", two, vec![]).unwrap().id, "P1");
        let two = vec![obj("P1", "Payments"), obj("P2", "Payments Gateway")];
        let msg = run("pay", two, vec![]).unwrap_err().to_string();
        assert!(
            msg.contains("matches several services: Payments (P1), Payments Gateway (P2)"),
            "{msg}"
        );
        let msg = run("nothing", vec![], vec![]).unwrap_err().to_string();
        assert!(msg.contains("`find` lists close names"), "{msg}");
    }

    #[test]
    fn ranks_exact_then_prefix_then_words_then_typos() {
        assert_eq!(score("checkout api", "Checkout API"), 1.0);
        assert!(score("check", "Checkout API") > score("api", "Checkout API"));
        assert!(score("api", "Checkout API") > score("chekout", "Checkout API"));
        assert!(
            score("chekout", "Checkout API") >= 0.7,
            "typos are tolerated"
        );
        assert!(
            score("payments", "Search") < 0.7,
            "unrelated names do not match"
        );
    }
}
