//! Table keys: 128-bit hashes of the identifying claims (never of the raw
//! token, which ECDSA lets an attacker re-encode). The first half picks the
//! hash-map bucket, the second half the epoch group; both are already
//! uniformly distributed, so neither is hashed again.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_128;

use crate::core::epochs::GROUPS;

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

pub(super) type Map<V> = HashMap<Key, V, BuildHasherDefault<PassThrough>>;

pub const USER: u8 = 1;
pub const TOKEN: u8 = 2;
pub const SESSION: u8 = 3;

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

/// The epoch group of a key: its second half, already uniformly distributed
/// (the first half picks the hash-map bucket).
pub(super) fn group(key: &Key) -> u32 {
    let mut half = [0u8; 8];
    half.copy_from_slice(&key[8..]);
    (u64::from_le_bytes(half) % GROUPS as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::epochs::GLOBAL;

    #[test]
    fn the_group_is_the_keys_second_half_modulo_groups() {
        let mut key = [0u8; 16];
        key[8..].copy_from_slice(&(GROUPS as u64 + 5).to_le_bytes());
        assert_eq!(group(&key), 5);
        key[..8].copy_from_slice(&[0xab; 8]); // the first half (the bucket) plays no part
        assert_eq!(group(&key), 5);
        // The highest key lands in the last group, never on the global counter.
        assert_eq!(group(&[0xff; 16]), GLOBAL - 1);
    }
}
