//! Text as a JWK or JWK Set (and raw bytes as a PEM or secret), for every
//! algorithm: parsing must answer with a key set or a coded error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revocable::core::{KeySet, KeySource};
use revocable_fuzz::all_algorithms;

fuzz_target!(|data: &[u8]| {
    let algorithms = all_algorithms();
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = KeySet::new(KeySource::Jwk(text), &algorithms);
    }
    let _ = KeySet::new(KeySource::Bytes(data), &algorithms);
});
