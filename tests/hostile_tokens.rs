//! What hostile tokens get from the core (src/core/verifier.rs, header.rs,
//! json.rs, b64.rs), ported from __test__/hostile.test.js: each row is a
//! token and the error kind, with the message fragment that only that check
//! produces where several checks share a kind.

use aws_lc_rs::hmac;
use revocable::core::{b64, Algorithm, ErrorKind, KeySet, KeySource, Options, Verifier};

const NOW_MS: f64 = 1_800_000_000_000.0;
const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";
const CLAIMS: &str = r#"{"sub":"u1","exp":1800003600}"#;

fn signed(header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64::encode(header), b64::encode(payload));
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, SECRET), input.as_bytes());
    format!("{input}.{}", b64::encode(tag.as_ref()))
}

fn verifier(max_token_bytes: Option<usize>) -> Verifier {
    let mut o = Options::new(vec![Algorithm::HS256]);
    if let Some(max) = max_token_bytes {
        o.max_token_bytes = max;
    }
    let keys = KeySet::new(KeySource::Bytes(SECRET), &o.algorithms).unwrap();
    Verifier::new(o, keys).unwrap()
}

/// The error kind and message for `token`; panics if it verifies.
fn refused(v: &Verifier, token: &str) -> (ErrorKind, String) {
    let e = v.verify(token, NOW_MS).expect_err(token);
    (e.kind, e.message)
}

