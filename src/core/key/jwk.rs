//! JWKs (RFC 7517) and JWK Sets, for signature verification only.

use serde_json::Value as Json;

use super::material::{ec_key, ed25519_key, from_secret, key_error, rsa_key};
use super::VerifyKey;
use crate::core::alg::{Algorithm, Curve, Family};
use crate::core::b64;
use crate::core::error::{Error, Result};

/// The keys of a JWK or JWK Set, and whether it was a set.
pub(super) fn from_jwk_text(text: &str, algorithms: &[Algorithm]) -> Result<(Vec<VerifyKey>, bool)> {
    let json: Json = serde_json::from_str(text).map_err(|_| key_error("the JWK is not valid JSON"))?;
    match json.get("keys") {
        Some(Json::Array(list)) => {
            let mut keys = Vec::new();
            for jwk in list {
                // Keys of a set that cannot serve any allowed algorithm (encryption
                // keys, other families, key types or curves not supported here)
                // are skipped, as jose's JWK Sets do: a provider publishing a new
                // kind of key must not take the set's other keys down with it.
                if !may_serve(jwk, algorithms) {
                    continue;
                }
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

/// False for a JWK whose `kty` (and `crv`) no allowed algorithm uses, or
/// that this crate does not support; such a key is not parsed at all.
fn may_serve(jwk: &Json, algorithms: &[Algorithm]) -> bool {
    let text = |name: &str| jwk.get(name).and_then(Json::as_str);
    let family = match (text("kty"), text("crv")) {
        (Some("oct"), _) => Family::Hmac,
        (Some("RSA"), _) => Family::Rsa,
        (Some("EC"), Some("P-256")) => Family::Ec(Curve::P256),
        (Some("EC"), Some("P-384")) => Family::Ec(Curve::P384),
        (Some("EC"), Some("P-521")) => Family::Ec(Curve::P521),
        (Some("OKP"), Some("Ed25519")) => Family::Ed25519,
        // Not an object, or kty missing or mistyped: parsed, to say what is wrong.
        (None, _) => return true,
        _ => return false,
    };
    algorithms.iter().any(|a| a.family() == family)
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
