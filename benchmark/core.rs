//! The Rust-only cost of an HS256 verify and its parts, without N-API.
//! `cargo bench --features noop --bench core`

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
    let n = 1_000_000;
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
}
