//! Signing: a private key (or HMAC secret) parsed once, bound to one algorithm.

use aws_lc_rs::{rand, signature as sig};
use jsonwebtoken::{crypto, EncodingKey};

use super::alg::{Algorithm, Family};
use super::b64;
use super::error::{Error, ErrorKind, Result};

pub struct Signer {
    alg: Algorithm,
    key: SignKey,
}

enum SignKey {
    Jwt(EncodingKey, jsonwebtoken::Algorithm),
    /// ES512: the jsonwebtoken crate has no P-521, so aws-lc-rs signs directly.
    P521(sig::EcdsaKeyPair),
}

impl Signer {
    /// `key` is an HMAC secret for HS*, or a PEM private key (PKCS#8, or PKCS#1 for RSA).
    pub fn new(alg: Algorithm, key: &[u8]) -> Result<Signer> {
        let bad = |what: &str| Error::new(ErrorKind::Key, format!("{what} cannot sign {alg} tokens"));
        let family = alg.family();
        let is_pem = key.trim_ascii_start().starts_with(b"-----BEGIN ");
        if (family == Family::Hmac) == is_pem {
            return Err(bad(if is_pem { "a PEM key" } else { "an HMAC secret" }));
        }
        let key = match family {
            Family::Hmac if key.is_empty() => return Err(Error::new(ErrorKind::Key, "the HMAC secret is empty")),
            Family::Hmac => SignKey::Jwt(
                EncodingKey::from_secret(key).map_err(|_| bad("this secret"))?,
                jwt_alg(alg),
            ),
            Family::Rsa => {
                let k = EncodingKey::from_rsa_pem(key).map_err(|_| bad("this PEM"))?;
                let pair = sig::RsaKeyPair::from_der(k.as_bytes())
                    .or_else(|_| sig::RsaKeyPair::from_pkcs8(k.as_bytes()))
                    .map_err(|_| bad("this PEM"))?;
                if pair.public_modulus_len() * 8 < super::key::MIN_RSA_BITS {
                    return Err(Error::new(ErrorKind::Key, "RSA keys under 2048 bits are refused"));
                }
                SignKey::Jwt(k, jwt_alg(alg))
            }
            Family::Ec(curve) => {
                let k = EncodingKey::from_ec_pem(key).map_err(|_| bad("this PEM"))?;
                let signing = match curve {
                    super::alg::Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
                    super::alg::Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
                    super::alg::Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
                };
                // Parsing with the curve's algorithm rejects a key on another curve.
                let pair = sig::EcdsaKeyPair::from_pkcs8(signing, k.as_bytes()).map_err(|_| bad("this PEM"))?;
                match alg {
                    Algorithm::ES512 => SignKey::P521(pair),
                    _ => SignKey::Jwt(k, jwt_alg(alg)),
                }
            }
            Family::Ed25519 => {
                let k = EncodingKey::from_ed_pem(key).map_err(|_| bad("this PEM"))?;
                sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(k.as_bytes()).map_err(|_| bad("this PEM"))?;
                SignKey::Jwt(k, jwt_alg(alg))
            }
        };
        Ok(Signer { alg, key })
    }

    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// Returns `b64(header).b64(payload).b64(signature)`; both inputs are JSON text.
    pub fn sign(&self, header_json: &str, payload_json: &str) -> Result<String> {
        let mut token = b64::encode(header_json.as_bytes());
        token.push('.');
        token.push_str(&b64::encode(payload_json.as_bytes()));
        let fail = || Error::new(ErrorKind::Key, "signing failed");
        let signature = match &self.key {
            SignKey::Jwt(k, a) => crypto::sign(token.as_bytes(), k, *a).map_err(|_| fail())?,
            SignKey::P521(pair) => {
                let s = pair
                    .sign(&rand::SystemRandom::new(), token.as_bytes())
                    .map_err(|_| fail())?;
                b64::encode(s.as_ref())
            }
        };
        token.push('.');
        token.push_str(&signature);
        Ok(token)
    }
}

fn jwt_alg(alg: Algorithm) -> jsonwebtoken::Algorithm {
    use jsonwebtoken::Algorithm as J;
    match alg {
        Algorithm::HS256 => J::HS256,
        Algorithm::HS384 => J::HS384,
        Algorithm::HS512 => J::HS512,
        Algorithm::RS256 => J::RS256,
        Algorithm::RS384 => J::RS384,
        Algorithm::RS512 => J::RS512,
        Algorithm::PS256 => J::PS256,
        Algorithm::PS384 => J::PS384,
        Algorithm::PS512 => J::PS512,
        Algorithm::ES256 => J::ES256,
        Algorithm::ES384 => J::ES384,
        Algorithm::ES512 => unreachable!("ES512 signs through aws-lc-rs"),
        Algorithm::EdDSA => J::EdDSA,
    }
}
