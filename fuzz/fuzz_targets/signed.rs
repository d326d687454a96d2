//! Header and claims JSON chosen by the fuzzer, correctly signed (HS256), so
//! that inputs get past the signature into the header rules, the claim checks
//! and the revocation table. Input: 8 bytes of "now" offset (ms, any f64),
//! then header JSON, a 0xFF byte, claims JSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use revocable::core::{Guard, Signer};
use revocable_fuzz::{hmac_guard, signer, verify, NOW_MS};

static STATE: OnceLock<(Guard, Signer)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (guard, signer) = STATE.get_or_init(|| (hmac_guard(), signer()));
    let offset = f64::from_le_bytes(data[..8].try_into().unwrap());
    let rest = &data[8..];
    let split = rest.iter().position(|&b| b == 0xFF).unwrap_or(rest.len());
    let header = String::from_utf8_lossy(&rest[..split]);
    let claims = String::from_utf8_lossy(rest.get(split + 1..).unwrap_or(&[]));
    let Ok(token) = signer.sign(&header, &claims) else {
        return;
    };
    verify(guard, token.as_bytes(), NOW_MS);
    verify(guard, token.as_bytes(), NOW_MS + offset);
});
