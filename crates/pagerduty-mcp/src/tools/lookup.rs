//! Finding objects by name: `find` (ranked, typo-tolerant) for the model, and `Lookup` for
//! tools that take "an id or a name".

use std::future::Future;

use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::schedules::ScheduleQuery;
use pagerduty::api::services::ServiceQuery;
use pagerduty::api::users::UserQuery;
use pagerduty::ids::{EscalationPolicyId, ScheduleId, ServiceId, TeamId, UserId};
use pagerduty::models::{EscalationPolicy, Schedule, Service, Team, User};
use pagerduty::{Page, Window};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::registry::{Access, Domain, Meta, ToolDef, tool};

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
    let (services, users, teams, schedules, policies) = futures::join!(
        when(want(Kind::Service), pd.list_services(&sq, SCAN)),
        when(want(Kind::User), pd.list_users(&uq, SCAN)),
        when(want(Kind::Team), pd.list_teams(None, SCAN)),
        when(want(Kind::Schedule), pd.list_schedules(&scq, SCAN)),
        when(
            want(Kind::EscalationPolicy),
            pd.list_escalation_policies(&eq, SCAN)
        ),
    );
    let mut matches = Vec::new();
    let mut add = |kind: Kind, id: &str, names: &[&str]| {
        let score = names.iter().map(|n| score(&query, n)).fold(0.0, f64::max);
        if score >= 0.7 {
            matches.push(Found {
                kind,
                id: id.to_owned(),
                name: names[0].to_owned(),
                score: (score * 100.0).round() / 100.0,
            });
        }
    };
    for s in services {
        add(Kind::Service, s.id.as_str(), &[&s.name]);
    }
    for u in users {
        add(Kind::User, u.id.as_str(), &[&u.name, &u.email]);
    }
    for t in teams {
        add(Kind::Team, t.id.as_str(), &[&t.name]);
    }
    for s in schedules {
        add(Kind::Schedule, s.id.as_str(), &[&s.name]);
    }
    for p in policies {
        add(Kind::EscalationPolicy, p.id.as_str(), &[&p.name]);
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

    pub async fn schedule(&self, key: &str) -> Result<Schedule, ToolError> {
        let pd = &self.ctx.pd;
        let q = ScheduleQuery {
            query: Some(key.to_owned()),
            ..Default::default()
        };
        resolve(
            "schedule",
            key,
            pd.list_schedules(&q, SCAN),
            |id| async move {
                let id = ScheduleId::new(id)?;
                let page = pd.list_schedules(&ScheduleQuery::default(), SCAN).await?;
                page.items
                    .into_iter()
                    .find(|s| s.id == id)
                    .ok_or_else(|| not_found("schedule", id.as_str()))
            },
            |s| vec![s.name.clone()],
        )
        .await
    }

    pub async fn team(&self, key: &str) -> Result<Team, ToolError> {
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

fn not_found(what: &str, key: &str) -> pagerduty::Error {
    pagerduty::ApiError::not_found(format!("{what} {key}")).into()
}

/// One object named `key`: an exact (case-insensitive) name, the only partial match, or the
/// object with that id. Several partial matches are an error that lists them.
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
    let mut candidates = by_name.await?.items;
    if let Some(i) = candidates
        .iter()
        .position(|c| names(c).iter().any(|n| n.eq_ignore_ascii_case(key)))
    {
        return Ok(candidates.swap_remove(i));
    }
    match candidates.len() {
        1 => Ok(candidates.swap_remove(0)),
        0 if pagerduty::ids::validate(what, key).is_ok() => {
            by_id(key.to_owned()).await.map_err(|e| match e.status() {
                Some(404) => ToolError::Refused(format!(
                    "no {what} is named `{key}` or has that id; `find` lists close names"
                )),
                _ => e.into(),
            })
        }
        0 => Err(ToolError::Refused(format!(
            "no {what} is named `{key}`; `find` lists close names"
        ))),
        _ => Err(ToolError::Refused(format!(
            "`{key}` matches several {what}s: {}; give the full name or the id",
            candidates
                .iter()
                .take(6)
                .map(|c| format!(
                    "{} ({})",
                    names(c).first().cloned().unwrap_or_default(),
                    c.id_str()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
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

has_id!(Service, EscalationPolicy, Schedule, Team, User);

#[cfg(test)]
mod tests {
    use super::score;

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
