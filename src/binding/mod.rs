//! The napi surface: option objects in, JSON text out, errors mapped to codes.
//! No verification logic lives here.

// Under `--features noop` (cargo test) the napi macros expand to nothing.
#![cfg_attr(feature = "noop", allow(dead_code))]

mod bound;
mod contract;
mod error;
mod guard;
mod options;
mod shape;
mod shared;
mod sign;
mod text;
mod verify;
