//! Revocation epochs: one counter per group of table keys, bumped after every
//! change to an entry of that group. A verified result that recorded the epochs
//! of its groups stays valid exactly as long as none of them moves, so a cache
//! (in JS, reading these counters from shared memory) can answer a repeated
//! token without crossing into Rust, and still honour every revocation.
//!
//! Ordering: a revocation writes the table, then bumps (Release); a check loads
//! the epochs (Acquire), then reads the table. Either the check sees the new
//! entry, or it recorded the old epoch and the bump invalidates its result.

use std::sync::atomic::{AtomicU32, Ordering};

use smallvec::SmallVec;

use super::table::Key;

/// Groups of keys (user, session and token keys hash into the same groups).
pub const GROUPS: usize = 4096;
/// The extra counter for the global cut-off.
pub const GLOBAL: u32 = GROUPS as u32;

/// The groups a checked token depends on, with their epochs at check time.
pub type Snapshot = SmallVec<[(u32, u32); 6]>;

pub struct Epochs {
    cells: Box<[AtomicU32]>,
}

impl Default for Epochs {
    fn default() -> Epochs {
        Epochs {
            cells: (0..=GROUPS).map(|_| AtomicU32::new(0)).collect(),
        }
    }
}

impl Epochs {
    /// The group of a table key: its second half, already uniformly distributed
    /// (the first half picks the hash-map bucket).
    pub fn group(key: &Key) -> u32 {
        let mut half = [0u8; 8];
        half.copy_from_slice(&key[8..]);
        (u64::from_le_bytes(half) % GROUPS as u64) as u32
    }

    pub fn bump(&self, group: u32) {
        self.cells[group as usize].fetch_add(1, Ordering::Release);
    }

    pub fn load(&self, group: u32) -> u32 {
        self.cells[group as usize].load(Ordering::Acquire)
    }

    /// Records `group` and its current epoch in `snap`.
    pub fn snap(&self, group: u32, snap: &mut Snapshot) {
        snap.push((group, self.load(group)));
    }

    /// The counters, `GROUPS + 1` of them (the last is the global one), for a
    /// read-only view from JS.
    pub fn cells(&self) -> &[AtomicU32] {
        &self.cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bump_moves_only_its_group() {
        let e = Epochs::default();
        e.bump(7);
        assert_eq!(e.load(7), 1);
        assert_eq!(e.load(8), 0);
        assert_eq!(e.load(GLOBAL), 0);
    }

    #[test]
    fn the_group_is_the_keys_second_half_modulo_groups() {
        let mut key = [0u8; 16];
        key[8..].copy_from_slice(&(GROUPS as u64 + 5).to_le_bytes());
        assert_eq!(Epochs::group(&key), 5);
        key[..8].copy_from_slice(&[0xab; 8]); // the first half (the bucket) plays no part
        assert_eq!(Epochs::group(&key), 5);
        // The highest key lands in the last group, never on the global counter.
        assert_eq!(Epochs::group(&[0xff; 16]), GLOBAL - 1);
    }
}
