//! PEM public keys: SPKI, PKCS#1 and X.509 certificates through the
//! jsonwebtoken crate's reader, and RSA-PSS SPKI keys (id-RSASSA-PSS, which
//! some HSMs and providers publish) read here.

use jsonwebtoken::DecodingKey;

use super::material::{ec_key, ed25519_key, key_error, rsa_key};
use super::VerifyKey;
use crate::core::alg::{Algorithm, Curve};
use crate::core::error::Result;
use crate::core::{b64, der};

pub(super) fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"-----BEGIN ")
}

pub(super) fn from_pem(pem: &[u8], algorithms: &[Algorithm]) -> Result<VerifyKey> {
    if std::str::from_utf8(pem).is_ok_and(|t| t.contains("PRIVATE KEY")) {
        return Err(key_error("a verifier takes a public key; this PEM holds a private key"));
    }
    if let Some(key) = rsa_pss(pem, algorithms)? {
        return Ok(key);
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

/// An SPKI `PUBLIC KEY` whose algorithm is id-RSASSA-PSS serves only PS*
/// algorithms (RFC 4055 §1.2), and only the one its parameters name, if any.
/// `Ok(None)` for any other PEM.
fn rsa_pss(pem: &[u8], algorithms: &[Algorithm]) -> Result<Option<VerifyKey>> {
    let Some(der) = pem_body(pem, "PUBLIC KEY") else {
        return Ok(None);
    };
    let Some(der::Spki { oid, params, key }) = der::spki(&der) else {
        return Ok(None);
    };
    if oid != der::OID_RSASSA_PSS {
        return Ok(None);
    }
    let only = match params.map(der::pss_hash) {
        None => None,
        Some(Some(1)) => Some(Algorithm::PS256),
        Some(Some(2)) => Some(Algorithm::PS384),
        Some(Some(3)) => Some(Algorithm::PS512),
        Some(Some(_)) => {
            return Err(key_error(
                "the RSA-PSS key is restricted to a hash no PS algorithm uses",
            ))
        }
        Some(None) => return Err(key_error("unreadable RSA-PSS parameters")),
    };
    let pss = [Algorithm::PS256, Algorithm::PS384, Algorithm::PS512];
    let fits: Vec<Algorithm> = algorithms
        .iter()
        .copied()
        .filter(|a| pss.contains(a) && only.is_none_or(|o| o == *a))
        .collect();
    let (n, e) = der::rsa_public_components(key).ok_or_else(|| key_error("unreadable RSA-PSS public key"))?;
    rsa_key(n, e, &fits, None, None).map(Some)
}

/// The DER inside the first `-----BEGIN {label}-----` block, if it is one.
fn pem_body(pem: &[u8], label: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?.trim_start();
    let rest = text.strip_prefix(&format!("-----BEGIN {label}-----"))?;
    let end = rest.find(&format!("-----END {label}-----"))?;
    // Standard base64 made into the strict base64url the b64 module reads.
    let url: Vec<u8> = rest[..end]
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .map(|b| match b {
            b'+' => b'-',
            b'/' => b'_',
            b'-' | b'_' => b'!',
            other => other,
        })
        .collect();
    b64::decode(&url)
}
