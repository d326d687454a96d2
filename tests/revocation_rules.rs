//! The Guard's revocation rules on the verify path (src/core/guard.rs,
//! table/, epochs.rs): where each cut-off's boundary lies, the lifetime
//! bound, and the epochs a verified result records, which is what keeps the
//! JS result cache correct.

use std::sync::Arc;

use aws_lc_rs::hmac;
use revocable::core::epochs::Snapshot;
use revocable::core::{b64, Algorithm, ErrorKind, Guard, GuardRules, KeySet, KeySource, Options, Table, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";

fn hs256(payload: &str) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"HS256"}"#),
        b64::encode(payload.as_bytes())
    );
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, SECRET), input.as_bytes());
    format!("{input}.{}", b64::encode(tag.as_ref()))
}

fn guard() -> (Guard, Arc<Table>) {
    let table = Arc::new(Table::new());
    let o = Options::new(vec![Algorithm::HS256]);
    let keys = KeySet::new(KeySource::Bytes(SECRET), &o.algorithms).unwrap();
    let rules = GuardRules {
        max_lifetime: 3600.0,
        session_claims: vec!["sid".into()],
        allow_list: false,
        groups: false,
    };
    (
        Guard::new(Verifier::new(o, keys).unwrap(), table.clone(), rules).unwrap(),
        table,
    )
}

/// Passes with the (group, epoch) pairs recorded, or the kind and claim/reason.
fn verdict(g: &Guard, payload: &str) -> Result<Snapshot, (ErrorKind, String)> {
    g.verify_with(hs256(payload).as_bytes(), NOW_MS, |_, snap| snap.clone())
        .map_err(|e| (e.kind, e.claim.unwrap_or_default()))
}

fn refused(reason: &str) -> Result<(), (ErrorKind, String)> {
    Err((ErrorKind::Revoked, reason.into()))
}

/// A token of `sub` in session `sid` issued at `iat` (seconds), living ten minutes.
fn token(sub: &str, sid: &str, iat: f64) -> String {
    format!(
        r#"{{"iss":"i","sub":"{sub}","sid":"{sid}","jti":"j-{sub}","iat":{iat},"exp":{}}}"#,
        iat + 600.0
    )
}

#[test]
fn a_cutoff_refuses_tokens_issued_before_it_and_not_at_or_after_it() {
    let (g, table) = guard();
    let cut_ms = NOW_MS as i64 - 60_000;
    let cut = cut_ms as f64 / 1000.0;
    table.revoke_user("u", cut_ms);
    table.revoke_session("sid", "s", cut_ms);
    for (payload, want) in [
        (token("u", "x", cut - 0.001), refused("user")),
        (token("u", "x", cut), Ok(())),
        (token("v", "s", cut - 0.001), refused("session")),
        (token("v", "s", cut), Ok(())),
        (token("w", "x", cut - 0.001), Ok(())),
    ] {
        assert_eq!(verdict(&g, &payload).map(|_| ()), want, "{payload}");
    }
    table.revoke_all(cut_ms);
    assert_eq!(
        verdict(&g, &token("w", "x", cut - 0.001)).map(|_| ()),
        refused("global")
    );
}

#[test]
fn a_revoked_token_is_refused_by_iss_and_jti_and_only_that_pair() {
    let (g, table) = guard();
    let iat = NOW_MS / 1000.0 - 10.0;
    table.revoke_token("i", "j-u", iat + 600.0);
    assert_eq!(verdict(&g, &token("u", "x", iat)).map(|_| ()), refused("token"));
    assert!(verdict(&g, &token("v", "x", iat)).is_ok());
    // Another issuer's token with the same jti is another token.
    let other = format!(
        r#"{{"iss":"k","sub":"u","jti":"j-u","iat":{iat},"exp":{}}}"#,
        iat + 600.0
    );
    assert!(verdict(&g, &other).is_ok());
}

#[test]
fn a_guard_needs_iat_and_exp_no_further_apart_than_the_lifetime() {
    let (g, _) = guard();
    let iat = NOW_MS / 1000.0 - 10.0;
    let life = |secs: f64| format!(r#"{{"sub":"u","iat":{iat},"exp":{}}}"#, iat + secs);
    assert!(verdict(&g, &life(3600.0)).is_ok());
    assert_eq!(verdict(&g, &life(3600.001)).unwrap_err().0, ErrorKind::Claim);
    let no_iat = format!(r#"{{"sub":"u","exp":{}}}"#, iat + 60.0);
    assert_eq!(verdict(&g, &no_iat).unwrap_err().0, ErrorKind::Claim);
}

#[test]
fn a_revocation_that_would_refuse_a_result_moves_an_epoch_it_recorded() {
    let (g, table) = guard();
    let iat = NOW_MS / 1000.0 - 10.0;
    let moved = |snap: &Snapshot| snap.iter().any(|&(group, epoch)| table.epochs().load(group) != epoch);
    let payload = token("u", "s", iat);
    let snap = verdict(&g, &payload).unwrap();
    assert!(!snap.is_empty());
    // Revoking another user leaves the result standing (their keys fall in
    // other groups: keys are hashed, so this holds for these two, always).
    table.revoke_user("someone-else", NOW_MS as i64);
    assert!(!moved(&snap));
    // Each rule that would now refuse it moves one of its epochs.
    let revocations: [&dyn Fn(&Table) -> bool; 4] = [
        &|t| t.revoke_user("u", NOW_MS as i64),
        &|t| t.revoke_session("sid", "s", NOW_MS as i64),
        &|t| t.revoke_token("i", "j-u", iat + 600.0),
        &|t| t.revoke_all(NOW_MS as i64),
    ];
    for revoke in revocations {
        let (g, table) = guard();
        let snap = verdict(&g, &payload).unwrap();
        assert!(revoke(&table));
        assert!(snap.iter().any(|&(group, epoch)| table.epochs().load(group) != epoch));
        assert_eq!(verdict(&g, &payload).unwrap_err().0, ErrorKind::Revoked);
    }
}
