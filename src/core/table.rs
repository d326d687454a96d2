//! The revocation table: what has been revoked, held in memory, checked on
//! every request after the signature and registered claims have passed.
//!
//! Keys are 128-bit hashes of the identifying claims (never of the raw token,
//! which ECDSA lets an attacker re-encode). A hash collision can only make two
//! identities share an entry: in deny rules that over-rejects, never admits.
//! Times are milliseconds since the epoch.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use parking_lot::RwLock;
use xxhash_rust::xxh3::xxh3_128;

use super::epochs::{Epochs, Snapshot, GLOBAL, GROUPS};

/// Why a token was refused, as JS sees it in `err.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    User,
    Token,
    Session,
    Global,
    NotAllowed,
    /// Issued before its group's last mark: the app's own check must decide.
    Group,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::User => "user",
            Reason::Token => "token",
            Reason::Session => "session",
            Reason::Global => "global",
            Reason::NotAllowed => "not_allowed",
            Reason::Group => "group",
        }
    }
}

/// A 16-byte key. Its first 8 bytes are already uniformly distributed, so the
/// map hashes them no further.
pub type Key = [u8; 16];

#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only ever called with a Key.
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        self.0 = u64::from_le_bytes(first);
    }
}

type Map<V> = HashMap<Key, V, BuildHasherDefault<PassThrough>>;

/// Domain-separated 128-bit key: `parts` joined with a byte no UTF-8 string holds.
pub fn key(domain: u8, parts: &[&str]) -> Key {
    let mut buf = smallvec::SmallVec::<[u8; 256]>::new();
    buf.push(domain);
    for p in parts {
        buf.push(0xff);
        buf.extend_from_slice(p.as_bytes());
    }
    xxh3_128(&buf).to_le_bytes()
}

/// How many max lifetimes a cut-off is kept after its time (see `prune`);
/// the JS side keeps store records as long (lib/guard.js).
pub const CUTOFF_LIFETIMES: i64 = 2;

pub const USER: u8 = 1;
pub const TOKEN: u8 = 2;
pub const SESSION: u8 = 3;

/// The identifying claims of a verified token.
pub struct Identity<'a> {
    pub iss: Option<&'a str>,
    pub sub: Option<&'a str>,
    pub jti: Option<&'a str>,
    /// `iat` in seconds, as the token carries it (fractional for milliseconds):
    /// what group marks compare against.
    pub iat: f64,
    /// When the token's session began (`auth_time`, else `iat`), in seconds:
    /// what user and global cut-offs compare against, so that a token minted
    /// from an earlier one (refresh, rotation, reissue) by an instance that had
    /// not yet heard of a cut-off is still refused by it. Never after `iat`.
    pub since: f64,
    /// Values of the configured session claims (`sid`, `did`, ...), by claim
    /// name, each with the time (seconds) its cut-offs compare against: `since`
    /// for a session, `iat` for a refresh family's own rotation marks.
    pub sessions: &'a [(&'a str, &'a str, f64)],
}

/// Whether a token issued at `iat` (seconds) precedes the cut-off `cut` (ms).
/// Compared as `iat < cut / 1000` in f64: both sides are the nearest double to
/// the same decimal for a millisecond `iat`, so a token issued exactly at the
/// cut-off passes and one a fraction of a millisecond earlier does not.
fn before(iat: f64, cut: i64) -> bool {
    cut != i64::MIN && cut != 0 && iat < cut as f64 / 1000.0
}

#[derive(Default)]
struct Inner {
    /// sub → cut-off; a token is refused when iat < cut-off.
    users: Map<i64>,
    /// (iss, jti) → exp in seconds (u32 keeps an entry at 20 bytes + control byte).
    tokens: Map<u32>,
    /// (claim, value) → cut-off.
    sessions: Map<i64>,
    /// (iss, jti) of every live token, in allow-list mode → exp in seconds.
    allowed: Map<u32>,
    global: i64,
    /// Per group of user keys, the time of its last mark (group epochs with a
    /// slow path); empty until the first mark.
    group_times: Vec<i64>,
    /// The longest lifetime and tolerance (ms) of any Guard on this table: every
    /// Guard sharing it must be able to rely on entries that long.
    horizon_ms: (i64, i64),
}

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

