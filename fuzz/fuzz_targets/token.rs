//! Raw bytes as a token, through both Guards' whole verify path (size,
//! structure, base64url, JSON, header, key selection, signature, claims,
//! table), and through decode().
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use revocable::core::{verifier, Guard};
use revocable_fuzz::{hmac_guard, jwk_guard, verify, NOW_MS};

static GUARDS: OnceLock<(Guard, Guard)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (hmac, jwk) = GUARDS.get_or_init(|| (hmac_guard(), jwk_guard()));
    verify(hmac, data, NOW_MS);
    verify(jwk, data, NOW_MS);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = verifier::decode(text);
    }
});
