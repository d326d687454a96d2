//! The Guard's session rules end to end in pure Rust: `auth_time` against
//! cut-offs, rotation marks against `iat`, and the untimed check of a token
//! to revoke.

use std::sync::Arc;

use aws_lc_rs::hmac;
use revocable::core::{b64, Algorithm, ErrorKind, Guard, GuardRules, KeySet, KeySource, Options, Table, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";

fn hs256(payload: &str, secret: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"HS256"}"#),
        b64::encode(payload.as_bytes())
    );
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
    format!("{input}.{}", b64::encode(tag.as_ref()))
}

fn guard(table: Arc<Table>) -> Guard {
    let o = Options::new(vec![Algorithm::HS256]);
    let keys = KeySet::new(KeySource::Bytes(SECRET), &o.algorithms).unwrap();
    let rules = GuardRules {
        max_lifetime: 3600.0,
        session_claims: vec!["sid".into(), "rfam".into()],
        allow_list: false,
        groups: false,
    };
    Guard::new(Verifier::new(o, keys).unwrap(), table, rules)
        .unwrap()
        .with_rotation_claims(vec!["rfam".into()])
}

fn verdict(g: &Guard, payload: &str) -> Result<(), (ErrorKind, Option<String>)> {
    g.verify_with(hs256(payload, SECRET).as_bytes(), NOW_MS, |_, _| ())
        .map_err(|e| (e.kind, e.claim))
}

const CUT_MS: i64 = 1_799_999_990_000;
const REVOKED: ErrorKind = ErrorKind::Revoked;

#[test]
fn a_token_minted_after_a_user_cutoff_from_a_session_begun_before_it_is_refused() {
    let table = Arc::new(Table::new());
    let g = guard(table.clone());
    table.revoke_user("u", CUT_MS);
    let minted = r#"{"sub":"u","iat":1799999995,"auth_time":1799999000,"exp":1800000500}"#;
    assert_eq!(verdict(&g, minted), Err((REVOKED, Some("user".into()))));
    // A new login after the cut-off (no auth_time, or one after it) passes.
    assert_eq!(verdict(&g, r#"{"sub":"u","iat":1799999995,"exp":1800000500}"#), Ok(()));
    let relogin = r#"{"sub":"u","iat":1799999995,"auth_time":1799999991,"exp":1800000500}"#;
    assert_eq!(verdict(&g, relogin), Ok(()));
}

#[test]
fn session_and_global_cutoffs_compare_the_session_start_too() {
    let table = Arc::new(Table::new());
    let g = guard(table.clone());
    table.revoke_session("sid", "s1", CUT_MS);
    let minted = r#"{"sub":"u","sid":"s1","iat":1799999995,"auth_time":1799999000,"exp":1800000500}"#;
    assert_eq!(verdict(&g, minted), Err((REVOKED, Some("session".into()))));
    table.revoke_all(CUT_MS);
    let other = r#"{"sub":"v","iat":1799999995,"auth_time":1799999000,"exp":1800000500}"#;
    assert_eq!(verdict(&g, other), Err((REVOKED, Some("global".into()))));
}

#[test]
fn a_rotation_mark_compares_iat_whatever_the_session_start() {
    let table = Arc::new(Table::new());
    let g = guard(table.clone());
    table.revoke_session("rfam", "f", CUT_MS);
    let newer = r#"{"sub":"u","rfam":"f","iat":1799999995,"auth_time":1799999000,"exp":1800000500}"#;
    assert_eq!(verdict(&g, newer), Ok(()));
    let older = r#"{"sub":"u","rfam":"f","iat":1799999989,"auth_time":1799999000,"exp":1800000500}"#;
    assert_eq!(verdict(&g, older), Err((REVOKED, Some("session".into()))));
}

#[test]
fn an_auth_time_after_iat_or_not_a_number_is_refused() {
    let g = guard(Arc::new(Table::new()));
    let later = r#"{"sub":"u","iat":1799999995,"auth_time":1799999996,"exp":1800000500}"#;
    assert_eq!(verdict(&g, later), Err((ErrorKind::Claim, Some("auth_time".into()))));
    let text = r#"{"sub":"u","iat":1799999995,"auth_time":"1799999000","exp":1800000500}"#;
    assert_eq!(verdict(&g, text), Err((ErrorKind::Claim, Some("auth_time".into()))));
    let equal = r#"{"sub":"u","iat":1799999995.5,"auth_time":1799999995.5,"exp":1800000500}"#;
    assert_eq!(verdict(&g, equal), Ok(()));
}

#[test]
fn a_token_to_revoke_is_checked_without_its_times_but_with_its_signature() {
    let g = guard(Arc::new(Table::new()));
    let expired = hs256(r#"{"sub":"u","jti":"j","iat":1,"exp":2}"#, SECRET);
    let claims = g.verify_untimed(expired.as_bytes(), |c| c.claims.jti.map(str::to_owned));
    assert_eq!(claims.unwrap().as_deref(), Some("j"));
    let forged = hs256(
        r#"{"sub":"u","jti":"j","iat":1,"exp":2}"#,
        b"another-secret-of-at-least-32-bytes!",
    );
    let err = g.verify_untimed(forged.as_bytes(), |_| ()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Signature);
}
