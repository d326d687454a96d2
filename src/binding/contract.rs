//! What lib/ must agree on with the core, exported once (lib/contract.js reads
//! it) instead of being copied by comment on both sides. Every time that
//! crosses the binding is in milliseconds since the epoch, except the options
//! a user writes in JWT terms (maxTokenLifetime, clockTolerance: seconds or a
//! duration string). A failure's detail is not a constant: it crosses as
//! properties of the thrown error (`code`, `claim` or `reason`; error.rs).
//! __test__/contract.test.js fails if the two sides disagree.

use napi_derive::napi;

use super::shape::{CLAIM_NAMES, FALSE, NULL, NUMBER, SHAPE_LEN, STRING, STRINGS, TRUE};
use super::shared::{MAX_GROUPS, SCRATCH_LEN, TOKEN_HASH};
use crate::core::claims::IAT_SKEW;
use crate::core::epochs::GROUPS;
use crate::core::table::{KIND_ALLOW, KIND_GLOBAL, KIND_GROUP, KIND_SESSION, KIND_TOKEN, KIND_USER};

#[napi(object)]
pub struct Contract {
    /// How far `iat` may lie ahead of now beyond clockTolerance, in ms.
    pub iat_skew_ms: f64,
    /// Revocation groups; the epochs view has `groups + 1` cells, the last global.
    pub groups: u32,
    /// Cells of a verifier's scratch view: `[validFromMs, validUntilMs,
    /// groupCount, group0, epoch0, ..., tokenHash]`.
    pub scratch_len: u32,
    /// Index of the first (group, epoch) pair in the scratch view.
    pub scratch_first_group: u32,
    /// Most (group, epoch) pairs a cached result may depend on.
    pub scratch_max_groups: u32,
    /// Index of the token's 32-bit hash in the scratch view.
    pub scratch_token_hash: u32,
    /// The numbers `applyRecords` takes for the record kinds; any other
    /// number (0) stops the batch at that record, for the caller to apply.
    pub record_kinds: RecordKinds,
    /// Cells of the shape view (src/binding/shape.rs has the layout).
    pub shape_len: u32,
    /// Names a shape gives as `-(index + 1)`.
    pub claim_names: Vec<String>,
    /// The shape's value types.
    pub shape_types: ShapeTypes,
}

#[napi(object)]
pub struct ShapeTypes {
    pub string: u32,
    pub number: u32,
    pub r#true: u32,
    pub r#false: u32,
    pub null: u32,
    pub strings: u32,
}

#[napi(object)]
pub struct RecordKinds {
    pub user: u32,
    pub session: u32,
    pub token: u32,
    pub allow: u32,
    pub global: u32,
    pub group: u32,
}

#[napi]
pub fn contract() -> Contract {
    Contract {
        iat_skew_ms: IAT_SKEW * 1000.0,
        groups: GROUPS as u32,
        scratch_len: SCRATCH_LEN as u32,
        scratch_first_group: 3,
        scratch_max_groups: MAX_GROUPS as u32,
        scratch_token_hash: TOKEN_HASH as u32,
        record_kinds: RecordKinds {
            user: KIND_USER.into(),
            session: KIND_SESSION.into(),
            token: KIND_TOKEN.into(),
            allow: KIND_ALLOW.into(),
            global: KIND_GLOBAL.into(),
            group: KIND_GROUP.into(),
        },
        shape_len: SHAPE_LEN as u32,
        claim_names: CLAIM_NAMES.iter().map(|n| n.to_string()).collect(),
        shape_types: ShapeTypes {
            string: STRING as u32,
            number: NUMBER as u32,
            r#true: TRUE as u32,
            r#false: FALSE as u32,
            null: NULL as u32,
            strings: STRINGS as u32,
        },
    }
}
