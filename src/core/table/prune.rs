//! How long entries are kept, and what they weigh.

use super::Table;

/// How many max lifetimes a cut-off is kept after its time (see `prune`);
/// the JS side keeps store records as long (lib/records.js).
pub const CUTOFF_LIFETIMES: i64 = 2;

/// Counts and approximate heap bytes, for `stats()`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    pub users: usize,
    pub tokens: usize,
    pub sessions: usize,
    pub allowed: usize,
    pub bytes: usize,
    /// `bytes` per kind: users, tokens, sessions, allowed (what `metrics()` reports per kind).
    pub bytes_by_kind: [usize; 4],
    pub global: i64,
}

impl Table {
    /// Registers a Guard's lifetime and tolerance; pruning honours the largest.
    pub fn register_horizon(&self, max_lifetime_ms: i64, tolerance_ms: i64) {
        let mut t = self.inner.write();
        t.horizon_ms = (t.horizon_ms.0.max(max_lifetime_ms), t.horizon_ms.1.max(tolerance_ms));
    }

    /// Drops entries that can no longer refuse any token that would otherwise
    /// pass: token entries after exp + tolerance, cut-offs after cut-off +
    /// twice the max lifetime + tolerance. Once: every token issued before the
    /// cut-off has expired. Twice: a token of a session begun before it, minted
    /// (refresh, rotation) by an instance that heard of the cut-off up to one
    /// lifetime late, has expired too. Returns how many went.
    /// The lifetime and tolerance used are the largest of the arguments and of
    /// every horizon registered, so one Guard never prunes what another needs.
    pub fn prune(&self, now_ms: i64, max_lifetime_ms: i64, tolerance_ms: i64) -> usize {
        let mut t = self.inner.write();
        let max_lifetime_ms = max_lifetime_ms.max(t.horizon_ms.0);
        let tolerance_ms = tolerance_ms.max(t.horizon_ms.1);
        let before = t.users.len() + t.tokens.len() + t.sessions.len() + t.allowed.len();
        let cut_horizon = now_ms - CUTOFF_LIFETIMES * max_lifetime_ms - tolerance_ms;
        let exp_horizon = (now_ms - tolerance_ms).div_euclid(1000);
        t.users.retain(|_, cut| *cut >= cut_horizon);
        t.sessions.retain(|_, cut| *cut >= cut_horizon);
        t.tokens.retain(|_, exp| i64::from(*exp) >= exp_horizon);
        t.allowed.retain(|_, exp| i64::from(*exp) >= exp_horizon);
        before - (t.users.len() + t.tokens.len() + t.sessions.len() + t.allowed.len())
    }

    pub fn stats(&self) -> Stats {
        let t = self.inner.read();
        let bytes = |cap: usize, entry: usize| cap * (entry + 1);
        let by_kind = [
            bytes(t.users.capacity(), 24),
            bytes(t.tokens.capacity(), 20),
            bytes(t.sessions.capacity(), 24),
            bytes(t.allowed.capacity(), 20),
        ];
        Stats {
            users: t.users.len(),
            tokens: t.tokens.len(),
            sessions: t.sessions.len(),
            allowed: t.allowed.len(),
            bytes: by_kind.iter().sum(),
            bytes_by_kind: by_kind,
            global: t.global,
        }
    }
}
