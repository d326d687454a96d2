//! What the fuzz targets share: a Guard like the one JS builds (HMAC secret
//! and a JWK Set with EC, Ed25519 and RSA public keys; a revocation table with
//! a few entries), so that every input reaches key selection, signature
//! checks, claims and the table.

use std::sync::Arc;

use revocable::core::{Algorithm, Guard, GuardRules, KeySet, KeySource, Options, Signer, Table, Verifier};

pub const SECRET: &[u8] = b"a-fuzzing-secret-of-at-least-32-bytes";
const JWKS: &str = include_str!("keys.json");
/// A fixed "now" (ms): inputs pick their own times around it.
pub const NOW_MS: f64 = 1_700_000_000_000.0;

pub fn all_algorithms() -> Vec<Algorithm> {
    use Algorithm::*;
    vec![
        HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA,
    ]
}

fn table() -> Arc<Table> {
    let table = Arc::new(Table::new());
    table.revoke_user("revoked-user", NOW_MS as i64);
    table.revoke_session("sid", "revoked-session", NOW_MS as i64);
    table.revoke_token("", "revoked-jti", NOW_MS / 1000.0 + 600.0);
    table
}

fn guard(algorithms: Vec<Algorithm>, source: KeySource) -> Guard {
    let keys = KeySet::new(source, &algorithms).expect("the fuzz keys are valid");
    let mut options = Options::new(algorithms);
    options.claims.required = Vec::new();
    options.claims.clock_tolerance = 5.0;
    let verifier = Verifier::new(options, keys).expect("the fuzz options are valid");
    let rules = GuardRules {
        max_lifetime: 3600.0,
        session_claims: vec!["sid".into()],
        allow_list: false,
        groups: true,
    };
    Guard::new(verifier, table(), rules).expect("the fuzz rules are valid")
}

/// A Guard on the HMAC secret (HS*).
pub fn hmac_guard() -> Guard {
    guard(
        vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512],
        KeySource::Bytes(SECRET),
    )
}

/// A Guard on the JWK Set (RS*, PS*, ES256, EdDSA).
pub fn jwk_guard() -> Guard {
    use Algorithm::*;
    guard(
        vec![RS256, RS384, RS512, PS256, PS384, PS512, ES256, EdDSA],
        KeySource::Jwk(JWKS),
    )
}

pub fn signer() -> Signer {
    Signer::new(Algorithm::HS256, SECRET).expect("HS256 with a 37-byte secret")
}

/// Runs the whole verify path; any answer is fine, a panic is the bug.
pub fn verify(guard: &Guard, token: &[u8], now_ms: f64) {
    let _ = guard.verify_with(token, now_ms, |checked, _| {
        checked.payload.len() + checked.members.len()
    });
}
