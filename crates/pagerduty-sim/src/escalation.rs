//! Escalation at request time: who a policy's level puts on call at an instant, over both
//! kinds of schedule. Incident creation, reassignment and escalation ask here.

use jiff::Timestamp;

use crate::schedule;
use crate::store::{Account, Target};

/// Users who would be assigned at `level` (1-based) of the policy at `at`.
pub fn level_on_call(acct: &Account, ep_id: &str, level: usize, at: Timestamp) -> Vec<String> {
    let Some(ep) = acct.escalation_policy(ep_id) else {
        return vec![];
    };
    let Some(rule) = ep.rules.get(level.saturating_sub(1)) else {
        return vec![];
    };
    let mut out: Vec<String> = Vec::new();
    for t in &rule.targets {
        let who = match t {
            Target::User(u) => vec![u.clone()],
            Target::Schedule(s) => schedule::on_call_at(acct, s, at),
        };
        for w in who {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// First level (from 1) of the policy that has anyone on call at `at`.
pub fn first_staffed_level(acct: &Account, ep_id: &str, at: Timestamp) -> (usize, Vec<String>) {
    let levels = acct
        .escalation_policy(ep_id)
        .map(|e| e.rules.len())
        .unwrap_or(0);
    for level in 1..=levels {
        let who = level_on_call(acct, ep_id, level, at);
        if !who.is_empty() {
            return (level, who);
        }
    }
    (1, vec![])
}
