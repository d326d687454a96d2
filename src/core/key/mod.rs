//! Verification keys, parsed once when a verifier is built. A key serves one
//! algorithm family (and for ECDSA one curve); everything that makes a key
//! unfit (an RSA modulus under 2048 bits, a small-order Ed25519 point, a JWK
//! meant for encryption) is refused here rather than on the hot path.
//!
//! `material` turns raw key parts into primitives, `pem` and `jwk` read the
//! two text forms, `set` holds the keys and picks one per token.

mod jwk;
mod material;
mod pem;
mod set;

use aws_lc_rs::signature as sig;

use super::alg::{Algorithm, Family};
use super::error::{Error, ErrorKind, Result};
use super::hmac::HmacKey;

pub use material::MIN_RSA_BITS;
pub use set::KeySet;

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
    // Boxed: an HMAC key holds two precomputed hash states, several times larger than a parsed public key.
    Hmac(Box<HmacKey>),
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
            Primitive::Hmac(key) => key.verify(message, signature),
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
