//! Writing the maps: cut-offs that only move forward, token entries that only
//! grow, group marks; each change bumps the epoch of its key's group.

use super::key::{group, key, Key, Map, SESSION, TOKEN, USER};
use super::Table;
use crate::core::epochs::{GLOBAL, GROUPS};

impl Table {
    /// The group (of `count`, a power of two up to GROUPS) that `sub` falls in.
    pub fn group_of(sub: &str, count: u32) -> u32 {
        group(&key(USER, &[sub])) % count
    }

    /// Marks group `index` of `count`: tokens of its subs issued before `at_ms`
    /// need the app's check. Only moves forward; returns whether it moved.
    pub fn mark_group(&self, index: u32, count: u32, at_ms: i64) -> bool {
        let (count, index) = (count as usize, index as usize);
        if count == 0 || count > GROUPS || !GROUPS.is_multiple_of(count) || index >= count {
            return false;
        }
        let mut moved = Vec::new();
        {
            let mut t = self.inner.write();
            if t.group_times.is_empty() {
                t.group_times = vec![i64::MIN; GROUPS];
            }
            // A group of `count` is every native group congruent to it.
            for g in (index..GROUPS).step_by(count) {
                if at_ms > t.group_times[g] {
                    t.group_times[g] = at_ms;
                    moved.push(g as u32);
                }
            }
        }
        for &g in &moved {
            self.epochs.bump(g);
        }
        !moved.is_empty()
    }

    /// A user cut-off only moves forward; returns whether it changed.
    pub fn revoke_user(&self, sub: &str, cutoff_ms: i64) -> bool {
        let k = key(USER, &[sub]);
        let moved = forward(&mut self.inner.write().users, k, cutoff_ms);
        self.bumped(moved, group(&k))
    }

    pub fn revoke_session(&self, claim: &str, value: &str, cutoff_ms: i64) -> bool {
        let k = key(SESSION, &[claim, value]);
        let moved = forward(&mut self.inner.write().sessions, k, cutoff_ms);
        self.bumped(moved, group(&k))
    }

    /// Refuses (iss, jti) until `exp_s`; a later call can only extend the entry.
    pub fn revoke_token(&self, iss: &str, jti: &str, exp_s: f64) -> bool {
        let k = key(TOKEN, &[iss, jti]);
        let moved = extend(&mut self.inner.write().tokens, k, exp_seconds(exp_s));
        self.bumped(moved, group(&k))
    }

    /// Bumps `group` after a change (the write lock is already released).
    /// Allowing a token or pruning never bumps: neither can refuse a token.
    fn bumped(&self, moved: bool, group: u32) -> bool {
        if moved {
            self.epochs.bump(group);
        }
        moved
    }

    pub fn allow_token(&self, iss: &str, jti: &str, exp_s: f64) -> bool {
        extend(
            &mut self.inner.write().allowed,
            key(TOKEN, &[iss, jti]),
            exp_seconds(exp_s),
        )
    }

    pub fn revoke_all(&self, cutoff_ms: i64) -> bool {
        let moved = {
            let mut t = self.inner.write();
            let moved = cutoff_ms > t.global;
            t.global = t.global.max(cutoff_ms);
            moved
        };
        self.bumped(moved, GLOBAL)
    }

    /// Makes room before a bulk load, so loading does not rehash repeatedly.
    pub fn reserve(&self, tokens: usize) {
        self.inner.write().tokens.reserve(tokens);
    }
}

fn forward(map: &mut Map<i64>, k: Key, cutoff: i64) -> bool {
    let slot = map.entry(k).or_insert(i64::MIN);
    let moved = cutoff > *slot;
    *slot = (*slot).max(cutoff);
    moved
}

/// Inserts or extends an entry; a new entry counts as a change whatever its
/// exp (it refuses its token from now on), so its epoch moves too.
fn extend(map: &mut Map<u32>, k: Key, exp: u32) -> bool {
    match map.entry(k) {
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(exp);
            true
        }
        std::collections::hash_map::Entry::Occupied(mut slot) => {
            let moved = exp > *slot.get();
            if moved {
                *slot.get_mut() = exp;
            }
            moved
        }
    }
}

/// exp rounded up to whole seconds (an entry may outlive its token, never the
/// reverse); NaN keeps the entry as long as possible rather than not at all.
fn exp_seconds(exp_s: f64) -> u32 {
    if exp_s.is_nan() {
        return u32::MAX;
    }
    exp_s.ceil().clamp(0.0, u32::MAX as f64) as u32
}
