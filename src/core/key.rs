//! Verification keys, parsed once when a verifier is built. A key serves one
//! algorithm family (and for ECDSA one curve); everything that makes a key
//! unfit (an RSA modulus under 2048 bits, a small-order Ed25519 point, a JWK
//! meant for encryption) is refused here rather than on the hot path.

use aws_lc_rs::{hmac, signature as sig};
use curve25519_dalek::edwards::CompressedEdwardsY;
use jsonwebtoken::DecodingKey;
use serde_json::Value as Json;

use super::alg::{Algorithm, Curve, Family};
use super::error::{Error, ErrorKind, Result};
use super::{b64, der};

/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; RFC 7518 §3.3 says
/// 2048 "or larger MUST be used").
pub const MIN_RSA_BITS: usize = 2048;

/// Key material as the caller supplied it.
pub enum KeySource<'a> {
    /// An HMAC secret, or a PEM public key (SPKI, PKCS#1 or X.509 certificate).
    Bytes(&'a [u8]),
    /// A JWK or a JWK Set (`{"keys": [...]}`), as JSON text.
    Jwk(&'a str),
}

pub struct VerifyKey {
    pub kid: Option<String>,
    pub family: Family,
    /// The JWK's `alg`, which binds the key to that one algorithm.
    pub bound_alg: Option<Algorithm>,
    primitives: Vec<(Algorithm, Primitive)>,
}

enum Primitive {
    // Boxed: an HMAC key holds precomputed pads and is 20x larger than a parsed public key.
    Hmac(Box<hmac::Key>),
    Public(sig::ParsedPublicKey),
}

impl VerifyKey {
    pub fn can_verify(&self, alg: Algorithm) -> bool {
        self.primitives.iter().any(|(a, _)| *a == alg)
    }

    /// Checks `signature` over `message`; the caller has already matched `alg`
    /// against the allow-list.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<()> {
        let Some((_, primitive)) = self.primitives.iter().find(|(a, _)| *a == alg) else {
            return Err(Error::new(
                ErrorKind::Key,
                format!("the key cannot verify {alg} tokens"),
            ));
        };
        check_signature_shape(alg, signature)?;
        let ok = match primitive {
            Primitive::Hmac(key) => hmac::verify(key, message, signature).is_ok(),
            Primitive::Public(key) => key.verify_sig(message, signature).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Signature, "invalid signature"))
        }
    }
}

/// Refuses signature encodings the JWS spec does not allow before any math runs.
fn check_signature_shape(alg: Algorithm, signature: &[u8]) -> Result<()> {
    match alg.family() {
        Family::Ec(curve) => {
            // RFC 7518 §3.4: R and S as fixed-length big-endian octets, concatenated.
            // DER is not JWS; r = 0 or s = 0 must never pass (CVE-2022-21449).
            let n = curve.field_len();
            if signature.len() != 2 * n {
                return Err(Error::new(
                    ErrorKind::Signature,
                    "ECDSA signature is not raw R||S of the curve's length",
                ));
            }
            let (r, s) = signature.split_at(n);
            if r.iter().all(|&b| b == 0) || s.iter().all(|&b| b == 0) {
                return Err(Error::new(
                    ErrorKind::Signature,
                    "ECDSA signature has r or s equal to zero",
                ));
            }
        }
        Family::Ed25519 => {
            // RFC 8032 §5.1.7: S must be below the group order (no malleable twin).
            let s: Option<[u8; 32]> = signature.get(32..).and_then(|s| s.try_into().ok());
            let canonical = s.is_some_and(|s| bool::from(curve25519_dalek::Scalar::from_canonical_bytes(s).is_some()));
            if signature.len() != 64 || !canonical {
                return Err(Error::new(ErrorKind::Signature, "Ed25519 signature is not canonical"));
            }
        }
        Family::Hmac | Family::Rsa => {}
    }
    Ok(())
}

/// The keys a verifier may use: one key, or a JWK Set selected by `kid`.
pub struct KeySet {
    keys: Vec<VerifyKey>,
    is_set: bool,
}

