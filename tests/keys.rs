//! Key sets: allow-lists spanning families, RSA-PSS SPKI keys, keys replaced
//! at runtime, and the `kid` flag on a key a set does not hold.

mod common;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaPair, KeySize};
use aws_lc_rs::signature::{self as sig, KeyPair};
use revocable::core::{b64, Algorithm, ErrorKind, KeySet, KeySource, Options, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const PAYLOAD: &[u8] = br#"{"exp":1900000000}"#;
use Algorithm::*;

fn rsa_pair() -> RsaPair {
    RsaPair::generate(KeySize::Rsa2048).unwrap()
}

fn rsa_jwk(pair: &RsaPair, extra: &str) -> String {
    let (n, e) = revocable::core::der::rsa_public_components(pair.public_key().as_ref()).unwrap();
    format!(
        r#"{{"kty":"RSA","n":"{}","e":"{}"{extra}}}"#,
        b64::encode(n),
        b64::encode(e)
    )
}

fn ec_pair() -> sig::EcdsaKeyPair {
    let alg = &sig::ECDSA_P256_SHA256_FIXED_SIGNING;
    let pkcs8 = sig::EcdsaKeyPair::generate_pkcs8(alg, &SystemRandom::new()).unwrap();
    sig::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref()).unwrap()
}

fn ec_jwk(pair: &sig::EcdsaKeyPair, extra: &str) -> String {
    let p = pair.public_key().as_ref();
    format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"{extra}}}"#,
        b64::encode(&p[1..33]),
        b64::encode(&p[33..])
    )
}

fn input(alg: Algorithm, kid: Option<&str>) -> String {
    let header = match kid {
        Some(k) => format!(r#"{{"alg":"{alg}","kid":"{k}"}}"#),
        None => format!(r#"{{"alg":"{alg}"}}"#),
    };
    format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(PAYLOAD))
}

fn rsa_token(pair: &RsaPair, alg: Algorithm, kid: Option<&str>) -> String {
    let padding: &'static dyn sig::RsaEncoding = match alg {
        RS256 => &sig::RSA_PKCS1_SHA256,
        PS256 => &sig::RSA_PSS_SHA256,
        PS384 => &sig::RSA_PSS_SHA384,
        _ => unreachable!(),
    };
    let msg = input(alg, kid);
    let mut s = vec![0; pair.public_modulus_len()];
    pair.sign(padding, &SystemRandom::new(), msg.as_bytes(), &mut s)
        .unwrap();
    format!("{msg}.{}", b64::encode(&s))
}

fn ec_token(pair: &sig::EcdsaKeyPair, kid: Option<&str>) -> String {
    let msg = input(ES256, kid);
    let s = pair.sign(&SystemRandom::new(), msg.as_bytes()).unwrap();
    format!("{msg}.{}", b64::encode(s.as_ref()))
}

fn verifier(source: KeySource, algs: &[Algorithm]) -> revocable::core::Result<Verifier> {
    Verifier::new(Options::new(algs.to_vec()), KeySet::new(source, algs)?)
}

fn kind(v: &Verifier, token: &str) -> Option<ErrorKind> {
    v.verify(token, NOW_MS).err().map(|e| e.kind)
}

#[test]
fn one_key_with_an_allow_list_spanning_families_serves_its_own_family_only() {
    let (rsa, ec) = (rsa_pair(), ec_pair());
    let v = verifier(KeySource::Jwk(&rsa_jwk(&rsa, "")), &[RS256, ES256]).unwrap();
    assert_eq!(kind(&v, &rsa_token(&rsa, RS256, None)), None);
    assert_eq!(kind(&v, &ec_token(&ec, None)), Some(ErrorKind::Key));
}