#[test]
fn a_well_formed_token_passes_so_the_rows_below_are_not_over_eager() {
    assert_eq!(
        verifier(None)
            .verify(&signed(br#"{"alg":"HS256","typ":"JWT"}"#, CLAIMS.as_bytes()), NOW_MS)
            .unwrap()
            .payload,
        CLAIMS
    );
}

#[test]
fn a_token_not_made_of_three_strict_base64url_parts_is_malformed() {
    let good = signed(br#"{"alg":"HS256","typ":"JWT"}"#, CLAIMS.as_bytes());
    let parts: Vec<&str> = good.split('.').collect();
    let (h, p, s) = (parts[0], parts[1], parts[2]);
    let v = verifier(None);
    for token in [
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}.{s}"),
        format!("{h}.{p}."),
        format!(".{p}.{s}"),
        String::new(),
        format!("{h}.{p}.{s}="),
        format!("{h}.{p}.{}+", &s[..s.len() - 1]),
        format!("{}/.{p}.{s}", &h[..h.len() - 1]),
        format!("{h}.{p}. {s}"),
        format!("{h}.{p}.{s}\n"),
    ] {
        assert_eq!(refused(&v, &token).0, ErrorKind::Malformed, "{token:?}");
    }
}

#[test]
fn non_canonical_trailing_bits_are_not_a_second_spelling_of_the_signature() {
    let good = signed(br#"{"alg":"HS256"}"#, CLAIMS.as_bytes());
    // 32 bytes of HMAC are 43 characters; the last carries 2 unused bits.
    let (rest, last) = good.split_at(good.len() - 1);
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let twin = ALPHABET.as_bytes()[ALPHABET.find(last).unwrap() | 1] as char;
    assert_ne!(twin.to_string(), last);
    let (kind, message) = refused(&verifier(None), &format!("{rest}{twin}"));
    assert_eq!(kind, ErrorKind::Malformed);
    assert!(message.contains("signature is not strict base64url"), "{message}");
}

#[test]
fn a_token_over_max_token_bytes_is_refused_before_decoding() {
    let good = signed(br#"{"alg":"HS256","typ":"JWT"}"#, CLAIMS.as_bytes());
    let small = verifier(Some(100));
    assert!(good.len() > 100);
    assert_eq!(refused(&small, &good).0, ErrorKind::TooLarge);
    assert_eq!(refused(&small, &"!".repeat(101)).0, ErrorKind::TooLarge);
    assert_eq!(refused(&small, &"!".repeat(100)).0, ErrorKind::Malformed);
    assert_eq!(refused(&verifier(None), &"a".repeat(16385)).0, ErrorKind::TooLarge);
}

/// Bodies neither a header nor a payload may be, and the words that say why.
fn not_strict_json_objects() -> Vec<(Vec<u8>, &'static str)> {
    vec![
        (
            vec![0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d],
            "not valid UTF-8",
        ),
        (b"[1,2]".to_vec(), "not a JSON object"),
        (br#""x""#.to_vec(), "not a JSON object"),
        (b"42".to_vec(), "not a JSON object"),
        (b"null".to_vec(), "not a JSON object"),
        (br#"{"exp":1}x"#.to_vec(), "bytes after the JSON object"),
        (br#"{"sub":"a","sub":"admin"}"#.to_vec(), "duplicate member name"),
        (br#"{"sub":"a","\u0073ub":"admin"}"#.to_vec(), "duplicate member name"),
        (
            format!(r#"{{"a":{}{}}}"#, "[".repeat(5000), "]".repeat(5000)).into_bytes(),
            "nests deeper",
        ),
        (
            format!("{}1{}", r#"{"a":"#.repeat(1000), "}".repeat(1000)).into_bytes(),
            "nests deeper",
        ),
        (br#"{"sub":"\ud800"}"#.to_vec(), "lone surrogate"),
    ]
}

#[test]
fn a_payload_that_is_not_a_strict_json_object_is_malformed() {
    let v = verifier(None);
    for (body, why) in not_strict_json_objects() {
        let (kind, message) = refused(&v, &signed(br#"{"alg":"HS256"}"#, &body));
        assert_eq!(kind, ErrorKind::Malformed, "{why}");
        assert!(message.contains(why) && message.contains("payload"), "{why}: {message}");
    }
}

#[test]
fn a_header_that_is_not_a_strict_json_object_is_malformed() {
    let v = verifier(None);
    for (body, why) in not_strict_json_objects() {
        let (kind, message) = refused(&v, &signed(&body, CLAIMS.as_bytes()));
        assert_eq!(kind, ErrorKind::Malformed, "{why}");
        assert!(message.contains(why) && message.contains("header"), "{why}: {message}");
    }
}

#[test]
fn a_duplicate_alg_cannot_smuggle_a_second_algorithm() {
    let (_, message) = refused(
        &verifier(None),
        &signed(br#"{"alg":"none","alg":"HS256"}"#, CLAIMS.as_bytes()),
    );
    assert!(message.contains("duplicate member"), "{message}");
}

#[test]
fn alg_none_missing_or_not_a_string_is_an_algorithm_error() {
    let v = verifier(None);
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = format!(r#"{{"alg":"{alg}"}}"#);
        let unsigned = format!("{}.{}.", b64::encode(header.as_bytes()), b64::encode(CLAIMS.as_bytes()));
        assert_eq!(
            refused(&v, &unsigned).0,
            ErrorKind::Malformed,
            "{alg} without a signature"
        );
        let (kind, message) = refused(&v, &signed(header.as_bytes(), CLAIMS.as_bytes()));
        assert_eq!(kind, ErrorKind::Algorithm, "{alg}");
        assert!(message.contains("none"), "{message}");
    }
    let cases: [(&[u8], &str); 3] = [
        (br#"{"typ":"JWT"}"#, "no alg"),
        (br#"{"alg":256}"#, "not a string"),
        (br#"{"alg":["HS256"]}"#, ""),
    ];
    for (header, why) in cases {
        let (kind, message) = refused(&v, &signed(header, CLAIMS.as_bytes()));
        assert_eq!(kind, ErrorKind::Algorithm, "{why}");
        assert!(message.contains(why), "{message}");
    }
}

#[test]
fn an_algorithm_outside_the_allow_list_is_refused_even_when_the_key_fits() {
    let token = {
        let input = format!(
            "{}.{}",
            b64::encode(br#"{"alg":"HS384"}"#),
            b64::encode(CLAIMS.as_bytes())
        );
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA384, SECRET), input.as_bytes());
        format!("{input}.{}", b64::encode(tag.as_ref()))
    };
    assert_eq!(refused(&verifier(None), &token).0, ErrorKind::Algorithm);
}