impl KeySet {
    /// Parses the key and prepares a primitive for each allowed algorithm it fits.
    pub fn new(source: KeySource, algorithms: &[Algorithm]) -> Result<KeySet> {
        let (keys, is_set) = match source {
            KeySource::Bytes(bytes) if looks_like_pem(bytes) => (vec![from_pem(bytes, algorithms)?], false),
            KeySource::Bytes(bytes) => (vec![from_secret(bytes, algorithms, None, None)?], false),
            KeySource::Jwk(text) => from_jwk_text(text, algorithms)?,
        };
        // A lone key must fit every allowed algorithm: anything else is a
        // misconfiguration. A set may cover them partly (keys rotate).
        if !is_set {
            if let Some(alg) = algorithms.iter().find(|a| !keys[0].can_verify(**a)) {
                return Err(Error::option(
                    "algorithms",
                    format!(
                        "{alg} is allowed but {} cannot verify it (a key serves one algorithm family)",
                        describe(keys[0].family)
                    ),
                ));
            }
        }
        Ok(KeySet { keys, is_set })
    }

    /// Picks the key for a token. A lone key ignores `kid`; a set needs a key
    /// whose `kid` matches, or exactly one candidate when the token has none.
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&VerifyKey> {
        if !self.is_set {
            let key = &self.keys[0];
            if key.bound_alg.is_some_and(|a| a != alg) {
                return Err(Error::new(
                    ErrorKind::Key,
                    format!("the key is bound to another algorithm than {alg}"),
                ));
            }
            return Ok(key);
        }
        let mut candidates = self
            .keys
            .iter()
            .filter(|k| k.can_verify(alg) && k.bound_alg.is_none_or(|a| a == alg))
            .filter(|k| kid.is_none() || k.kid.as_deref() == kid);
        match (candidates.next(), candidates.next(), kid) {
            (Some(key), None, _) => Ok(key),
            (Some(_), Some(_), Some(_)) => Err(Error::new(ErrorKind::Key, "several keys in the set share this kid")),
            (Some(_), Some(_), None) => Err(Error::new(
                ErrorKind::Key,
                "the token has no kid and several keys in the set fit",
            )),
            (None, _, Some(_)) => Err(Error::new(
                ErrorKind::Key,
                format!("no {alg} key in the set has the token's kid"),
            )),
            (None, _, None) => Err(Error::new(ErrorKind::Key, format!("no {alg} key in the set"))),
        }
    }
}

fn describe(family: Family) -> String {
    match family {
        Family::Hmac => "an HMAC secret".into(),
        Family::Rsa => "an RSA key".into(),
        Family::Ec(c) => format!("an EC {} key", c.jwk_name()),
        Family::Ed25519 => "an Ed25519 key".into(),
    }
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"-----BEGIN ")
}

fn key_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Key, message)
}

fn build(
    family: Family,
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound_alg: Option<Algorithm>,
    make: impl Fn(Algorithm) -> Result<Primitive>,
) -> Result<VerifyKey> {
    let mut primitives = Vec::new();
    for &alg in algorithms {
        if alg.family() == family && bound_alg.is_none_or(|b| b == alg) {
            primitives.push((alg, make(alg)?));
        }
    }
    Ok(VerifyKey {
        kid,
        family,
        bound_alg,
        primitives,
    })
}

fn from_secret(
    secret: &[u8],
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound: Option<Algorithm>,
) -> Result<VerifyKey> {
    if secret.is_empty() {
        return Err(key_error("the HMAC secret is empty"));
    }
    build(Family::Hmac, algorithms, kid, bound, |alg| {
        let hash = match alg {
            Algorithm::HS256 => hmac::HMAC_SHA256,
            Algorithm::HS384 => hmac::HMAC_SHA384,
            _ => hmac::HMAC_SHA512,
        };
        Ok(Primitive::Hmac(Box::new(hmac::Key::new(hash, secret))))
    })
}

