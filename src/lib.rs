//! revocable: strict JWT verification for Node.js. `core` is plain Rust;
//! `binding` is the napi surface that converts types and maps errors.

mod binding;
pub mod core;
