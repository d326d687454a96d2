//! The keys a verifier may use, and the choice of one per token.

use super::jwk::from_jwk_text;
use super::material::{from_secret, key_error};
use super::pem::{from_pem, looks_like_pem};
use super::{KeySource, VerifyKey};
use crate::core::alg::{Algorithm, Family};
use crate::core::error::{Error, ErrorKind, Result};

/// One key, or a JWK Set selected by `kid`.
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
        // The allow-list may span families (['RS256', 'ES256'] with a set of RSA
        // and EC keys, or with one key serving one of them): each token's alg is
        // matched against the key it selects. Only a key no listed algorithm
        // fits is a misconfiguration.
        if !is_set && keys[0].primitives.is_empty() {
            let names: Vec<&str> = algorithms.iter().map(|a| a.name()).collect();
            return Err(Error::option(
                "algorithms",
                format!(
                    "none of {} fits {} (a key serves one algorithm family{})",
                    names.join(", "),
                    describe(keys[0].family),
                    keys[0]
                        .bound_alg
                        .map_or(String::new(), |a| format!(", and this one only {a}"))
                ),
            ));
        }
        Ok(KeySet { keys, is_set })
    }

    /// Only a JWK Set can be swapped in at runtime: a lone key has no `kid`
    /// to tell old tokens from new ones.
    pub fn is_set(&self) -> bool {
        self.is_set
    }

    /// Picks the key for a token. A lone key ignores `kid`; a set needs a key
    /// whose `kid` matches, or exactly one candidate when the token has none.
    /// A set with no candidate fails with claim `kid`: the set may be stale
    /// (a remote set refetches on it).
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&VerifyKey> {
        if !self.is_set {
            let key = &self.keys[0];
            if key.bound_alg.is_some_and(|a| a != alg) {
                return Err(key_error(format!("the key is bound to another algorithm than {alg}")));
            }
            if !key.can_verify(alg) {
                return Err(key_error(format!(
                    "{} cannot verify {alg} tokens",
                    describe(key.family)
                )));
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
            (Some(_), Some(_), Some(_)) => Err(key_error("several keys in the set share this kid")),
            (Some(_), Some(_), None) => Err(key_error("the token has no kid and several keys in the set fit")),
            (None, _, Some(_)) => Err(unknown(format!("no {alg} key in the set has the token's kid"))),
            (None, _, None) => Err(unknown(format!("no {alg} key in the set"))),
        }
    }
}

fn unknown(message: String) -> Error {
    Error {
        kind: ErrorKind::Key,
        claim: Some("kid".into()),
        message,
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
