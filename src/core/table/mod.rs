//! The revocation table: what has been revoked, held in memory, checked on
//! every request after the signature and registered claims have passed.
//!
//! Keys are 128-bit hashes of the identifying claims (never of the raw token,
//! which ECDSA lets an attacker re-encode). A hash collision can only make two
//! identities share an entry: in deny rules that over-rejects, never admits.
//! Times are milliseconds since the epoch.
//!
//! `key` makes the keys and their epoch groups, `check` answers a request,
//! `entries` writes the maps, `batch` applies a store's records in bulk,
//! `prune` drops what can no longer refuse anything and reports sizes.

mod batch;
mod check;
mod entries;
mod key;
mod prune;

use parking_lot::RwLock;

use self::key::Map;
use super::epochs::Epochs;

pub use batch::{whole_ms, Applied, KIND_ALLOW, KIND_GLOBAL, KIND_GROUP, KIND_SESSION, KIND_TOKEN, KIND_USER};
pub use check::{Identity, Reason};
pub use key::{key, Key, PassThrough, SESSION, TOKEN, USER};
pub use prune::{Stats, CUTOFF_LIFETIMES};

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

#[derive(Default)]
pub struct Table {
    inner: RwLock<Inner>,
    epochs: Epochs,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// The epoch counters JS reads (see epochs.rs).
    pub fn epochs(&self) -> &Epochs {
        &self.epochs
    }
}

#[cfg(test)]
use super::epochs::Snapshot;

#[cfg(test)]
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

#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod entries_tests;
