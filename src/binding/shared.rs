//! Memory JS reads directly, so the result cache can answer a repeated token
//! without a call into Rust: the table's epoch counters (shared by every
//! thread) and a per-verifier scratch area describing the last result.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use napi::bindgen_prelude::{Float64Array, Uint32Array};

use super::shape::{self, SHAPE_LEN};
use crate::core::epochs::Snapshot;
use crate::core::json::Member;
use crate::core::Table;

/// Most groups a result may depend on and still be cached (global, user,
/// token and up to five session claims).
pub(super) const MAX_GROUPS: usize = 8;
/// [validFromMs, validUntilMs, groupCount, group0, epoch0, group1, epoch1, ...,
/// tokenHash]: the last a 32-bit hash of the token, so the cache can admit only
/// tokens it has seen before without hashing them in JS. Exported to JS
/// through src/binding/contract.rs.
pub(super) const SCRATCH_LEN: usize = 4 + 2 * MAX_GROUPS;
pub(super) const TOKEN_HASH: usize = SCRATCH_LEN - 1;

/// What the last successful verify on this object depends on, and the shape
/// of its claims (shape.rs), as f64 bits.
pub struct Scratch(Arc<[AtomicU64]>, Arc<[AtomicU64]>);

impl Default for Scratch {
    fn default() -> Scratch {
        let cells = |n: usize| (0..n).map(|_| AtomicU64::new(0)).collect();
        Scratch(cells(SCRATCH_LEN), cells(SHAPE_LEN))
    }
}

impl Scratch {
    /// Records a result's validity window and groups; one that depends on more
    /// groups than fit gets an empty window, so it is never cached.
    pub fn record(&self, token: &[u8], (from, until): (f64, f64), snap: &Snapshot) {
        let s = &self.0;
        let set = |i: usize, v: f64| s[i].store(v.to_bits(), Ordering::Relaxed);
        set(TOKEN_HASH, (xxh3_64(token) as u32) as f64);
        if snap.len() > MAX_GROUPS {
            set(0, 0.0);
            set(1, 0.0);
            return;
        }
        set(0, from);
        set(1, until);
        set(2, snap.len() as f64);
        for (i, &(group, epoch)) in snap.iter().enumerate() {
            set(3 + 2 * i, group as f64);
            set(4 + 2 * i, epoch as f64);
        }
    }

    /// Records the shape of the claims just verified (shape.rs).
    pub fn record_shape(&self, payload: &str, members: &[Member<'_>]) {
        shape::write(payload, members, &self.1);
    }

    /// A Float64Array over the scratch area; it keeps the memory alive.
    pub fn view(&self) -> Float64Array {
        f64_view(&self.0)
    }

    /// A Float64Array over the shape area; it keeps the memory alive.
    pub fn shape_view(&self) -> Float64Array {
        f64_view(&self.1)
    }
}

fn f64_view(cells: &Arc<[AtomicU64]>) -> Float64Array {
    let keep = Arc::clone(cells);
    let (ptr, len) = (keep.as_ptr() as *mut f64, keep.len());
    // Safety: AtomicU64 has the size and alignment of f64; the Arc moved
    // into the finaliser keeps the memory alive as long as the view.
    unsafe { Float64Array::with_external_data(ptr, len, move |_, _| drop(keep)) }
}

/// A Uint32Array over the table's epoch counters (JS only reads them: lib/cache.js);
/// it keeps the table alive.
pub fn epochs_view(table: &Arc<Table>) -> Uint32Array {
    let keep = Arc::clone(table);
    let cells: &[AtomicU32] = keep.epochs().cells();
    let (ptr, len) = (cells.as_ptr() as *mut u32, cells.len());
    // Safety: AtomicU32 has the layout of u32; JS only reads (aligned 32-bit loads),
    // and the Arc moved into the finaliser keeps the counters alive.
    unsafe { Uint32Array::with_external_data(ptr, len, move |_, _| drop(keep)) }
}
