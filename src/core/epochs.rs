//! Revocation epochs: one counter per group of table keys, bumped after every
//! change to an entry of that group (which key falls in which group is the
//! table's business: table/key.rs). A verified result that recorded the epochs
//! of its groups stays valid exactly as long as none of them moves, so a cache
//! (in JS, reading these counters from shared memory) can answer a repeated
//! token without crossing into Rust, and still honour every revocation.
//!
//! Ordering: a revocation writes the table, then bumps (Release); a check loads
//! the epochs (Acquire), then reads the table. Either the check sees the new
//! entry, or it recorded the old epoch and the bump invalidates its result.

use std::sync::atomic::{AtomicU32, Ordering};

use smallvec::SmallVec;

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
}
