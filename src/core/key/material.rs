//! Raw key parts (secret bytes, RSA n/e, an EC point, an Ed25519 point) made
//! into one prepared primitive per allowed algorithm the key fits.

use aws_lc_rs::signature as sig;
use curve25519_dalek::edwards::CompressedEdwardsY;

use super::{Primitive, VerifyKey};
use crate::core::alg::{Algorithm, Curve, Family};
use crate::core::der;
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::hmac::HmacKey;

/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; RFC 7518 §3.3 says
/// 2048 "or larger MUST be used").
pub const MIN_RSA_BITS: usize = 2048;

pub(super) fn key_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Key, message)
}

/// A key with a primitive for each of `algorithms` in its family (and equal
/// to `bound_alg` when set); possibly none, which the caller decides about.
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

pub(super) fn from_secret(
    secret: &[u8],
    algorithms: &[Algorithm],
    kid: Option<String>,
    bound: Option<Algorithm>,
) -> Result<VerifyKey> {
    if secret.is_empty() {
        return Err(key_error("the HMAC secret is empty"));
    }
    build(Family::Hmac, algorithms, kid, bound, |alg| {
        Ok(Primitive::Hmac(Box::new(HmacKey::new(alg, secret))))
    })
}

pub(super) fn rsa_key(
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

pub(super) fn ec_key(
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

pub(super) fn ed25519_key(
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
