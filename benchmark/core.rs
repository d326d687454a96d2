//! The Rust-only cost of an HS256 verify and its parts, without N-API, and
//! the bare signature checks of the asymmetric algorithms (the floor of a
//! cold RS256/ES256/EdDSA verify, to set beside Node's crypto.verify, which is
//! fast-jwt's floor), and the cost of `Signer::sign` per algorithm.
//! `cargo bench --features noop --bench core`; under callgrind, BENCH_N and
//! BENCH_SIGN_ALG (one of HS256, ES256, EdDSA, RS256) pick one sign loop.

#[path = "../tests/common/mod.rs"]
mod common;

use revocable::core::*;
use std::time::Instant;
fn main() {
    let secret = b"a-test-secret-of-at-least-32-bytes!!";
    let signer = Signer::new(Algorithm::HS256, secret).unwrap();
    let token = signer.sign(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"u1","iss":"https://issuer.example","aud":"web","iat":1764400000.123,"jti":"abcdefghijklmnopqrstuv","exp":1964400000}"#).unwrap();
    let mut o = Options::new(vec![Algorithm::HS256]);
    o.claims.issuer = vec!["https://issuer.example".into()];
    o.claims.audience = vec!["web".into()];
    let keys = KeySet::new(KeySource::Bytes(secret), &o.algorithms).unwrap();
    let v = Verifier::new(o, keys).unwrap();
    let now = 1_800_000_000_000.0;
    // BENCH_N: fewer iterations, e.g. under valgrind --tool=callgrind.
    let n = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(v.verify(std::hint::black_box(&token), now).unwrap());
    }
    println!("verify: {:?}/call", t.elapsed() / n);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let msg = &token.as_bytes()[..token.rfind('.').unwrap()];
    let tag = aws_lc_rs::hmac::sign(&key, msg);
    let t = Instant::now();
    for _ in 0..n {
        aws_lc_rs::hmac::verify(&key, std::hint::black_box(msg), tag.as_ref()).unwrap();
    }
    println!("hmac verify: {:?}/call", t.elapsed() / n);
    let p = token.split('.').nth(1).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(b64::decode(std::hint::black_box(p.as_bytes())));
    }
    println!("b64 payload: {:?}/call", t.elapsed() / n);
    let raw = b64::decode(p.as_bytes()).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(json::parse_object(std::hint::black_box(&raw)).unwrap());
    }
    println!("json payload: {:?}/call", t.elapsed() / n);

    signing(n);
    if std::env::var_os("BENCH_N").is_none() {
        asymmetric();
    }
}

/// `Signer::sign` over a typical claim set: `n` HS256 signs, fewer asymmetric ones.
fn signing(n: u32) {
    let claims = r#"{"sub":"u1","iss":"https://issuer.example","aud":"web","iat":1764400000.123,"jti":"abcdefghijklmnopqrstuv","exp":1964400000}"#;
    let only = std::env::var("BENCH_SIGN_ALG").ok();
    for (alg, key) in signing_keys() {
        if only.as_deref().is_some_and(|o| o != alg.to_string()) {
            continue;
        }
        let signer = Signer::new(alg, &key).unwrap();
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
        let count = if alg == Algorithm::HS256 { n } else { (n / 20).max(20) };
        let t = Instant::now();
        for _ in 0..count {
            std::hint::black_box(signer.sign(&header, std::hint::black_box(claims)).unwrap());
        }
        println!("sign {alg}: {:?}/call", t.elapsed() / count);
    }
}

/// An HMAC secret and PKCS#8 PEM private keys (the form `Signer::new` takes).
fn signing_keys() -> Vec<(Algorithm, Vec<u8>)> {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let pem = |der: &[u8]| common::pem("PRIVATE KEY", der);
    let ec = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let ed = Ed25519KeyPair::generate().unwrap();
    let rsa = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    vec![
        (Algorithm::HS256, b"a-test-secret-of-at-least-32-bytes!!".to_vec()),
        (Algorithm::ES256, pem(ec.to_pkcs8v1().unwrap().as_ref())),
        (Algorithm::EdDSA, pem(ed.to_pkcs8v1().unwrap().as_ref())),
        (
            Algorithm::RS256,
            pem(AsDer::<aws_lc_rs::encoding::Pkcs8V1Der<'static>>::as_der(&rsa)
                .unwrap()
                .as_ref()),
        ),
    ]
}

/// Bare aws-lc signature verification over a token-sized message.
fn asymmetric() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair, UnparsedPublicKey};
    let msg = [b'x'; 200];
    let rng = SystemRandom::new();
    let time = |name: &str, n: u32, f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        println!("{name}: {:?}/call", t.elapsed() / n);
    };

    let ec = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let sig = ec.sign(&rng, &msg).unwrap();
    let ec_pub =
        signature::ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, ec.public_key().as_ref()).unwrap();
    time("ES256 signature only", 5_000, &|| {
        ec_pub.verify_sig(&msg, sig.as_ref()).unwrap()
    });

    let ed = Ed25519KeyPair::generate().unwrap();
    let sig = ed.sign(&msg);
    let ed_pub = signature::ParsedPublicKey::new(&signature::ED25519, ed.public_key().as_ref()).unwrap();
    time("EdDSA signature only", 5_000, &|| {
        ed_pub.verify_sig(&msg, sig.as_ref()).unwrap()
    });

    let rsa = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let mut sig = vec![0; rsa.public_modulus_len()];
    rsa.sign(&signature::RSA_PKCS1_SHA256, &rng, &msg, &mut sig).unwrap();
    let rsa_pub = UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        rsa.public_key().as_ref().to_vec(),
    );
    let rsa_pub = rsa_pub.parse().unwrap();
    time("RS256 signature only", 20_000, &|| {
        rsa_pub.verify_sig(&msg, &sig).unwrap()
    });
}