#[derive(Default)]
pub struct Table {
    inner: RwLock<Inner>,
    epochs: Epochs,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// The reason `who` is revoked, if it is. `allow_list` makes an unlisted
    /// (iss, jti) a refusal. `snap` receives the groups the answer depends on,
    /// with their epochs read before the table (see epochs.rs).
    /// With `groups`, a token of a sub whose group was marked after its `iat`
    /// is refused with [`Reason::Group`] once every other rule has passed.
    /// (A group mark compares `iat`, not `since`: the slow path's fresh token
    /// keeps its session's start, and must pass the mark it was reissued for.)
    pub fn check(&self, who: &Identity, allow_list: bool, groups: bool, snap: &mut Snapshot) -> Option<Reason> {
        let user_key = who.sub.map(|sub| key(USER, &[sub]));
        let session_keys: smallvec::SmallVec<[(Key, f64); 2]> = who
            .sessions
            .iter()
            .map(|(claim, value, at)| (key(SESSION, &[claim, value]), *at))
            .collect();
        let token_key = who.jti.map(|jti| key(TOKEN, &[who.iss.unwrap_or(""), jti]));
        let e = &self.epochs;
        e.snap(GLOBAL, snap);
        for k in user_key
            .iter()
            .chain(session_keys.iter().map(|(k, _)| k))
            .chain(&token_key)
        {
            e.snap(Epochs::group(k), snap);
        }

        let t = self.inner.read();
        if before(who.since, t.global) {
            return Some(Reason::Global);
        }
        if user_key.is_some_and(|k| t.users.get(&k).is_some_and(|&cut| before(who.since, cut))) {
            return Some(Reason::User);
        }
        if session_keys
            .iter()
            .any(|(k, at)| t.sessions.get(k).is_some_and(|&cut| before(*at, cut)))
        {
            return Some(Reason::Session);
        }
        if token_key.is_some_and(|k| t.tokens.contains_key(&k)) {
            return Some(Reason::Token);
        }
        if allow_list && !token_key.is_some_and(|k| t.allowed.contains_key(&k)) {
            return Some(Reason::NotAllowed);
        }
        if groups && !t.group_times.is_empty() {
            if let Some(k) = user_key {
                if before(who.iat, t.group_times[Epochs::group(&k) as usize]) {
                    return Some(Reason::Group);
                }
            }
        }
        None
    }

