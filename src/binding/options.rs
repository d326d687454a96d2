use napi::bindgen_prelude::{Buffer, Either, Env};
use napi_derive::napi;

use super::error::OrThrow;
use super::text::COPY_LIMIT;
use crate::core::{self, duration, error::Error, Algorithm};

/// Verifier options as the JS shim passes them (already normalised: keys as
/// bytes or JWK JSON, single strings as arrays).
#[napi(object)]
pub struct VerifierOptions {
    /// Allowed algorithms; required. `none` is never accepted.
    pub algorithms: Vec<String>,
    /// HMAC secret bytes, or a PEM public key / certificate.
    pub key: Option<Buffer>,
    /// A JWK or a JWK Set, as JSON text.
    pub jwk: Option<String>,
    /// Accepted `iss` values.
    pub issuer: Option<Vec<String>>,
    /// Accepted `aud` values.
    pub audience: Option<Vec<String>>,
    pub subject: Option<String>,
    pub jwtid: Option<String>,
    /// Expected `typ` header (e.g. `at+jwt`).
    pub typ: Option<String>,
    /// Seconds, or a duration string like `'30s'`. Default 0.
    pub clock_tolerance: Option<Either<f64, String>>,
    /// Seconds or `'15m'`: tokens with `now >= iat + maxAge + tolerance` are rejected.
    pub max_age: Option<Either<f64, String>>,
    /// Claims that must be present. Default `['exp']`.
    pub required_claims: Option<Vec<String>>,
    /// Tokens longer than this are rejected before parsing. Default 16384.
    pub max_token_bytes: Option<f64>,
    /// `crit` extension parameters the application understands.
    pub crit: Option<Vec<String>>,
    /// Internal (the jsonwebtoken drop-in): `false` skips exp, nbf, iat and maxAge,
    /// which the drop-in then checks in JS with jsonwebtoken's words.
    pub check_times: Option<bool>,
}

pub fn algorithms(name: &str, list: &[String]) -> core::Result<Vec<Algorithm>> {
    list.iter()
        .map(|a| {
            if a.eq_ignore_ascii_case("none") {
                return Err(Error::option(name, "`none` is never accepted"));
            }
            Algorithm::from_name(a).ok_or_else(|| Error::option(name, format!("unsupported algorithm `{a}`")))
        })
        .collect()
}

pub fn seconds(name: &str, value: Option<&Either<f64, String>>) -> core::Result<Option<f64>> {
    match value {
        None => Ok(None),
        Some(Either::A(n)) => duration::checked(name, *n).map(Some),
        Some(Either::B(s)) => duration::parse_seconds(name, s).map(Some),
    }
}

impl VerifierOptions {
    pub fn into_core(self) -> core::Result<core::Verifier> {
        let algs = algorithms("algorithms", &self.algorithms)?;
        let mut o = core::Options::new(algs.clone());
        o.typ = self.typ;
        o.crit = self.crit.unwrap_or_default();
        if let Some(n) = self.max_token_bytes {
            if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0) {
                return Err(Error::option("maxTokenBytes", "must be a positive integer"));
            }
            // A longer token is never copied across (text.rs), so it could not say why it is refused.
            if n > COPY_LIMIT as f64 {
                return Err(Error::option(
                    "maxTokenBytes",
                    format!("must be at most {COPY_LIMIT} (1 MiB)"),
                ));
            }
            o.max_token_bytes = n as usize;
        }
        let c = &mut o.claims;
        c.issuer = self.issuer.unwrap_or_default();
        c.audience = self.audience.unwrap_or_default();
        c.subject = self.subject;
        c.jwtid = self.jwtid;
        c.clock_tolerance = seconds("clockTolerance", self.clock_tolerance.as_ref())?.unwrap_or(0.0);
        c.max_age = seconds("maxAge", self.max_age.as_ref())?;
        c.skip_times = self.check_times == Some(false);
        if let Some(required) = self.required_claims {
            c.required = required;
        }
        let source = match (&self.key, &self.jwk) {
            (Some(bytes), None) => core::KeySource::Bytes(bytes),
            (None, Some(jwk)) => core::KeySource::Jwk(jwk),
            _ => return Err(Error::option("key", "exactly one key (or JWK Set) is required")),
        };
        let keys = core::KeySet::new(source, &algs)?;
        core::Verifier::new(o, keys)
    }
}

/// Seconds in a duration given as a number of seconds or a string like `'15m'`.
#[napi]
pub fn duration_seconds(env: &Env, name: String, value: Either<f64, String>) -> super::error::Result<f64> {
    seconds(&name, Some(&value)).map(|s| s.unwrap_or(0.0)).or_throw(env)
}
