//! The verifier end to end in pure Rust: tokens built here with real keys.

use aws_lc_rs::{hmac, rand::SystemRandom, signature as sig, signature::KeyPair};
use revocable::core::{b64, Algorithm, ErrorKind, KeySet, KeySource, Options, Signer, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";

fn hs256(header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, SECRET), input.as_bytes());
    format!("{input}.{}", b64::encode(tag.as_ref()))
}

fn verifier(configure: impl FnOnce(&mut Options)) -> Verifier {
    let mut o = Options::new(vec![Algorithm::HS256]);
    configure(&mut o);
    let keys = KeySet::new(KeySource::Bytes(SECRET), &o.algorithms).unwrap();
    Verifier::new(o, keys).unwrap()
}

fn kind(v: &Verifier, token: &str) -> ErrorKind {
    v.verify(token, NOW_MS).unwrap_err().kind
}

#[test]
fn valid_token_returns_payload_and_registered_claims() {
    let payload = r#"{"sub":"u1","iat":1799999990.5,"exp":1800000060,"iss":"i","jti":"j"}"#;
    let token = hs256(r#"{"alg":"HS256"}"#, payload);
    let out = verifier(|_| {}).verify(&token, NOW_MS).unwrap();
    assert_eq!(out.payload, payload);
    let (sub, iat, jti) = verifier(|_| {})
        .verify_with(token.as_bytes(), NOW_MS, |c| {
            (
                c.claims.sub.map(str::to_owned),
                c.claims.iat,
                c.claims.jti.map(str::to_owned),
            )
        })
        .unwrap();
    assert_eq!(sub.as_deref(), Some("u1"));
    assert_eq!(iat, Some(1799999990.5));
    assert_eq!(jti.as_deref(), Some("j"));
}

#[test]
fn exp_equal_to_now_is_expired_and_leeway_extends_it() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"exp":1800000000}"#);
    assert_eq!(kind(&verifier(|_| {}), &token), ErrorKind::Expired);
    assert!(verifier(|o| o.claims.clock_tolerance = 1.0)
        .verify(&token, NOW_MS)
        .is_ok());
}

#[test]
fn nothing_is_parsed_before_the_signature_verifies() {
    // A payload that is not JSON, with a bad signature: the signature error wins.
    let token = format!(
        "{}.{}.{}",
        b64::encode(br#"{"alg":"HS256"}"#),
        b64::encode(b"not json"),
        b64::encode(&[0u8; 32])
    );
    assert_eq!(kind(&verifier(|_| {}), &token), ErrorKind::Signature);
}

#[test]
fn alg_none_in_any_casing_is_an_algorithm_error() {
    for alg in ["none", "NONE", "nOnE"] {
        let token = format!(
            "{}.{}.AA",
            b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
            b64::encode(b"{}")
        );
        assert_eq!(kind(&verifier(|_| {}), &token), ErrorKind::Algorithm, "{alg}");
    }
}

#[test]
fn a_non_finite_clock_is_refused() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#);
    assert_eq!(
        verifier(|_| {}).verify(&token, f64::NAN).unwrap_err().kind,
        ErrorKind::InvalidOption
    );
}

fn ec_pair(alg: &'static sig::EcdsaSigningAlgorithm) -> sig::EcdsaKeyPair {
    let pkcs8 = sig::EcdsaKeyPair::generate_pkcs8(alg, &SystemRandom::new()).unwrap();
    sig::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref()).unwrap()
}

fn ec_jwk(pair: &sig::EcdsaKeyPair, crv: &str, n: usize) -> String {
    let point = pair.public_key().as_ref();
    format!(
        r#"{{"kty":"EC","crv":"{crv}","x":"{}","y":"{}"}}"#,
        b64::encode(&point[1..1 + n]),
        b64::encode(&point[1 + n..])
    )
}

