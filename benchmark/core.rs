//! The Rust-only cost of an HS256 verify and its parts, without N-API, and
//! the bare signature checks of the asymmetric algorithms (the floor of a
//! cold RS256/ES256/EdDSA verify, to set beside Node's crypto.verify, which is
//! fast-jwt's floor). `cargo bench --features noop --bench core`

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

    if std::env::var_os("BENCH_N").is_none() {
        asymmetric();
    }
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
