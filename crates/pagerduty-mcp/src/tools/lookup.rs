//! Finding objects by name: `find` (ranked, typo-tolerant) for the model, and `Lookup` for
//! tools that take "an id or a name".

use std::future::Future;

use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::schedules::{ScheduleQuery, V3Parent, V3Query};
use pagerduty::api::services::ServiceQuery;
use pagerduty::api::users::UserQuery;
use pagerduty::ids::{EscalationPolicyId, ScheduleId, ServiceId, TeamId, UserId};
use pagerduty::models::{EscalationPolicy, ScheduleV3, ScheduleV3Ref, Service, Team, User};
use pagerduty::{Page, Window};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Access, Domain, Meta, ToolDef, tool};
use crate::tools::final_schedule::other_kind;
use crate::tools::schedules::ScheduleKind;

/// The most objects of one kind read to rank names.
const SCAN: Window = Window {
    offset: 0,
    limit: 1000,
};

/// The kinds of object `find` searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Service,
    User,
    Team,
    Schedule,
    EscalationPolicy,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct FindArgs {
    /// A name or part of one; typos are tolerated.
    #[schemars(length(max = 200))]
    query: String,
    /// Only these kinds; default all.
    kinds: Option<Vec<Kind>>,
    /// Most results; default 10, at most 50.
    limit: Option<u32>,
}

#[derive(Serialize, JsonSchema)]
struct Found {
    kind: Kind,
    id: String,
    name: String,
    /// For schedules: layer_based (v2) or shift_based (v3).
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule_kind: Option<ScheduleKind>,
    /// 0-1; 1 is an exact name match.
    score: f64,
}

#[derive(Serialize, JsonSchema)]
struct FindResult {
    matches: Vec<Found>,
}

pub fn tools() -> Vec<ToolDef> {
    vec![tool(
        Meta {
            name: "find",
            title: "Find by name",
            domain: Domain::Find,
            access: Access::Read,
            description: "Look up services, users, teams, schedules and escalation policies by name (partial \
                          or misspelt), best matches first, to get their ids without paging through lists.",
        },
        find,
    )]
}

async fn find(ctx: Ctx, a: FindArgs) -> Result<FindResult, ToolError> {
    let query = a.query.trim().to_lowercase();
    if query.is_empty() {
        return Err(ToolError::invalid("query", "must not be empty"));
    }
    let limit = a.limit.unwrap_or(10);
    if limit == 0 || limit > 50 {
        return Err(ToolError::invalid("limit", "must be between 1 and 50"));
    }
    let kinds = a.kinds.unwrap_or_else(|| {
        vec![
            Kind::Service,
            Kind::User,
            Kind::Team,
            Kind::Schedule,
            Kind::EscalationPolicy,
        ]
    });
    let pd = &ctx.pd;
    let want = |k: Kind| kinds.contains(&k);
    let (sq, uq, scq, eq) = (
        ServiceQuery::default(),
        UserQuery::default(),
        ScheduleQuery::default(),
        EscalationPolicyQuery::default(),
    );
    // Every kind is read at once; a kind the credential may not read is skipped, not fatal.
    let v3q = V3Query::default();
    let (services, users, teams, schedules, shift_based, policies) = futures::join!(
        when(want(Kind::Service), pd.list_services(&sq, SCAN)),
        when(want(Kind::User), pd.list_users(&uq, SCAN)),
        when(want(Kind::Team), pd.list_teams(None, SCAN)),
        when(want(Kind::Schedule), pd.list_schedules(&scq, SCAN)),
        when(
            want(Kind::Schedule),
            pd.v3_list::<ScheduleV3Ref>(V3Parent::Schedules, &v3q, SCAN)
        ),
        when(
            want(Kind::EscalationPolicy),
            pd.list_escalation_policies(&eq, SCAN)
        ),
    );
    let mut matches = Vec::new();
    let mut add = |kind: Kind, schedule_kind: Option<ScheduleKind>, id: &str, names: &[&str]| {
        let score = names.iter().map(|n| score(&query, n)).fold(0.0, f64::max);
        if score >= 0.7 {
            matches.push(Found {
                kind,
                id: id.to_owned(),
                name: names[0].to_owned(),
                schedule_kind,
                score: (score * 100.0).round() / 100.0,
            });
        }
    };
    for s in services {
        add(Kind::Service, None, s.id.as_str(), &[&s.name]);
    }
    for u in users {
        add(Kind::User, None, u.id.as_str(), &[&u.name, &u.email]);
    }
    for t in teams {
        add(Kind::Team, None, t.id.as_str(), &[&t.name]);
    }
    for s in schedules {
        let kind = Some(ScheduleKind::LayerBased);
        add(Kind::Schedule, kind, s.id.as_str(), &[&s.name]);
    }
    for s in shift_based {
        let name = s.summary.unwrap_or_default();
        add(
            Kind::Schedule,
            Some(ScheduleKind::ShiftBased),
            s.id.as_str(),
            &[&name],
        );
    }
    for p in policies {
        add(Kind::EscalationPolicy, None, p.id.as_str(), &[&p.name]);
    }
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.name.cmp(&b.name))
    });
    matches.truncate(limit as usize);
    Ok(FindResult { matches })
}

async fn when<T>(wanted: bool, list: impl Future<Output = pagerduty::Result<Page<T>>>) -> Vec<T> {
    if !wanted {
        return Vec::new();
    }
    match list.await {
        Ok(page) => page.items,
        Err(e) => {
            tracing::debug!(error = %e, "find: a kind could not be listed");
            Vec::new()
        }
    }
}

/// How well `name` matches the (lower-case) query: 1 exact, then whole-word and substring
/// matches, then typo-tolerant similarity of the closest word run.
fn score(query: &str, name: &str) -> f64 {
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
            pd.list_services(&q, SCAN),
            |id| async move { pd.get_service(&ServiceId::new(id)?).await },
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
            pd.list_escalation_policies(&q, SCAN),
            |id| async move {
                pd.get_escalation_policy(&EscalationPolicyId::new(id)?)
                    .await
            },
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
                pd.list_schedules(&q, SCAN),
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
            |id| async move { pd.get_team(&TeamId::new(id)?).await },
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
            pd.list_users(&q, SCAN),
            |id| async move { pd.get_user(&UserId::new(id)?).await },
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
