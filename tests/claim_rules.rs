//! The registered-claim rules (src/core/claims.rs, src/core/header.rs for
//! `typ`) as a behaviour table, ported from __test__/claims.test.js so the
//! core stands on its own: each row is options, header, payload and the
//! verdict (passes, or the error kind and the claim it names).

use aws_lc_rs::hmac;
use revocable::core::{b64, Algorithm, ErrorKind, KeySet, KeySource, Options, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const NOW: f64 = 1_800_000_000.0;
const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";

fn hs256(header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, SECRET), input.as_bytes());
    format!("{input}.{}", b64::encode(tag.as_ref()))
}

fn verifier(configure: &dyn Fn(&mut Options)) -> Verifier {
    let mut o = Options::new(vec![Algorithm::HS256]);
    configure(&mut o);
    let keys = KeySet::new(KeySource::Bytes(SECRET), &o.algorithms).unwrap();
    Verifier::new(o, keys).unwrap()
}

type Verdict = Result<(), (ErrorKind, &'static str)>;

/// Checks each `(payload, verdict)` under one set of options and header.
fn table(configure: &dyn Fn(&mut Options), header: &str, rows: &[(String, Verdict)]) {
    let v = verifier(configure);
    for (payload, want) in rows {
        let got = v
            .verify(&hs256(header, payload), NOW_MS)
            .map(|_| ())
            .map_err(|e| (e.kind, e.claim.unwrap_or_default()));
        let want = want.map_err(|(kind, claim)| (kind, claim.to_owned()));
        assert_eq!(got, want, "{payload}");
    }
}

const HS: &str = r#"{"alg":"HS256"}"#;

/// A payload of `sub`, an `exp` an hour ahead and `extra` members.
fn with(extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(r#"{{"sub":"u1","exp":{}{sep}{extra}}}"#, NOW + 3600.0)
}

#[test]
fn exp_is_reached_at_now_and_the_tolerance_extends_it() {
    table(
        &|_| {},
        HS,
        &[
            (format!(r#"{{"exp":{NOW}}}"#), Err((ErrorKind::Expired, "exp"))),
            (format!(r#"{{"exp":{}}}"#, NOW + 0.001), Ok(())),
        ],
    );
    table(
        &|o| o.claims.clock_tolerance = 30.0,
        HS,
        &[
            (format!(r#"{{"exp":{}}}"#, NOW - 29.0), Ok(())),
            (format!(r#"{{"exp":{}}}"#, NOW - 30.0), Err((ErrorKind::Expired, "exp"))),
        ],
    );
}

#[test]
fn exp_is_required_by_default_and_can_be_made_optional() {
    table(
        &|_| {},
        HS,
        &[(r#"{"sub":"u1"}"#.into(), Err((ErrorKind::Claim, "exp")))],
    );
    table(
        &|o| o.claims.required.clear(),
        HS,
        &[(r#"{"sub":"u1"}"#.into(), Ok(()))],
    );
}

#[test]
fn nbf_and_a_future_iat_are_bounded_by_the_tolerance_and_the_iat_skew() {
    table(
        &|o| o.claims.clock_tolerance = 10.0,
        HS,
        &[
            (
                with(&format!(r#""nbf":{}"#, NOW + 10.001)),
                Err((ErrorKind::NotBefore, "nbf")),
            ),
            (with(&format!(r#""nbf":{}"#, NOW + 10.0)), Ok(())),
            // iat may run clockTolerance + IAT_SKEW (1 s) ahead, no more.
            (
                with(&format!(r#""iat":{}"#, NOW + 11.001)),
                Err((ErrorKind::Claim, "iat")),
            ),
            (with(&format!(r#""iat":{}"#, NOW + 11.0)), Ok(())),
        ],
    );
}

#[test]
fn max_age_counts_from_iat_and_needs_it() {
    let max_age = |o: &mut Options| {
        o.claims.max_age = Some(60.0);
        o.claims.clock_tolerance = 5.0;
    };
    table(
        &max_age,
        HS,
        &[
            (
                with(&format!(r#""iat":{}"#, NOW - 65.0)),
                Err((ErrorKind::MaxAge, "iat")),
            ),
            (with(&format!(r#""iat":{}"#, NOW - 64.999)), Ok(())),
            (with(""), Err((ErrorKind::Claim, "iat"))),
        ],
    );
}

#[test]
fn time_claims_must_be_finite_json_numbers() {
    for name in ["exp", "nbf", "iat"] {
        let rows: Vec<(String, Verdict)> = [r#""1800000000""#, "null", "{}", "[1]", "1e400", "true"]
            .iter()
            .map(|bad| {
                (
                    format!(r#"{{"sub":"u1","{name}":{bad}}}"#),
                    Err((ErrorKind::Claim, name)),
                )
            })
            .collect();
        table(&|o| o.claims.required.clear(), HS, &rows);
    }
}

#[test]
fn issuer_is_one_of_the_accepted_strings_and_present() {
    table(
        &|o| o.claims.issuer = vec!["https://a".into(), "https://b".into()],
        HS,
        &[
            (with(r#""iss":"https://b""#), Ok(())),
            (with(r#""iss":"https://c""#), Err((ErrorKind::Claim, "iss"))),
            (with(""), Err((ErrorKind::Claim, "iss"))),
            (with(r#""iss":["https://a"]"#), Err((ErrorKind::Claim, "iss"))),
        ],
    );
}

#[test]
fn audience_matches_a_string_aud_or_any_element_of_an_array() {
    table(
        &|o| o.claims.audience = vec!["web".into()],
        HS,
        &[
            (with(r#""aud":"web""#), Ok(())),
            (with(r#""aud":["api","web"]"#), Ok(())),
            (with(r#""aud":"api""#), Err((ErrorKind::Claim, "aud"))),
            (with(r#""aud":[]"#), Err((ErrorKind::Claim, "aud"))),
            (with(""), Err((ErrorKind::Claim, "aud"))),
            (with(r#""aud":[1,"web"]"#), Err((ErrorKind::Claim, "aud"))),
        ],
    );
}

#[test]
fn subject_and_jwtid_match_exactly() {
    table(
        &|o| o.claims.subject = Some("u2".into()),
        HS,
        &[(with(""), Err((ErrorKind::Claim, "sub")))],
    );
    table(&|o| o.claims.subject = Some("u1".into()), HS, &[(with(""), Ok(()))]);
    table(
        &|o| o.claims.jwtid = Some("j1".into()),
        HS,
        &[
            (with(r#""jti":"j2""#), Err((ErrorKind::Claim, "jti"))),
            (with(r#""jti":"j1""#), Ok(())),
        ],
    );
}

#[test]
fn typ_compares_as_a_media_type() {
    let at_jwt = |o: &mut Options| o.typ = Some("at+jwt".into());
    table(
        &at_jwt,
        r#"{"alg":"HS256","typ":"application/AT+JWT"}"#,
        &[(with(""), Ok(()))],
    );
    table(
        &at_jwt,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &[(with(""), Err((ErrorKind::Claim, "typ")))],
    );
}

#[test]
fn required_claims_name_any_claim() {
    table(
        &|o| o.claims.required = vec!["exp".into(), "sid".into()],
        HS,
        &[
            (with(""), Err((ErrorKind::Claim, "sid"))),
            (with(r#""sid":"s1""#), Ok(())),
        ],
    );
}
