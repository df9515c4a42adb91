//! `find`: objects of several kinds by name, ranked and typo-tolerant, for the model.

use std::future::Future;

use pagerduty::Page;
use pagerduty::api::escalation_policies::EscalationPolicyQuery;
use pagerduty::api::schedules::{ScheduleQuery, V3Parent, V3Query};
use pagerduty::api::services::ServiceQuery;
use pagerduty::api::users::UserQuery;
use pagerduty::models::ScheduleV3Ref;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{ScheduleKind, bounded};
use crate::registry::{Domain, ToolDef, Tools};

use super::lookup::{SCAN, score};

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

const FIND: Tools = Tools(Domain::Find);

pub fn tools() -> Vec<ToolDef> {
    vec![
        FIND.read(
            "find",
            "Look up services, users, teams, schedules and escalation policies by name (partial \
             or misspelt), best matches first, to get their ids without paging through lists.",
            find,
        )
        .titled("Find by name"),
    ]
}

async fn find(ctx: Ctx, a: FindArgs) -> Result<FindResult, ToolError> {
    let query = a.query.trim().to_lowercase();
    if query.is_empty() {
        return Err(ToolError::invalid("query", "must not be empty"));
    }
    let limit = bounded("limit", a.limit, 10, 50)?;
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
        when(want(Kind::Service), pd.list(&sq, SCAN)),
        when(want(Kind::User), pd.list(&uq, SCAN)),
        when(want(Kind::Team), pd.list_teams(None, SCAN)),
        when(want(Kind::Schedule), pd.list(&scq, SCAN)),
        when(
            want(Kind::Schedule),
            pd.v3_list::<ScheduleV3Ref>(V3Parent::Schedules, &v3q, SCAN)
        ),
        when(want(Kind::EscalationPolicy), pd.list(&eq, SCAN)),
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
