//! Pure Rust: no napi here. Tested with `cargo test`.

pub mod alg;
pub mod b64;
pub mod claims;
pub mod der;
pub mod duration;
pub mod epochs;
pub mod error;
pub mod guard;
pub mod header;
pub mod hmac;
pub mod json;
pub mod key;
pub mod signer;
pub mod table;
pub mod verifier;

pub use alg::Algorithm;
pub use error::{Error, ErrorKind, Result};
pub use guard::{Guard, GuardRules};
pub use key::{KeySet, KeySource};
pub use signer::Signer;
pub use table::Table;
pub use verifier::{Checked, Options, Verified, Verifier};
