//! Registered claim checks (RFC 7519 §4.1), in a fixed order after the
//! signature has verified. `now` is passed in; nothing here reads the clock.

use std::borrow::Cow;

use super::error::{Error, ErrorKind, Result};
use super::json::{Members, Value};

/// Seconds an `iat` may lie in the future beyond `clockTolerance`.
pub const IAT_SKEW: f64 = 1.0;

/// What the verifier checks in the claim set.
#[derive(Debug, Clone, Default)]
pub struct ClaimRules {
    /// Accepted `iss` values; empty means any.
    pub issuer: Vec<String>,
    /// Accepted `aud` values; empty means any. An array `aud` matches if any element does.
    pub audience: Vec<String>,
    pub subject: Option<String>,
    pub jwtid: Option<String>,
    /// Seconds of leeway for `exp`, `nbf`, `iat` and `maxAge`.
    pub clock_tolerance: f64,
    /// Seconds after `iat` when a token stops being accepted.
    pub max_age: Option<f64>,
    /// Claims that must be present, whatever their value.
    pub required: Vec<String>,
    /// Skip the time checks (nbf, exp, iat in the future, maxAge); the types are
    /// still checked. Only for the jsonwebtoken drop-in, which checks times in JS
    /// in jsonwebtoken's own order and words.
    pub skip_times: bool,
}

/// The registered claims of a verified token, as later checks need them,
/// borrowed from the decoded payload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registered<'a> {
    pub iss: Option<&'a str>,
    pub sub: Option<&'a str>,
    pub jti: Option<&'a str>,
    pub exp: Option<f64>,
    pub nbf: Option<f64>,
    pub iat: Option<f64>,
}

pub fn check<'m>(members: &'m Members<'_>, rules: &ClaimRules, now_ms: f64) -> Result<Registered<'m>> {
    let mut reg = Registered::default();
    let mut aud: Option<&Value> = None;
    for (name, value) in members {
        match name.as_ref() {
            "exp" => reg.exp = Some(number("exp", value)?),
            "nbf" => reg.nbf = Some(number("nbf", value)?),
            "iat" => reg.iat = Some(number("iat", value)?),
            "iss" => reg.iss = Some(string("iss", value)?),
            "sub" => reg.sub = Some(string("sub", value)?),
            "jti" => reg.jti = Some(string("jti", value)?),
            "aud" => match value {
                Value::Str(_) | Value::StrArray(_) => aud = Some(value),
                _ => return Err(Error::claim("aud", "aud must be a string or an array of strings")),
            },
            _ => {}
        }
    }
    for name in &rules.required {
        if !members.iter().any(|(k, _)| k == name) {
            return Err(Error::claim(name, format!("missing required claim `{name}`")));
        }
    }
    if !rules.skip_times {
        times(&reg, rules, now_ms)?;
    }
    if !rules.issuer.is_empty() && !reg.iss.is_some_and(|iss| rules.issuer.iter().any(|want| want == iss)) {
        return Err(Error::claim("iss", "unexpected iss"));
    }
    if !rules.audience.is_empty() {
        let wanted = |a: &Cow<str>| rules.audience.iter().any(|want| want == a.as_ref());
        let matched = match aud {
            Some(Value::Str(a)) => wanted(a),
            Some(Value::StrArray(list)) => list.iter().any(wanted),
            _ => false,
        };
        if !matched {
            return Err(Error::claim("aud", "unexpected aud"));
        }
    }
    if rules.subject.is_some() && reg.sub != rules.subject.as_deref() {
        return Err(Error::claim("sub", "unexpected sub"));
    }
    if rules.jwtid.is_some() && reg.jti != rules.jwtid.as_deref() {
        return Err(Error::claim("jti", "unexpected jti"));
    }
    Ok(reg)
}

/// The registered claims with their types checked (RFC 7519 §4.1), and no
/// other rule: what the revocation rules read from a claim set.
pub fn registered<'m>(members: &'m Members<'_>) -> Result<Registered<'m>> {
    let types_only = ClaimRules {
        skip_times: true,
        ..ClaimRules::default()
    };
    check(members, &types_only, 0.0)
}

/// exp, nbf, a future iat and maxAge, against `now`.
fn times(reg: &Registered<'_>, rules: &ClaimRules, now_ms: f64) -> Result<()> {
    let now = now_ms / 1000.0;
    let tol = rules.clock_tolerance;
    if reg.nbf.is_some_and(|nbf| nbf > now + tol) {
        return Err(Error {
            kind: ErrorKind::NotBefore,
            claim: Some("nbf".into()),
            message: "token is not yet valid".into(),
        });
    }
    if reg.exp.is_some_and(|exp| now >= exp + tol) {
        return Err(Error {
            kind: ErrorKind::Expired,
            claim: Some("exp".into()),
            message: "token has expired".into(),
        });
    }
    // A token "issued" in the future would outlive any user cut-off made before
    // that time, so it is refused rather than trusted. The fixed second absorbs
    // clock differences between instances (a Guard may issue 1 ms after a cut-off).
    if reg.iat.is_some_and(|iat| iat > now + tol + IAT_SKEW) {
        return Err(Error::claim("iat", "iat is in the future"));
    }
    if let Some(max_age) = rules.max_age {
        let iat = reg
            .iat
            .ok_or_else(|| Error::claim("iat", "maxAge needs an iat claim"))?;
        if now >= iat + max_age + tol {
            return Err(Error {
                kind: ErrorKind::MaxAge,
                claim: Some("iat".into()),
                message: "token is older than maxAge".into(),
            });
        }
    }
    Ok(())
}

/// The times (ms) between which a token that passed at some `now` still passes
/// the time checks: what a cached result may rely on. Without the time checks
/// (`skip_times`) there is no window to rely on, so it is empty.
pub fn window(reg: &Registered<'_>, rules: &ClaimRules) -> (f64, f64) {
    if rules.skip_times {
        return (0.0, 0.0);
    }
    let tol = rules.clock_tolerance;
    let mut from = f64::NEG_INFINITY;
    let mut until = f64::INFINITY;
    if let Some(nbf) = reg.nbf {
        from = from.max(nbf - tol);
    }
    if let Some(iat) = reg.iat {
        from = from.max(iat - tol - IAT_SKEW);
        if let Some(max_age) = rules.max_age {
            until = until.min(iat + max_age + tol);
        }
    }
    if let Some(exp) = reg.exp {
        until = until.min(exp + tol);
    }
    (from * 1000.0, until * 1000.0)
}

/// RFC 7519 §2 NumericDate: a JSON number; a literal too large for f64 is refused.
fn number(name: &str, value: &Value) -> Result<f64> {
    match value.as_f64() {
        Some(n) if n.is_finite() => Ok(n),
        _ => Err(Error::claim(name, format!("{name} must be a finite number"))),
    }
}

fn string<'m>(name: &str, value: &'m Value<'_>) -> Result<&'m str> {
    match value {
        Value::Str(s) => Ok(s),
        _ => Err(Error::claim(name, format!("{name} must be a string"))),
    }
}
