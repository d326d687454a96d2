//! The per-request check: which rule, if any, refuses a verified identity,
//! and the one comparison every cut-off uses.

use super::key::{group, key, Key, SESSION, TOKEN, USER};
use super::Table;
use crate::core::epochs::{Snapshot, GLOBAL};

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

impl Table {
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
            e.snap(group(k), snap);
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
                if before(who.iat, t.group_times[group(&k) as usize]) {
                    return Some(Reason::Group);
                }
            }
        }
        None
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
}