fn from_pem(pem: &[u8], algorithms: &[Algorithm]) -> Result<VerifyKey> {
    if std::str::from_utf8(pem).is_ok_and(|t| t.contains("PRIVATE KEY")) {
        return Err(key_error("a verifier takes a public key; this PEM holds a private key"));
    }
    if let Ok(k) = DecodingKey::from_rsa_pem(pem) {
        let der = k
            .try_get_as_bytes()
            .map_err(|_| key_error("unreadable RSA public key"))?;
        let (n, e) = der::rsa_public_components(der).ok_or_else(|| key_error("unreadable RSA public key"))?;
        return rsa_key(n, e, algorithms, None, None);
    }
    if let Ok(k) = DecodingKey::from_ed_pem(pem) {
        let raw = k
            .try_get_as_bytes()
            .map_err(|_| key_error("unreadable Ed25519 public key"))?;
        return ed25519_key(raw, algorithms, None, None);
    }
    if let Ok(k) = DecodingKey::from_ec_pem(pem) {
        let point = k
            .try_get_as_bytes()
            .map_err(|_| key_error("unreadable EC public key"))?;
        let curve = match point.len() {
            65 => Curve::P256,
            97 => Curve::P384,
            133 => Curve::P521,
            _ => return Err(key_error("unsupported EC curve (P-256, P-384 and P-521 are supported)")),
        };
        return ec_key(curve, point, algorithms, None, None);
    }
    Err(key_error(
        "the PEM is not an RSA, EC or Ed25519 public key or certificate",
    ))
}

fn rsa_key(
    n: &[u8],
    e: &[u8],
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound: Option<Algorithm>,
) -> Result<VerifyKey> {
    let n = &n[n.iter().position(|&b| b != 0).unwrap_or(n.len())..];
    let bits = (n.len() * 8).saturating_sub(n.first().map_or(0, |b| b.leading_zeros() as usize));
    if bits < MIN_RSA_BITS {
        return Err(key_error(format!(
            "RSA key is {bits} bits; at least {MIN_RSA_BITS} are required"
        )));
    }
    // Even exponents and e = 1 are not RSA keys; e = 3 is accepted because
    // verification compares the whole encoded message (no Bleichenbacher'06 forgery).
    if e.len() > 4 || e.last().is_none_or(|b| b & 1 == 0) || e == [1] {
        return Err(key_error(
            "RSA public exponent must be odd, at least 3 and at most 32 bits",
        ));
    }
    let der = der::rsa_public_key(n, e);
    build(Family::Rsa, algorithms, kid, bound, |alg| {
        let params: &'static sig::RsaParameters = match alg {
            Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
            Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
            Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
            _ => &sig::RSA_PSS_2048_8192_SHA512,
        };
        parsed(params, &der)
    })
}

fn ec_key(
    curve: Curve,
    point: &[u8],
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound: Option<Algorithm>,
) -> Result<VerifyKey> {
    let params: &'static sig::EcdsaVerificationAlgorithm = match curve {
        Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
        Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
        Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED,
    };
    if point.len() != 1 + 2 * curve.field_len() || point[0] != 4 {
        return Err(key_error(format!(
            "EC public key is not an uncompressed {} point",
            curve.jwk_name()
        )));
    }
    // Parsing checks the point is on the curve, whichever algorithms are allowed.
    let on_curve = parsed(params, point)?;
    build(Family::Ec(curve), algorithms, kid, bound, |_| {
        Ok(clone_parsed(&on_curve))
    })
}

fn ed25519_key(
    raw: &[u8],
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound: Option<Algorithm>,
) -> Result<VerifyKey> {
    let bytes: [u8; 32] = raw
        .try_into()
        .map_err(|_| key_error("Ed25519 public key must be 32 bytes"))?;
    let point = CompressedEdwardsY(bytes)
        .decompress()
        .ok_or_else(|| key_error("Ed25519 public key is not a curve point"))?;
    // A small-order key lets one signature verify for many messages (RFC 8032
    // does not forbid it; libsodium and ZIP 215 discussions explain why to).
    if point.is_small_order() || point.compress().0 != bytes {
        return Err(key_error("Ed25519 public key is a small-order or non-canonical point"));
    }
    build(Family::Ed25519, algorithms, kid, bound, |_| {
        parsed(&sig::ED25519, &bytes)
    })
}

fn parsed(alg: &'static dyn sig::VerificationAlgorithm, bytes: &[u8]) -> Result<Primitive> {
    sig::ParsedPublicKey::new(alg, bytes)
        .map(Primitive::Public)
        .map_err(|e| key_error(format!("the public key was rejected: {e}")))
}

fn clone_parsed(p: &Primitive) -> Primitive {
    match p {
        Primitive::Hmac(k) => Primitive::Hmac(k.clone()),
        Primitive::Public(k) => Primitive::Public(k.clone()),
    }
}

