//! Signing: a private key (or HMAC secret) parsed once into the aws-lc-rs
//! primitive that signs with it, bound to one algorithm. Nothing is parsed per
//! token: `jsonwebtoken::crypto::sign` rebuilt the key pair on every call,
//! which cost more than the signature itself for HS256 and EdDSA.

use aws_lc_rs::{rand, signature as sig};
use jsonwebtoken::EncodingKey;

use super::alg::{Algorithm, Curve, Family};
use super::b64;
use super::error::{Error, ErrorKind, Result};
use super::hmac::HmacKey;

pub struct Signer {
    alg: Algorithm,
    key: SignKey,
    /// `b64({"alg":…,"typ":"JWT"})`, the header of [`Signer::sign_payload`].
    default_header: String,
    rng: rand::SystemRandom,
}

enum SignKey {
    // Boxed: an HMAC key holds its two precomputed hash states, larger than the others.
    Hmac(Box<HmacKey>),
    Ecdsa(sig::EcdsaKeyPair),
    Ed25519(sig::Ed25519KeyPair),
    Rsa(sig::RsaKeyPair, &'static dyn sig::RsaEncoding),
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
            // RFC 2104 §2: the inner and outer pad states are computed here, once.
            Family::Hmac => SignKey::Hmac(Box::new(HmacKey::new(alg, key))),
            Family::Rsa => {
                let k = EncodingKey::from_rsa_pem(key).map_err(|_| bad("this PEM"))?;
                let pair = sig::RsaKeyPair::from_der(k.as_bytes())
                    .or_else(|_| sig::RsaKeyPair::from_pkcs8(k.as_bytes()))
                    .map_err(|_| bad("this PEM"))?;
                if pair.public_modulus_len() * 8 < super::key::MIN_RSA_BITS {
                    return Err(Error::new(ErrorKind::Key, "RSA keys under 2048 bits are refused"));
                }
                SignKey::Rsa(pair, rsa_encoding(alg))
            }
            Family::Ec(curve) => {
                let k = EncodingKey::from_ec_pem(key).map_err(|_| bad("this PEM"))?;
                let signing = match curve {
                    Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
                    Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
                    Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
                };
                // Parsing with the curve's algorithm rejects a key on another curve.
                SignKey::Ecdsa(sig::EcdsaKeyPair::from_pkcs8(signing, k.as_bytes()).map_err(|_| bad("this PEM"))?)
            }
            Family::Ed25519 => {
                let k = EncodingKey::from_ed_pem(key).map_err(|_| bad("this PEM"))?;
                SignKey::Ed25519(
                    sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(k.as_bytes()).map_err(|_| bad("this PEM"))?,
                )
            }
        };
        Ok(Signer {
            alg,
            key,
            default_header: b64::encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes()),
            rng: rand::SystemRandom::new(),
        })
    }

    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// Returns `b64(header).b64(payload).b64(signature)`; both inputs are JSON text.
    pub fn sign(&self, header_json: &str, payload_json: &str) -> Result<String> {
        let mut token = Vec::with_capacity(self.token_len(header_json.len().div_ceil(3) * 4, payload_json.len()));
        b64::encode_into(header_json.as_bytes(), &mut token);
        self.finish(token, payload_json)
    }

    /// [`Signer::sign`] under the header `{"alg":…,"typ":"JWT"}`, encoded once.
    pub fn sign_payload(&self, payload_json: &str) -> Result<String> {
        let mut token = Vec::with_capacity(self.token_len(self.default_header.len(), payload_json.len()));
        token.extend_from_slice(self.default_header.as_bytes());
        self.finish(token, payload_json)
    }

    /// The token's length, so it is written into one allocation.
    fn token_len(&self, header_b64: usize, payload_json: usize) -> usize {
        let signature = match &self.key {
            SignKey::Hmac(k) => k.tag_len(),
            SignKey::Ecdsa(_) => match self.alg.family() {
                Family::Ec(curve) => 2 * curve.field_len(),
                _ => 0,
            },
            SignKey::Ed25519(_) => 64,
            SignKey::Rsa(pair, _) => pair.public_modulus_len(),
        };
        header_b64 + payload_json.div_ceil(3) * 4 + signature.div_ceil(3) * 4 + 2
    }

    /// Appends `.b64(payload)` to the encoded header in `token`, signs, and appends the signature.
    fn finish(&self, mut token: Vec<u8>, payload_json: &str) -> Result<String> {
        token.push(b'.');
        b64::encode_into(payload_json.as_bytes(), &mut token);
        let fail = || Error::new(ErrorKind::Key, "signing failed");
        let end = token.len();
        token.push(b'.');
        match &self.key {
            SignKey::Hmac(k) => b64::encode_into(k.sign(&token[..end]).as_ref(), &mut token),
            SignKey::Ecdsa(pair) => {
                let s = pair.sign(&self.rng, &token[..end]).map_err(|_| fail())?;
                b64::encode_into(s.as_ref(), &mut token);
            }
            SignKey::Ed25519(pair) => b64::encode_into(pair.sign(&token[..end]).as_ref(), &mut token),
            SignKey::Rsa(pair, encoding) => {
                let mut s = vec![0; pair.public_modulus_len()];
                pair.sign(*encoding, &self.rng, &token[..end], &mut s)
                    .map_err(|_| fail())?;
                b64::encode_into(&s, &mut token);
            }
        }
        // Only base64url characters and dots were written.
        String::from_utf8(token).map_err(|_| fail())
    }
}

fn rsa_encoding(alg: Algorithm) -> &'static dyn sig::RsaEncoding {
    match alg {
        Algorithm::RS256 => &sig::RSA_PKCS1_SHA256,
        Algorithm::RS384 => &sig::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &sig::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &sig::RSA_PSS_SHA256,
        Algorithm::PS384 => &sig::RSA_PSS_SHA384,
        _ => &sig::RSA_PSS_SHA512,
    }
}
