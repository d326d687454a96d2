//! The verifier: options checked once at construction, then a flat sequence of
//! checks per token in the order DESIGN.md fixes: size, structure, header and
//! algorithm allow-list, key, signature, registered claims.

use smallvec::SmallVec;

use super::alg::Algorithm;
use super::b64;
use super::claims::{self, ClaimRules, Registered};
use super::error::{malformed, Error, ErrorKind, Result};
use super::header::{self, HeaderRules};
use super::json;
use super::key::{KeySet, KeySource};

/// Default `maxTokenBytes`: far above any real token, far below harm.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

pub struct Options {
    /// Allowed `alg` values; never empty.
    pub algorithms: Vec<Algorithm>,
    /// Expected `typ` header, compared as RFC 7515 §4.1.9 media types.
    pub typ: Option<String>,
    /// Names of `crit` extension parameters the application understands.
    pub crit: Vec<String>,
    /// Tokens longer than this are refused before any decoding.
    pub max_token_bytes: usize,
    pub claims: ClaimRules,
}

impl Options {
    pub fn new(algorithms: Vec<Algorithm>) -> Options {
        Options {
            algorithms,
            typ: None,
            crit: Vec::new(),
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            claims: ClaimRules {
                required: vec!["exp".into()],
                ..ClaimRules::default()
            },
        }
    }
}

pub struct Verifier {
    options: Options,
    keys: KeySet,
    known_headers: Vec<KnownHeader>,
}

/// A header most signers write (`{"alg":…,"typ":"JWT"}` and two variants), as
/// its base64url segment, with its decoded text and algorithm, kept when it
/// passes this verifier's header rules. A token whose header segment is one of
/// these byte for byte skips decoding and parsing it: the same bytes always
/// give the same result, and any other header takes the full path.
struct KnownHeader {
    segment: Vec<u8>,
    text: String,
    alg: Algorithm,
}

/// A token that passed every check, borrowed from the verifier's buffers.
#[derive(Debug)]
pub struct Checked<'a> {
    pub alg: Algorithm,
    /// The decoded JOSE header, as JSON text.
    pub header: &'a str,
    /// The decoded claim set, as JSON text (strict, duplicate-free).
    pub payload: &'a str,
    pub claims: Registered<'a>,
    /// Every top-level claim, summarised.
    pub members: &'a [json::Member<'a>],
}

/// An owned copy of [`Checked`].
#[derive(Debug)]
pub struct Verified {
    pub alg: Algorithm,
    pub header: String,
    pub payload: String,
}

// Decoding buffers sized for ordinary tokens, so the hot path does not allocate.
type HeaderBuf = SmallVec<[u8; 256]>;
type SignatureBuf = SmallVec<[u8; 512]>;
type PayloadBuf = SmallVec<[u8; 1024]>;