#[test]
fn a_jwk_bound_to_rs256_accepts_a_list_also_naming_ps256() {
    let rsa = rsa_pair();
    let v = verifier(KeySource::Jwk(&rsa_jwk(&rsa, r#","alg":"RS256""#)), &[RS256, PS256]).unwrap();
    assert_eq!(kind(&v, &rsa_token(&rsa, RS256, None)), None);
    // The PS256 token is allowed by the list but not by the key's own alg.
    assert_eq!(kind(&v, &rsa_token(&rsa, PS256, None)), Some(ErrorKind::Key));
}

#[test]
fn construction_fails_only_when_no_listed_algorithm_fits_the_key() {
    let rsa = rsa_pair();
    let err = verifier(KeySource::Jwk(&rsa_jwk(&rsa, "")), &[ES256, HS256])
        .err()
        .unwrap();
    assert_eq!(
        (err.kind, err.claim.as_deref()),
        (ErrorKind::InvalidOption, Some("algorithms"))
    );
    let bound = rsa_jwk(&rsa, r#","alg":"PS256""#);
    assert_eq!(
        verifier(KeySource::Jwk(&bound), &[RS256]).err().unwrap().kind,
        ErrorKind::InvalidOption
    );
}

#[test]
fn a_set_of_rsa_and_ec_keys_serves_both_each_token_by_its_kid() {
    let (rsa, ec) = (rsa_pair(), ec_pair());
    let set = format!(
        r#"{{"keys":[{},{}]}}"#,
        rsa_jwk(&rsa, r#","kid":"r""#),
        ec_jwk(&ec, r#","kid":"e""#)
    );
    let v = verifier(KeySource::Jwk(&set), &[RS256, ES256]).unwrap();
    assert_eq!(kind(&v, &rsa_token(&rsa, RS256, Some("r"))), None);
    assert_eq!(kind(&v, &ec_token(&ec, Some("e"))), None);
    // An ES256 token naming the RSA key's kid: no ES256 key has that kid.
    assert_eq!(kind(&v, &ec_token(&ec, Some("r"))), Some(ErrorKind::Key));
}

#[test]
fn a_kid_the_set_does_not_hold_is_flagged_for_a_refetch() {
    let ec = ec_pair();
    let set = format!(r#"{{"keys":[{}]}}"#, ec_jwk(&ec, r#","kid":"e""#));
    let v = verifier(KeySource::Jwk(&set), &[ES256]).unwrap();
    let err = v.verify(&ec_token(&ec, Some("other")), NOW_MS).unwrap_err();
    assert_eq!((err.kind, err.claim.as_deref()), (ErrorKind::Key, Some("kid")));
    // A bad signature under a known kid is not a missing key.
    let other = ec_pair();
    assert_eq!(kind(&v, &ec_token(&other, Some("e"))), Some(ErrorKind::Signature));
}

#[test]
fn set_keys_swaps_the_set_and_a_bad_set_leaves_the_old_one() {
    let (old, new) = (ec_pair(), ec_pair());
    let set =
        |p: &sig::EcdsaKeyPair, kid: &str| format!(r#"{{"keys":[{}]}}"#, ec_jwk(p, &format!(r#","kid":"{kid}""#)));
    let mut v = verifier(KeySource::Jwk(&set(&old, "1")), &[ES256]).unwrap();
    v.set_keys(&set(&new, "2")).unwrap();
    assert_eq!(kind(&v, &ec_token(&new, Some("2"))), None);
    assert_eq!(kind(&v, &ec_token(&old, Some("1"))), Some(ErrorKind::Key));
    for bad in [
        "not json",
        r#"{"keys":[]}"#,
        r#"{"keys":[{"kty":"EC"}]}"#,
        &ec_jwk(&old, ""),
    ] {
        assert!(v.set_keys(bad).is_err(), "{bad}");
        assert_eq!(kind(&v, &ec_token(&new, Some("2"))), None, "{bad}");
    }
}

/// A DER TLV.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match body.len() {
        n if n < 0x80 => out.push(n as u8),
        n if n < 0x100 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(body);
    out
}

/// An SPKI PEM with the id-RSASSA-PSS OID; `hash` is the last byte of a SHA-2 OID.
fn pss_pem(pair: &RsaPair, hash: Option<u8>) -> String {
    let oid = tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]);
    let params = hash.map(|h| {
        let sha = tlv(0x06, &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h]);
        tlv(0x30, &tlv(0xa0, &tlv(0x30, &[sha, vec![0x05, 0x00]].concat())))
    });
    let alg_id = tlv(0x30, &[oid, params.unwrap_or_default()].concat());
    let bits = tlv(0x03, &[&[0u8][..], pair.public_key().as_ref()].concat());
    let der = tlv(0x30, &[alg_id, bits].concat());
    String::from_utf8(common::pem("PUBLIC KEY", &der)).unwrap()
}

#[test]
fn an_rsa_pss_spki_key_verifies_ps_tokens_and_never_rs() {
    let rsa = rsa_pair();
    let pem = pss_pem(&rsa, None);
    let v = verifier(KeySource::Bytes(pem.as_bytes()), &[RS256, PS256, PS384]).unwrap();
    assert_eq!(kind(&v, &rsa_token(&rsa, PS256, None)), None);
    assert_eq!(kind(&v, &rsa_token(&rsa, PS384, None)), None);
    assert_eq!(kind(&v, &rsa_token(&rsa, RS256, None)), Some(ErrorKind::Key));
    let only_rs = verifier(KeySource::Bytes(pem.as_bytes()), &[RS256]).err().unwrap();
    assert_eq!(only_rs.kind, ErrorKind::InvalidOption);
}

#[test]
fn an_rsa_pss_key_restricted_to_sha384_serves_ps384_only() {
    let rsa = rsa_pair();
    let pem = pss_pem(&rsa, Some(2));
    let v = verifier(KeySource::Bytes(pem.as_bytes()), &[PS256, PS384]).unwrap();
    assert_eq!(kind(&v, &rsa_token(&rsa, PS384, None)), None);
    assert_eq!(kind(&v, &rsa_token(&rsa, PS256, None)), Some(ErrorKind::Key));
    // A hash no PS algorithm uses (here SHA-224, 2.16.840.1.101.3.4.2.4) is refused.
    let odd = pss_pem(&rsa, Some(4));
    assert_eq!(
        verifier(KeySource::Bytes(odd.as_bytes()), &[PS256]).err().unwrap().kind,
        ErrorKind::Key
    );
}

#[test]
fn a_set_skips_keys_of_kinds_it_cannot_use_and_keeps_the_others() {
    let (rsa, ec) = (rsa_pair(), ec_pair());
    let set = format!(
        r#"{{"keys":[{{"kty":"AKP","alg":"ML-DSA-44","pub":"AA","kid":"pq"}},{{"kty":"OKP","crv":"X448","x":"AA"}},{{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}},{},{}]}}"#,
        rsa_jwk(&rsa, r#","kid":"r""#),
        ec_jwk(&ec, r#","kid":"e""#)
    );
    // Only ES256 allowed: the RSA key is not even parsed.
    let v = verifier(KeySource::Jwk(&set), &[ES256]).unwrap();
    assert_eq!(kind(&v, &ec_token(&ec, Some("e"))), None);
    // A broken key of an allowed family is still an error.
    let broken = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}]}"#;
    assert_eq!(
        verifier(KeySource::Jwk(broken), &[ES256]).err().unwrap().kind,
        ErrorKind::Key
    );
    let missing_kty = r#"{"keys":[{"crv":"P-256"}]}"#;
    assert_eq!(
        verifier(KeySource::Jwk(missing_kty), &[ES256]).err().unwrap().kind,
        ErrorKind::Key
    );
}