fn from_jwk_text(text: &str, algorithms: &[Algorithm]) -> Result<(Vec<VerifyKey>, bool)> {
    let json: Json = serde_json::from_str(text).map_err(|_| key_error("the JWK is not valid JSON"))?;
    match json.get("keys") {
        Some(Json::Array(list)) => {
            let mut keys = Vec::new();
            for jwk in list {
                // Keys of a set that cannot serve any allowed algorithm (encryption
                // keys, other families) are skipped, as jose's local JWK Set does.
                match from_jwk(jwk, algorithms)? {
                    Some(k) if !k.primitives.is_empty() => keys.push(k),
                    _ => {}
                }
            }
            if keys.is_empty() {
                return Err(Error::option(
                    "key",
                    "the JWK Set has no key usable with the allowed algorithms",
                ));
            }
            Ok((keys, true))
        }
        Some(_) => Err(key_error("a JWK Set's `keys` must be an array")),
        None => match from_jwk(&json, algorithms)? {
            Some(k) => Ok((vec![k], false)),
            None => Err(key_error("the JWK is not meant for signature verification")),
        },
    }
}

fn field<'j>(jwk: &'j Json, name: &str) -> Result<Option<&'j str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(key_error(format!("JWK member `{name}` must be a string"))),
    }
}

fn bytes_field(jwk: &Json, name: &str) -> Result<Vec<u8>> {
    let text = field(jwk, name)?.ok_or_else(|| key_error(format!("JWK is missing `{name}`")))?;
    b64::decode(text.as_bytes()).ok_or_else(|| key_error(format!("JWK member `{name}` is not base64url")))
}

/// `Ok(None)` for a JWK whose `use`/`key_ops`/`alg` say it is not a signature key.
fn from_jwk(jwk: &Json, algorithms: &[Algorithm]) -> Result<Option<VerifyKey>> {
    if !jwk.is_object() {
        return Err(key_error("a JWK must be a JSON object"));
    }
    let kid = field(jwk, "kid")?.map(str::to_owned);
    if field(jwk, "use")?.is_some_and(|u| u != "sig") {
        return Ok(None);
    }
    if let Some(ops) = jwk.get("key_ops") {
        let list = ops
            .as_array()
            .ok_or_else(|| key_error("JWK `key_ops` must be an array"))?;
        if !list.iter().any(|o| o == "verify") {
            return Ok(None);
        }
    }
    let bound = match field(jwk, "alg")? {
        None => None,
        Some(name) => match Algorithm::from_name(name) {
            Some(a) => Some(a),
            None => return Ok(None),
        },
    };
    let kty = field(jwk, "kty")?.ok_or_else(|| key_error("JWK is missing `kty`"))?;
    let key = match kty {
        "oct" => from_secret(&bytes_field(jwk, "k")?, algorithms, kid, bound)?,
        "RSA" => rsa_key(&bytes_field(jwk, "n")?, &bytes_field(jwk, "e")?, algorithms, kid, bound)?,
        "EC" => {
            let curve = match field(jwk, "crv")? {
                Some("P-256") => Curve::P256,
                Some("P-384") => Curve::P384,
                Some("P-521") => Curve::P521,
                _ => return Err(key_error("EC JWK `crv` must be P-256, P-384 or P-521")),
            };
            let (x, y) = (bytes_field(jwk, "x")?, bytes_field(jwk, "y")?);
            if x.len() != curve.field_len() || y.len() != curve.field_len() {
                return Err(key_error(format!(
                    "EC JWK coordinates are not {} bytes",
                    curve.field_len()
                )));
            }
            let point: Vec<u8> = [&[4u8][..], &x, &y].concat();
            ec_key(curve, &point, algorithms, kid, bound)?
        }
        "OKP" => {
            if field(jwk, "crv")? != Some("Ed25519") {
                return Err(key_error("OKP JWK `crv` must be Ed25519"));
            }
            ed25519_key(&bytes_field(jwk, "x")?, algorithms, kid, bound)?
        }
        _ => return Err(key_error("JWK `kty` must be oct, RSA, EC or OKP")),
    };
    if let Some(b) = bound {
        if b.family() != key.family {
            return Err(key_error(format!("JWK `alg` {b} does not fit its key type")));
        }
    }
    Ok(Some(key))
}