    /// The group (of `count`, a power of two up to GROUPS) that `sub` falls in.
    pub fn group_of(sub: &str, count: u32) -> u32 {
        Epochs::group(&key(USER, &[sub])) % count
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

    /// The epoch counters JS reads (see epochs.rs).
    pub fn epochs(&self) -> &Epochs {
        &self.epochs
    }

    /// The latest cut-off that applies to a token of `sub` carrying `sessions`
    /// (i64::MIN when none): a token issued at or after it is not refused.
    pub fn cutoff_for(&self, sub: Option<&str>, sessions: &[(&str, &str)]) -> i64 {
        let t = self.inner.read();
        let user = sub
            .and_then(|s| t.users.get(&key(USER, &[s])).copied())
            .unwrap_or(i64::MIN);
        let session = sessions
            .iter()
            .filter_map(|(c, v)| t.sessions.get(&key(SESSION, &[c, v])).copied())
            .max()
            .unwrap_or(i64::MIN);
        t.global.max(user).max(session)
    }

    /// A user cut-off only moves forward; returns whether it changed.
    pub fn revoke_user(&self, sub: &str, cutoff_ms: i64) -> bool {
        let k = key(USER, &[sub]);
        let moved = forward(&mut self.inner.write().users, k, cutoff_ms);
        self.bumped(moved, Epochs::group(&k))
    }

    pub fn revoke_session(&self, claim: &str, value: &str, cutoff_ms: i64) -> bool {
        let k = key(SESSION, &[claim, value]);
        let moved = forward(&mut self.inner.write().sessions, k, cutoff_ms);
        self.bumped(moved, Epochs::group(&k))
    }

    /// Refuses (iss, jti) until `exp_s`; a later call can only extend the entry.
    pub fn revoke_token(&self, iss: &str, jti: &str, exp_s: f64) -> bool {
        let k = key(TOKEN, &[iss, jti]);
        let moved = extend(&mut self.inner.write().tokens, k, exp_seconds(exp_s));
        self.bumped(moved, Epochs::group(&k))
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

    /// Registers a Guard's lifetime and tolerance; pruning honours the largest.
    pub fn register_horizon(&self, max_lifetime_ms: i64, tolerance_ms: i64) {
        let mut t = self.inner.write();
        t.horizon_ms = (t.horizon_ms.0.max(max_lifetime_ms), t.horizon_ms.1.max(tolerance_ms));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn who<'a>(sub: &'a str, jti: &'a str, iat_ms: i64, sessions: &'a [(&'a str, &'a str, f64)]) -> Identity<'a> {
        Identity {
            iss: Some("i"),
            sub: Some(sub),
            jti: Some(jti),
            iat: iat_ms as f64 / 1000.0,
            since: iat_ms as f64 / 1000.0,
            sessions,
        }
    }

    #[test]
    fn a_fraction_of_a_millisecond_before_the_cutoff_is_before_it() {
        let t = Table::new();
        t.revoke_user("u", 1_800_000_000_000);
        let at = |iat: f64| Identity {
            iss: None,
            sub: Some("u"),
            jti: None,
            iat,
            since: iat,
            sessions: &[],
        };
        assert_eq!(
            t.check(&at(1_799_999_999.999_6), false, false, &mut Snapshot::new()),
            Some(Reason::User)
        );
        assert_eq!(t.check(&at(1_800_000_000.0), false, false, &mut Snapshot::new()), None);
        t.revoke_user("u", 1_800_000_000_123);
        assert_eq!(
            t.check(&at(1_800_000_000.123), false, false, &mut Snapshot::new()),
            None
        );
        assert_eq!(
            t.check(&at(1_800_000_000.122), false, false, &mut Snapshot::new()),
            Some(Reason::User)
        );
    }

    #[test]
    fn a_token_entry_only_grows() {
        let t = Table::new();
        t.revoke_token("i", "j", 100.0);
        assert!(!t.revoke_token("i", "j", 1.0));
        assert_eq!(t.prune(50_000, 0, 0), 0);
        assert_eq!(
            t.check(&who("u", "j", 0, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::Token)
        );
    }

    #[test]
    fn pruning_honours_the_longest_registered_lifetime() {
        let t = Table::new();
        t.register_horizon(30 * 86_400_000, 0);
        t.revoke_user("u", 1_000);
        assert_eq!(t.prune(1_000 + 600_000, 300_000, 0), 0);
        assert_eq!(t.stats().users, 1);
    }

    #[test]
    fn user_cutoff_refuses_tokens_issued_before_it_only() {
        let t = Table::new();
        t.revoke_user("u1", 1_000);
        assert_eq!(
            t.check(&who("u1", "j", 999, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::User)
        );
        assert_eq!(
            t.check(&who("u1", "j", 1_000, &[]), false, false, &mut Snapshot::new()),
            None
        );
        assert_eq!(
            t.check(&who("u2", "j", 0, &[]), false, false, &mut Snapshot::new()),
            None
        );
    }

    #[test]
    fn user_cutoff_only_moves_forward() {
        let t = Table::new();
        assert!(t.revoke_user("u1", 2_000));
        assert!(!t.revoke_user("u1", 1_000));
        assert_eq!(
            t.check(&who("u1", "j", 1_500, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::User)
        );
    }

    #[test]
    fn token_entries_are_keyed_by_issuer_and_jti() {
        let t = Table::new();
        t.revoke_token("i", "j1", 100.0);
        assert_eq!(
            t.check(&who("u", "j1", 0, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::Token)
        );
        assert_eq!(
            t.check(&who("u", "j2", 0, &[]), false, false, &mut Snapshot::new()),
            None
        );
        let other = Identity {
            iss: Some("other"),
            ..who("u", "j1", 0, &[])
        };
        assert_eq!(t.check(&other, false, false, &mut Snapshot::new()), None);
    }

    #[test]
    fn session_cutoff_applies_per_claim_name() {
        let t = Table::new();
        t.revoke_session("did", "phone", 5_000);
        assert_eq!(
            t.check(
                &who("u", "j", 10, &[("did", "phone", 0.01)]),
                false,
                false,
                &mut Snapshot::new()
            ),
            Some(Reason::Session)
        );
        assert_eq!(
            t.check(
                &who("u", "j", 10, &[("sid", "phone", 0.01)]),
                false,
                false,
                &mut Snapshot::new()
            ),
            None
        );
        assert_eq!(
            t.check(
                &who("u", "j", 5_000, &[("did", "phone", 5.0)]),
                false,
                false,
                &mut Snapshot::new()
            ),
            None
        );
    }

    #[test]
    fn global_cutoff_refuses_everything_older() {
        let t = Table::new();
        t.revoke_all(7);
        assert_eq!(
            t.check(&who("u", "j", 6, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::Global)
        );
        assert_eq!(
            t.check(&who("u", "j", 7, &[]), false, false, &mut Snapshot::new()),
            None
        );
    }

    #[test]
    fn allow_list_refuses_unlisted_and_jti_less_tokens() {
        let t = Table::new();
        t.allow_token("i", "j1", 100.0);
        assert_eq!(
            t.check(&who("u", "j1", 0, &[]), true, false, &mut Snapshot::new()),
            None
        );
        assert_eq!(
            t.check(&who("u", "j2", 0, &[]), true, false, &mut Snapshot::new()),
            Some(Reason::NotAllowed)
        );
        let no_jti = Identity {
            jti: None,
            ..who("u", "x", 0, &[])
        };
        assert_eq!(
            t.check(&no_jti, true, false, &mut Snapshot::new()),
            Some(Reason::NotAllowed)
        );
    }

    #[test]
    fn prune_keeps_entries_until_nothing_they_refuse_can_pass() {
        let t = Table::new();
        t.revoke_user("u", 10_000);
        t.revoke_token("i", "j", 20.0);
        // max lifetime 5 s, tolerance 1 s: the user entry may go after 10 + 2 x 5 + 1 = 21 s.
        assert_eq!(t.prune(21_000, 5_000, 1_000), 0);
        assert_eq!(t.prune(21_001, 5_000, 1_000), 1);
        // token exp 20 s, tolerance 1 s: kept through 21 s.
        assert_eq!(t.stats().tokens, 1);
        assert_eq!(t.prune(22_000, 5_000, 1_000), 1);
        assert_eq!(t.stats().tokens, 0);
    }

    #[test]
    fn token_entry_is_twenty_one_bytes_per_slot() {
        let t = Table::new();
        t.reserve(1000);
        for i in 0..1000 {
            t.revoke_token("i", &i.to_string(), 100.0);
        }
        let s = t.stats();
        assert_eq!(s.tokens, 1000);
        assert!(s.bytes >= 1000 * 21 && s.bytes <= 2048 * 21, "{}", s.bytes);
        assert_eq!(s.bytes_by_kind[1], s.bytes, "only token entries were added");
    }

    #[test]
    fn a_revocation_moves_the_epoch_of_its_own_group_only() {
        let t = Table::new();
        let mut before_a = Snapshot::new();
        let mut before_b = Snapshot::new();
        assert_eq!(
            t.check(
                &who("alice", "j1", 0, &[("sid", "s1", 0.0)]),
                false,
                false,
                &mut before_a
            ),
            None
        );
        assert_eq!(t.check(&who("bob", "j2", 0, &[]), false, false, &mut before_b), None);
        // global, user, session, token
        assert_eq!(before_a.len(), 4);
        let unchanged = |snap: &Snapshot| snap.iter().all(|&(g, e)| t.epochs().load(g) == e);
        t.revoke_user("alice", 10);
        assert!(!unchanged(&before_a));
        assert_eq!(
            unchanged(&before_b),
            Epochs::group(&key(USER, &["alice"])) != Epochs::group(&key(USER, &["bob"]))
        );
        // An entry that does not move (an older cut-off) changes no epoch.
        let mut again = Snapshot::new();
        t.check(&who("alice", "j1", 20, &[]), false, false, &mut again);
        t.revoke_user("alice", 5);
        assert!(unchanged(&again));
        t.revoke_all(1);
        assert!(!unchanged(&again));
    }

    #[test]
    fn a_marked_group_sends_older_tokens_of_its_subs_to_the_slow_path() {
        let t = Table::new();
        let count = 1024;
        let g = Table::group_of("alice", count);
        let mut snap = Snapshot::new();
        assert_eq!(t.check(&who("alice", "j", 999, &[]), false, true, &mut snap), None);
        assert!(t.mark_group(g, count, 1_000));
        assert!(snap.iter().any(|&(grp, e)| t.epochs().load(grp) != e));
        assert_eq!(
            t.check(&who("alice", "j", 999, &[]), false, true, &mut Snapshot::new()),
            Some(Reason::Group)
        );
        assert_eq!(
            t.check(&who("alice", "j", 1_000, &[]), false, true, &mut Snapshot::new()),
            None
        );
        // Off unless asked for; other groups untouched; only moves forward.
        assert_eq!(
            t.check(&who("alice", "j", 999, &[]), false, false, &mut Snapshot::new()),
            None
        );
        let other = (0..100)
            .map(|i| format!("u{i}"))
            .find(|s| Table::group_of(s, count) != g)
            .unwrap();
        assert_eq!(
            t.check(&who(&other, "j", 0, &[]), false, true, &mut Snapshot::new()),
            None
        );
        assert!(!t.mark_group(g, count, 500));
        assert!(!t.mark_group(count, count, 2_000));
        // A real revocation still says so.
        t.revoke_user("alice", 2_000);
        assert_eq!(
            t.check(&who("alice", "j", 999, &[]), false, true, &mut Snapshot::new()),
            Some(Reason::User)
        );
    }

    #[test]
    fn a_new_token_entry_moves_its_epoch_even_with_exp_zero() {
        let t = Table::new();
        let mut snap = Snapshot::new();
        assert_eq!(t.check(&who("u", "j", 0, &[]), false, false, &mut snap), None);
        assert!(t.revoke_token("i", "j", 0.0));
        assert!(snap.iter().any(|&(g, e)| t.epochs().load(g) != e));
        assert_eq!(
            t.check(&who("u", "j", 0, &[]), false, false, &mut Snapshot::new()),
            Some(Reason::Token)
        );
    }

    #[test]
    fn cutoffs_compare_the_session_start_and_rotation_marks_the_iat() {
        let t = Table::new();
        t.revoke_user("u", 10_000);
        t.revoke_session("sid", "s", 10_000);
        t.revoke_session("rfam", "s", 10_000);
        // Minted after the cut-offs from a session begun before them.
        let minted = |sessions| Identity {
            since: 5.0,
            sessions,
            ..who("u", "j", 20_000, &[])
        };
        assert_eq!(
            t.check(&minted(&[]), false, false, &mut Snapshot::new()),
            Some(Reason::User)
        );
        t.revoke_all(9_000);
        assert_eq!(
            t.check(
                &Identity {
                    sub: None,
                    ..minted(&[])
                },
                false,
                false,
                &mut Snapshot::new()
            ),
            Some(Reason::Global)
        );
        let other = Identity {
            sub: Some("v"),
            since: 5.0,
            ..who("v", "j", 20_000, &[("sid", "s", 5.0)])
        };
        assert_eq!(
            t.check(&other, false, false, &mut Snapshot::new()),
            Some(Reason::Global)
        );
        let t = Table::new();
        t.revoke_session("sid", "s", 10_000);
        t.revoke_session("rfam", "s", 10_000);
        let by_session = Identity {
            since: 5.0,
            ..who("v", "j", 20_000, &[("sid", "s", 5.0)])
        };
        assert_eq!(
            t.check(&by_session, false, false, &mut Snapshot::new()),
            Some(Reason::Session)
        );
        // A rotation mark passes a token issued after it, whenever its session began.
        let rotated = Identity {
            since: 5.0,
            ..who("v", "j", 20_000, &[("rfam", "s", 20.0)])
        };
        assert_eq!(t.check(&rotated, false, false, &mut Snapshot::new()), None);
    }
}
