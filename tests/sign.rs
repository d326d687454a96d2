//! The signer against the verifier and against aws-lc-rs directly: every
//! algorithm family signs tokens the verifier accepts, and the default-header
//! path gives the same token as the explicit header.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::signature::{self as sig, KeyPair};
mod common;

use common::pem;
use revocable::core::{b64, Algorithm, KeySet, KeySource, Options, Signer, Verifier};

const PAYLOAD: &str = r#"{"sub":"u1","iat":1764400000.123,"exp":4102444800}"#;
const NOW_MS: f64 = 1_800_000_000_000.0;

/// (private PEM, public key as a JWK) for each asymmetric family.
fn pairs() -> Vec<(Algorithm, Vec<u8>, String)> {
    let x = |b: &[u8]| b64::encode(b);
    let ec = sig::EcdsaKeyPair::generate(&sig::ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let p = ec.public_key().as_ref();
    let ec_jwk = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
        x(&p[1..33]),
        x(&p[33..])
    );
    let ed = sig::Ed25519KeyPair::generate().unwrap();
    let ed_jwk = format!(
        r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
        x(ed.public_key().as_ref())
    );
    let rsa = sig::RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let c = sig::RsaPublicKeyComponents::<Vec<u8>>::from(rsa.public_key());
    let rsa_jwk = format!(r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#, x(&c.n), x(&c.e));
    let rsa_pem = pem(
        "PRIVATE KEY",
        AsDer::<Pkcs8V1Der<'static>>::as_der(&rsa).unwrap().as_ref(),
    );
    vec![
        (
            Algorithm::ES256,
            pem("PRIVATE KEY", ec.to_pkcs8v1().unwrap().as_ref()),
            ec_jwk,
        ),
        (
            Algorithm::EdDSA,
            pem("PRIVATE KEY", ed.to_pkcs8v1().unwrap().as_ref()),
            ed_jwk,
        ),
        (Algorithm::RS256, rsa_pem.clone(), rsa_jwk.clone()),
        (Algorithm::PS256, rsa_pem, rsa_jwk),
    ]
}

fn verifier(alg: Algorithm, key: KeySource) -> Verifier {
    let o = Options::new(vec![alg]);
    let keys = KeySet::new(key, &o.algorithms).unwrap();
    Verifier::new(o, keys).unwrap()
}

#[test]
fn every_family_signs_tokens_the_verifier_accepts() {
    for (alg, private, jwk) in pairs() {
        let signer = Signer::new(alg, &private).unwrap();
        let v = verifier(alg, KeySource::Jwk(&jwk));
        for token in [
            signer.sign_payload(PAYLOAD).unwrap(),
            signer
                .sign(
                    r#"{"alg":"X","kid":"k"}"#.replace('X', &alg.to_string()).as_str(),
                    PAYLOAD,
                )
                .unwrap(),
        ] {
            assert_eq!(v.verify(&token, NOW_MS).unwrap().payload, PAYLOAD, "{alg}");
        }
    }
}

#[test]
fn hmac_tokens_match_an_independent_hmac_and_the_default_header() {
    for (alg, hash) in [
        (Algorithm::HS256, aws_lc_rs::hmac::HMAC_SHA256),
        (Algorithm::HS384, aws_lc_rs::hmac::HMAC_SHA384),
        (Algorithm::HS512, aws_lc_rs::hmac::HMAC_SHA512),
    ] {
        let secret = b"another-secret-of-32-bytes-or-more";
        let signer = Signer::new(alg, secret).unwrap();
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
        let token = signer.sign(&header, PAYLOAD).unwrap();
        assert_eq!(signer.sign_payload(PAYLOAD).unwrap(), token);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let expected = aws_lc_rs::hmac::sign(&aws_lc_rs::hmac::Key::new(hash, secret), input.as_bytes());
        assert_eq!(signature, b64::encode(expected.as_ref()));
        assert_eq!(
            input,
            format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(PAYLOAD.as_bytes()))
        );
        assert!(verifier(alg, KeySource::Bytes(secret)).verify(&token, NOW_MS).is_ok());
    }
}

#[test]
fn a_key_of_the_wrong_family_or_curve_cannot_sign() {
    let all = pairs();
    let ec = &all[0].1;
    assert!(Signer::new(Algorithm::ES384, ec).is_err());
    assert!(Signer::new(Algorithm::EdDSA, ec).is_err());
    assert!(Signer::new(Algorithm::RS256, ec).is_err());
    assert!(Signer::new(Algorithm::HS256, ec).is_err());
    assert!(Signer::new(Algorithm::ES256, b"a secret").is_err());
    assert!(Signer::new(Algorithm::HS256, b"").is_err());
}

#[test]
fn encode_into_matches_encode_and_round_trips() {
    for len in 0..70u8 {
        let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(151).wrapping_add(len)).collect();
        let mut out = b"x.".to_vec();
        b64::encode_into(&data, &mut out);
        assert_eq!(&out[2..], b64::encode(&data).as_bytes());
        assert_eq!(b64::decode(&out[2..]).unwrap(), data);
    }
}
