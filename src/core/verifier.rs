//! The verifier: options checked once at construction, then a flat sequence of
//! checks per token in the order DESIGN.md fixes: size, structure, header and
//! algorithm allow-list, key, signature, registered claims.

use super::alg::Algorithm;
use super::b64;
use super::claims::{self, ClaimRules, Registered};
use super::error::{malformed, Error, ErrorKind, Result};
use super::header::{self, HeaderRules};
use super::json;
use super::key::KeySet;

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
}

/// A token that passed every check.
#[derive(Debug)]
pub struct Verified {
    pub alg: Algorithm,
    /// The decoded JOSE header, as JSON text.
    pub header: String,
    /// The decoded claim set, as JSON text (strict, duplicate-free).
    pub payload: String,
    pub claims: Registered,
}

impl Verifier {
    pub fn new(mut options: Options, keys: KeySet) -> Result<Verifier> {
        if options.algorithms.is_empty() {
            return Err(Error::option(
                "algorithms",
                "must list at least one algorithm",
            ));
        }
        if options.max_token_bytes == 0 {
            return Err(Error::option(
                "maxTokenBytes",
                "must be a positive number of bytes",
            ));
        }
        if options.claims.required.iter().any(String::is_empty) {
            return Err(Error::option(
                "requiredClaims",
                "claim names must be non-empty strings",
            ));
        }
        options.typ = options.typ.as_deref().map(header::normalize_typ);
        Ok(Verifier { options, keys })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn verify(&self, token: &str, now_ms: f64) -> Result<Verified> {
        let o = &self.options;
        if !now_ms.is_finite() {
            // NaN would make every time comparison false and so accept expired tokens.
            return Err(Error::option(
                "clock",
                "returned a time that is not a finite number of milliseconds",
            ));
        }
        if token.len() > o.max_token_bytes {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!("token is longer than {} bytes", o.max_token_bytes),
            ));
        }
        let bytes = token.as_bytes();
        let mut dots = bytes
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'.')
            .map(|(i, _)| i);
        let (d1, d2) = match (dots.next(), dots.next(), dots.next()) {
            (Some(a), Some(b), None) => (a, b),
            _ => return Err(malformed("a JWT has exactly three dot-separated segments")),
        };
        let (h64, p64, s64) = (&bytes[..d1], &bytes[d1 + 1..d2], &bytes[d2 + 1..]);
        if h64.is_empty() || p64.is_empty() || s64.is_empty() {
            return Err(malformed("a JWT segment is empty"));
        }
        let header_bytes =
            b64::decode(h64).ok_or_else(|| malformed("the header is not strict base64url"))?;
        if !b64::is_valid(p64) {
            return Err(malformed("the payload is not strict base64url"));
        }
        let signature =
            b64::decode(s64).ok_or_else(|| malformed("the signature is not strict base64url"))?;
        let header_members = json::parse_object(&header_bytes)
            .map_err(|why| malformed(&format!("the header {why}")))?;
        let rules = HeaderRules {
            algorithms: &o.algorithms,
            typ: o.typ.as_deref(),
            crit: &o.crit,
        };
        let head = header::parse(&header_members, &rules)?;
        let key = self.keys.select(head.alg, head.kid)?;
        key.verify(head.alg, &bytes[..d2], &signature)?;

        let payload =
            b64::decode(p64).ok_or_else(|| malformed("the payload is not strict base64url"))?;
        let members =
            json::parse_object(&payload).map_err(|why| malformed(&format!("the payload {why}")))?;
        let registered = claims::check(&members, &o.claims, now_ms)?;
        drop(members);
        let alg = head.alg;
        drop(header_members);
        Ok(Verified {
            alg,
            // Both were checked as UTF-8 by the JSON reader.
            header: String::from_utf8(header_bytes)
                .map_err(|_| malformed("the header is not valid UTF-8"))?,
            payload: String::from_utf8(payload)
                .map_err(|_| malformed("the payload is not valid UTF-8"))?,
            claims: registered,
        })
    }
}

/// Splits and decodes a token without verifying anything but its shape.
pub fn decode(token: &str) -> Result<(String, String, String)> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err(malformed("a JWT has exactly three dot-separated segments"));
    };
    let text = |seg: &str, what: &str| -> Result<String> {
        let raw = b64::decode(seg.as_bytes())
            .ok_or_else(|| malformed(&format!("the {what} is not strict base64url")))?;
        json::parse_object(&raw).map_err(|why| malformed(&format!("the {what} {why}")))?;
        String::from_utf8(raw).map_err(|_| malformed("not UTF-8"))
    };
    Ok((text(h, "header")?, text(p, "payload")?, s.to_owned()))
}
