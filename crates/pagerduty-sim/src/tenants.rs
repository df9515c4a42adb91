//! Extra accounts ("tenants"), each reached only through its own tokens, so multi-user tests
//! (a hosted gateway serving many callers) can tell whose account answered.

use jiff::Timestamp;

use crate::seed;
use crate::store::Store;
use crate::tokens;

/// Incidents per tenant account: enough to list, small enough to seed many quickly.
const TENANT_INCIDENTS: usize = 20;

/// Adds `count` accounts, numbered from 1, each seeded from its own seed. Tenant `t`'s
/// tokens are its seeded tokens prefixed by [`tokens::tenant_token`].
pub fn add(store: &mut Store, seed: u64, now: Timestamp, count: usize) {
    for t in 1..=count {
        let mut extra = seed::seed(seed.wrapping_add(7919 * t as u64), now, TENANT_INCIDENTS);
        let Some(mut account) = extra.accounts.pop() else {
            continue;
        };
        account.subdomain = format!("tenant-{t}");
        let index = store.accounts.len();
        for (token, (_, credential)) in extra.tokens {
            store
                .tokens
                .insert(tokens::tenant_token(t, &token), (index, credential));
        }
        store.accounts.push(account);
    }
}
