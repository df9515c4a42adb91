//! Seeded PagerDuty-style ids, unique within one account.

use std::collections::HashSet;

use crate::rng::Rng;

/// Mints seeded ids from an account's generator.
pub struct Ids<'a> {
    pub rng: &'a mut Rng,
    used: HashSet<String>,
}

impl<'a> Ids<'a> {
    pub fn new(rng: &'a mut Rng) -> Self {
        Self {
            rng,
            used: HashSet::new(),
        }
    }

    /// PagerDuty-style id: `P` + 6 chars. Second char never `W` so ids
    /// minted later by writes (`PW...`) cannot collide.
    pub fn mint(&mut self) -> String {
        const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVXYZ";
        loop {
            let mut s = String::from("P");
            for _ in 0..6 {
                s.push(A[self.rng.below(A.len() as u64) as usize] as char);
            }
            if self.used.insert(s.clone()) {
                return s;
            }
        }
    }
    pub fn hex(&mut self, len: usize) -> String {
        const H: &[u8] = b"0123456789abcdef";
        (0..len)
            .map(|_| H[self.rng.below(16) as usize] as char)
            .collect()
    }
}
