//! The JOSE header: which algorithm, which key, and what the signer insists on.

use super::alg::Algorithm;
use super::error::{malformed, Error, ErrorKind, Result};
use super::json::{self, Members, Value};

/// Header parameters registered by RFC 7515 §4.1; `crit` may not list them.
const REGISTERED: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

pub struct Header<'a> {
    pub alg: Algorithm,
    pub kid: Option<&'a str>,
}

pub struct HeaderRules<'o> {
    pub algorithms: &'o [Algorithm],
    /// Expected `typ`, already normalised by [`normalize_typ`].
    pub typ: Option<&'o str>,
    /// Extension parameters the application understands and checks itself.
    pub crit: &'o [String],
}

pub fn parse<'m>(members: &'m Members<'_>, rules: &HeaderRules) -> Result<Header<'m>> {
    let alg = match json::get(members, "alg") {
        Some(Value::Str(name)) if name.eq_ignore_ascii_case("none") => {
            return Err(Error::new(ErrorKind::Algorithm, "alg `none` is never accepted"))
        }
        Some(Value::Str(name)) => Algorithm::from_name(name)
            .filter(|a| rules.algorithms.contains(a))
            .ok_or_else(|| Error::new(ErrorKind::Algorithm, "the token's alg is not in the allowed algorithms"))?,
        Some(_) => return Err(Error::new(ErrorKind::Algorithm, "the header's alg is not a string")),
        None => return Err(Error::new(ErrorKind::Algorithm, "the header has no alg")),
    };
    let kid = match json::get(members, "kid") {
        None => None,
        Some(Value::Str(k)) => Some(k.as_ref()),
        Some(_) => return Err(malformed("the header's kid is not a string")),
    };
    if let Some(expected) = rules.typ {
        match json::get(members, "typ") {
            Some(Value::Str(t)) if normalize_typ(t) == expected => {}
            _ => return Err(Error::claim("typ", "unexpected typ header")),
        }
    }
    check_crit(members, rules.crit)?;
    Ok(Header { alg, kid })
}

/// RFC 7515 §4.1.9: a `typ` without `/` stands for `application/<typ>`; media
/// types compare case-insensitively.
pub fn normalize_typ(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    match lower.strip_prefix("application/") {
        Some(rest) if !rest.contains('/') => rest.to_owned(),
        _ => lower,
    }
}

/// RFC 7515 §4.1.11: every listed extension must be understood and present;
/// RFC 7797's `b64: false` would change what the signature covers, which a
/// JWT never allows (RFC 7797 §7).
fn check_crit(members: &Members, understood: &[String]) -> Result<()> {
    if let Some(b64) = json::get(members, "b64") {
        if *b64 != Value::Bool(true) {
            return Err(Error::new(
                ErrorKind::Crit,
                "b64 other than true is not allowed in a JWT",
            ));
        }
    }
    let list = match json::get(members, "crit") {
        None => return Ok(()),
        Some(Value::StrArray(list)) if !list.is_empty() => list,
        Some(_) => return Err(Error::new(ErrorKind::Crit, "crit must be a non-empty array of names")),
    };
    for (i, name) in list.iter().enumerate() {
        if REGISTERED.contains(&name.as_ref()) {
            return Err(Error::new(
                ErrorKind::Crit,
                "crit lists a parameter registered by RFC 7515",
            ));
        }
        if list[..i].contains(name) {
            return Err(Error::new(ErrorKind::Crit, "crit lists a parameter twice"));
        }
        if json::get(members, name).is_none() {
            return Err(Error::new(
                ErrorKind::Crit,
                "crit lists a parameter the header does not have",
            ));
        }
        if name != "b64" && !understood.iter().any(|u| u == name) {
            return Err(Error::new(
                ErrorKind::Crit,
                format!("crit parameter `{name}` is not understood"),
            ));
        }
    }
    Ok(())
}
