//! `Guard::check_claims`: the revocation rules for claims another library verified.

use revocable::core::{guard, Algorithm, ErrorKind, Guard, GuardRules, KeySet, KeySource, Options, Verifier};

fn guard(table: &str, allow_list: bool, groups: bool) -> Guard {
    let keys = KeySet::new(
        KeySource::Bytes(b"a-secret-of-at-least-32-bytes!!!"),
        &[Algorithm::HS256],
    )
    .unwrap();
    let verifier = Verifier::new(Options::new(vec![Algorithm::HS256]), keys).unwrap();
    let rules = GuardRules {
        max_lifetime: 3600.0,
        session_claims: vec!["sid".into()],
        allow_list,
        groups,
    };
    Guard::new(verifier, guard::shared_table(table), rules).unwrap()
}

fn reason(g: &Guard, payload: &str) -> Option<String> {
    match g.check_claims(payload) {
        Ok(()) => None,
        Err(e) if e.kind == ErrorKind::Revoked => e.claim,
        Err(e) => panic!("not a revocation: {e}"),
    }
}

#[test]
fn claims_pass_until_a_rule_refuses_them_with_its_reason() {
    let g = guard("check-claims-rules", false, false);
    let claims = r#"{"iss":"i","sub":"u1","jti":"j1","sid":"s1","iat":1000.5,"exp":2000}"#;
    assert_eq!(reason(&g, claims), None);
    g.table().revoke_token("i", "j1", 2000.0);
    assert_eq!(reason(&g, claims).as_deref(), Some("token"));
    g.table().revoke_session("sid", "s1", 1_000_600);
    assert_eq!(reason(&g, claims).as_deref(), Some("session"));
    g.table().revoke_user("u1", 1_000_600);
    assert_eq!(reason(&g, claims).as_deref(), Some("user"));
    g.table().revoke_all(1_000_600);
    assert_eq!(reason(&g, claims).as_deref(), Some("global"));
    // Issued after every cut-off, and another jti: passes.
    assert_eq!(
        reason(
            &g,
            r#"{"iss":"i","sub":"u1","jti":"j2","sid":"s1","iat":1000.6,"exp":2000}"#
        ),
        None
    );
}

#[test]
fn allow_list_and_group_marks_apply_as_configured() {
    let g = guard("check-claims-allow", true, false);
    assert_eq!(
        reason(&g, r#"{"jti":"j","iat":1,"exp":2}"#).as_deref(),
        Some("not_allowed")
    );
    g.table().allow_token("", "j", 2.0);
    assert_eq!(reason(&g, r#"{"jti":"j","iat":1,"exp":2}"#), None);
    let g = guard("check-claims-groups", false, true);
    let group = revocable::core::Table::group_of("u1", 4);
    g.table().mark_group(group, 4, 5000);
    assert_eq!(reason(&g, r#"{"sub":"u1","iat":4,"exp":10}"#).as_deref(), Some("group"));
    assert_eq!(reason(&g, r#"{"sub":"u1","iat":5,"exp":10}"#), None);
}

#[test]
fn claims_that_cannot_be_checked_are_errors_not_passes() {
    let g = guard("check-claims-bad", false, false);
    for (payload, kind) in [
        (r#"{"sub":"u1","exp":2}"#, ErrorKind::Claim), // no iat: no cut-off applies
        (r#"{"sub":"u1","iat":1}"#, ErrorKind::Claim), // no exp: unbounded life
        (r#"{"sub":"u1","iat":1,"exp":100000}"#, ErrorKind::Claim), // longer than maxTokenLifetime
        (r#"{"sub":1,"iat":1,"exp":2}"#, ErrorKind::Claim), // a sub that no revocation could name
        (r#"{"sid":["s"],"iat":1,"exp":2}"#, ErrorKind::Claim), // a session claim that is not a string
        (r#"{"iat":1,"iat":1,"exp":2}"#, ErrorKind::Malformed), // duplicate claims
        ("[]", ErrorKind::Malformed),
    ] {
        assert_eq!(g.check_claims(payload).unwrap_err().kind, kind, "{payload}");
    }
}