impl Verifier {
    pub fn new(mut options: Options, keys: KeySet) -> Result<Verifier> {
        if options.algorithms.is_empty() {
            return Err(Error::option("algorithms", "must list at least one algorithm"));
        }
        if options.max_token_bytes == 0 {
            return Err(Error::option("maxTokenBytes", "must be a positive number of bytes"));
        }
        if options.claims.required.iter().any(String::is_empty) {
            return Err(Error::option("requiredClaims", "claim names must be non-empty strings"));
        }
        options.typ = options.typ.as_deref().map(header::normalize_typ);
        let known_headers = known_headers(&options);
        Ok(Verifier {
            options,
            keys,
            known_headers,
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Replaces the key set with the JWK Set `jwks` (a remote set refreshed),
    /// parsed for the same algorithms. On error the current set stays. `&mut`
    /// makes the swap atomic: no verification can see half of it.
    pub fn set_keys(&mut self, jwks: &str) -> Result<()> {
        let keys = KeySet::new(KeySource::Jwk(jwks), &self.options.algorithms)?;
        if !keys.is_set() {
            return Err(Error::new(
                ErrorKind::Key,
                "keys replaced at runtime must be a JWK Set ({\"keys\": [...]})",
            ));
        }
        self.keys = keys;
        Ok(())
    }

    pub fn verify(&self, token: &str, now_ms: f64) -> Result<Verified> {
        self.verify_with(token.as_bytes(), now_ms, |c| Verified {
            alg: c.alg,
            header: c.header.to_owned(),
            payload: c.payload.to_owned(),
        })
    }

    /// Verifies `token` and hands the result to `f` while it is still borrowed
    /// from stack buffers (the binding turns it into JS values there).
    pub fn verify_with<R>(&self, token: &[u8], now_ms: f64, f: impl FnOnce(&Checked<'_>) -> R) -> Result<R> {
        self.verify_under(token, now_ms, &self.options.claims, f)
    }

    /// `verify_with` under other claim rules (the Guard checks a token to
    /// revoke without its times: a logout with an expired token still works).
    pub fn verify_under<R>(
        &self,
        token: &[u8],
        now_ms: f64,
        claim_rules: &ClaimRules,
        f: impl FnOnce(&Checked<'_>) -> R,
    ) -> Result<R> {
        let o = &self.options;
        if !now_ms.is_finite() {
            // NaN would make every time comparison false and so accept expired tokens.
            return Err(Error::option(
                "clock",
                "returned a time that is not a finite number of milliseconds",
            ));
        }
        if token.len() > o.max_token_bytes {
            return Err(too_large(o.max_token_bytes));
        }
        let dot = |from: usize| memchr::memchr(b'.', &token[from..]).map(|i| from + i);
        let (d1, d2) = match dot(0).and_then(|a| Some((a, dot(a + 1)?))) {
            Some((a, b)) if dot(b + 1).is_none() => (a, b),
            _ => return Err(malformed("a JWT has exactly three dot-separated segments")),
        };
        let (h64, p64, s64) = (&token[..d1], &token[d1 + 1..d2], &token[d2 + 1..]);
        if h64.is_empty() || p64.is_empty() || s64.is_empty() {
            return Err(malformed("a JWT segment is empty"));
        }
        let known = self.known_headers.iter().find(|k| k.segment == h64);
        let mut header_bytes = HeaderBuf::new();
        if known.is_none() {
            b64::decode_into(h64, &mut header_bytes).ok_or_else(|| malformed("the header is not strict base64url"))?;
        }
        // Decoded now (structure), parsed only once the signature has verified.
        let mut payload = PayloadBuf::new();
        b64::decode_into(p64, &mut payload).ok_or_else(|| malformed("the payload is not strict base64url"))?;
        let mut signature = SignatureBuf::new();
        b64::decode_into(s64, &mut signature).ok_or_else(|| malformed("the signature is not strict base64url"))?;
        let header_members;
        let (header_text, head) = match known {
            Some(k) => (k.text.as_str(), header::Header { alg: k.alg, kid: None }),
            None => {
                let text = utf8(&header_bytes).map_err(|_| malformed("the header is not valid UTF-8"))?;
                header_members = json::parse_object_str(text).map_err(|why| malformed(&format!("the header {why}")))?;
                (text, header::parse(&header_members, &header_rules(o))?)
            }
        };
        let key = self.keys.select(head.alg, head.kid)?;
        key.verify(head.alg, &token[..d2], &signature)?;

        let payload_text = utf8(&payload).map_err(|_| malformed("the payload is not valid UTF-8"))?;
        let members = json::parse_object_str(payload_text).map_err(|why| malformed(&format!("the payload {why}")))?;
        let claims = claims::check(&members, claim_rules, now_ms)?;
        Ok(f(&Checked {
            alg: head.alg,
            header: header_text,
            payload: payload_text,
            claims,
            members: &members,
        }))
    }
}

fn header_rules(o: &Options) -> HeaderRules<'_> {
    HeaderRules {
        algorithms: &o.algorithms,
        typ: o.typ.as_deref(),
        crit: &o.crit,
    }
}

/// The [`KnownHeader`]s of `options`: each common header of each allowed
/// algorithm that passes the header rules as the full path would check it.
fn known_headers(options: &Options) -> Vec<KnownHeader> {
    let rules = header_rules(options);
    let mut known = Vec::new();
    for alg in &options.algorithms {
        for text in [
            format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#),
            format!(r#"{{"typ":"JWT","alg":"{alg}"}}"#),
            format!(r#"{{"alg":"{alg}"}}"#),
        ] {
            let checked = json::parse_object_str(&text).map(|members| header::parse(&members, &rules).map(|h| h.alg));
            if let Ok(Ok(alg)) = checked {
                let segment = b64::encode(text.as_bytes()).into_bytes();
                known.push(KnownHeader { segment, text, alg });
            }
        }
    }
    known
}

fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    std::str::from_utf8(bytes)
}

/// The error for a token longer than `max` bytes (also used by the binding,
/// which refuses huge strings before copying them).
pub fn too_large(max: usize) -> Error {
    Error::new(ErrorKind::TooLarge, format!("token is longer than {max} bytes"))
}

/// Splits and decodes a token without verifying anything but its shape.
pub fn decode(token: &str) -> Result<(String, String, String)> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err(malformed("a JWT has exactly three dot-separated segments"));
    };
    let text = |seg: &str, what: &str| -> Result<String> {
        let raw =
            b64::decode(seg.as_bytes()).ok_or_else(|| malformed(&format!("the {what} is not strict base64url")))?;
        json::parse_object(&raw).map_err(|why| malformed(&format!("the {what} {why}")))?;
        String::from_utf8(raw).map_err(|_| malformed("not UTF-8"))
    };
    Ok((text(h, "header")?, text(p, "payload")?, s.to_owned()))
}