#[test]
fn es512_verifies_with_aws_lc_directly() {
    let rng = SystemRandom::new();
    let pair = ec_pair(&sig::ECDSA_P521_SHA512_FIXED_SIGNING);
    let jwk = ec_jwk(&pair, "P-521", 66);
    let keys = KeySet::new(KeySource::Jwk(&jwk), &[Algorithm::ES512]).unwrap();
    let v = Verifier::new(Options::new(vec![Algorithm::ES512]), keys).unwrap();
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"ES512"}"#),
        b64::encode(br#"{"exp":1900000000}"#)
    );
    let s = pair.sign(&rng, input.as_bytes()).unwrap();
    assert!(v
        .verify(&format!("{input}.{}", b64::encode(s.as_ref())), NOW_MS)
        .is_ok());
}

#[test]
fn ecdsa_key_on_another_curve_cannot_serve_the_algorithm() {
    let pair = ec_pair(&sig::ECDSA_P384_SHA384_FIXED_SIGNING);
    let jwk = ec_jwk(&pair, "P-384", 48);
    let err = KeySet::new(KeySource::Jwk(&jwk), &[Algorithm::ES256]).err().unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidOption);
    // Claiming the wrong curve for the coordinates is a key error.
    let lying = jwk.replace("P-384", "P-256");
    assert_eq!(
        KeySet::new(KeySource::Jwk(&lying), &[Algorithm::ES256])
            .err()
            .unwrap()
            .kind,
        ErrorKind::Key
    );
}

#[test]
fn signer_output_verifies_for_hmac() {
    let signer = Signer::new(Algorithm::HS256, SECRET).unwrap();
    let token = signer
        .sign(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"s","exp":1900000000}"#)
        .unwrap();
    assert!(verifier(|_| {})
        .verify(&token, NOW_MS)
        .unwrap()
        .payload
        .contains(r#""sub":"s""#));
    assert_eq!(
        Signer::new(Algorithm::RS256, SECRET).err().unwrap().kind,
        ErrorKind::Key
    );
}

#[test]
fn common_headers_and_any_other_header_give_the_same_verdicts_and_header_text() {
    // The verifier keeps the common headers of its algorithms checked in advance; the
    // answer must be the one the full path gives for the same bytes, under every rule.
    let payload = r#"{"sub":"u1","exp":1800000060}"#;
    let headers = [
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"typ":"JWT","alg":"HS256"}"#,
        r#"{"alg":"HS256"}"#,
        r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#,
        r#"{ "alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS384","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"at+jwt"}"#,
    ];
    let plain = verifier(|_| {});
    let at_jwt = verifier(|o| o.typ = Some("at+jwt".into()));
    let crit = verifier(|o| o.crit = vec!["x".into()]);
    for header in headers {
        let token = hs256(header, payload);
        let seen = |v: &Verifier| {
            v.verify_with(token.as_bytes(), NOW_MS, |c| c.header.to_owned())
                .map_err(|e| e.kind)
        };
        let expected_plain = if header.contains("HS384") {
            Err(ErrorKind::Algorithm)
        } else {
            Ok(header.to_owned())
        };
        assert_eq!(seen(&plain), expected_plain, "{header}");
        let expected_typ = if header.contains("HS384") {
            Err(ErrorKind::Algorithm)
        } else if header.contains("at+jwt") {
            Ok(header.to_owned())
        } else {
            Err(ErrorKind::Claim)
        };
        assert_eq!(seen(&at_jwt), expected_typ, "{header}");
        assert_eq!(seen(&crit), expected_plain, "{header}"); // crit allowed, not required
    }
    // A header segment one character off a common one takes the full path, and fails there.
    let good = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, payload);
    let (h, rest) = good.split_once('.').unwrap();
    let noncanonical = format!("{}{}.{rest}", &h[..h.len() - 1], "V");
    assert_eq!(kind(&plain, &noncanonical), ErrorKind::Malformed);
}
