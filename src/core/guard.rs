//! A verifier bound to a revocation table: one call verifies the token and
//! checks it against every rule, so JS crosses into Rust once per request.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, Weak};

use parking_lot::Mutex;

use super::claims::{self, ClaimRules, Registered};
use super::epochs::Snapshot;
use super::error::{Error, ErrorKind, Result};
use super::json::{self, Value};
use super::table::{Identity, Table};
use super::verifier::{Checked, Verifier};

/// What a Guard adds to a verifier.
pub struct GuardRules {
    /// Longest accepted `exp - iat`, in seconds; bounds how long entries live.
    pub max_lifetime: f64,
    /// Claims that name a session or device (`sid`, `did`, ...).
    pub session_claims: Vec<String>,
    /// Refuse every token whose (iss, jti) was not recorded when it was signed.
    pub allow_list: bool,
    /// Group epochs with a slow path: a token older than its group's mark is
    /// refused with reason `group` (the JS side then asks the app's check).
    pub groups: bool,
}

pub struct Guard {
    verifier: Verifier,
    table: Arc<Table>,
    rules: GuardRules,
    /// Session claims whose cut-offs are a refresh family's own rotation
    /// marks: they retire the family's older tokens, not the session, so they
    /// compare `iat` where every other cut-off compares the session's start.
    rotation_claims: Vec<String>,
    /// The verifier's claim rules without the time checks, for `verify_untimed`.
    untimed: ClaimRules,
}

/// One table per process per store: every Guard (in any worker thread) opened
/// on the same store id shares it, so a revocation anywhere is seen at once.
pub fn shared_table(id: &str) -> Arc<Table> {
    static TABLES: OnceLock<Mutex<HashMap<String, Weak<Table>>>> = OnceLock::new();
    let mut tables = TABLES.get_or_init(Default::default).lock();
    if let Some(table) = tables.get(id).and_then(Weak::upgrade) {
        return table;
    }
    tables.retain(|_, t| t.strong_count() > 0);
    let table = Arc::new(Table::new());
    tables.insert(id.to_owned(), Arc::downgrade(&table));
    table
}

impl Guard {
    pub fn new(verifier: Verifier, table: Arc<Table>, rules: GuardRules) -> Result<Guard> {
        if !(rules.max_lifetime.is_finite() && rules.max_lifetime > 0.0) {
            return Err(Error::option("maxTokenLifetime", "must be a positive duration"));
        }
        if rules.session_claims.iter().any(String::is_empty) {
            return Err(Error::option("sessionClaims", "claim names must be non-empty"));
        }
        let tolerance_ms = (verifier.options().claims.clock_tolerance * 1000.0).ceil() as i64;
        table.register_horizon((rules.max_lifetime * 1000.0).ceil() as i64, tolerance_ms);
        let untimed = ClaimRules {
            skip_times: true,
            ..verifier.options().claims.clone()
        };
        Ok(Guard {
            verifier,
            table,
            rules,
            rotation_claims: Vec::new(),
            untimed,
        })
    }

    /// Names the session claims that are rotation marks (see the field).
    pub fn with_rotation_claims(mut self, claims: Vec<String>) -> Guard {
        self.rotation_claims = claims;
        self
    }

    /// Verifies everything a token to revoke must pass to be worth an entry:
    /// structure, algorithm, key, signature, claim types, issuer, audience;
    /// not its times (logging out with an expired token must work, and a token
    /// not yet valid will be) nor revocation. A forgery is refused here, before
    /// it costs a store write and a table entry.
    pub fn verify_untimed<R>(&self, token: &[u8], f: impl FnOnce(&Checked<'_>) -> R) -> Result<R> {
        self.verifier.verify_under(token, 0.0, &self.untimed, f)
    }

    pub fn table(&self) -> &Arc<Table> {
        &self.table
    }

    pub fn rules(&self) -> &GuardRules {
        &self.rules
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// See [`Verifier::set_keys`]; the table is untouched.
    pub fn set_keys(&mut self, jwks: &str) -> Result<()> {
        self.verifier.set_keys(jwks)
    }

    /// Verifies, then applies the revocation rules; `f` sees the result only if
    /// all pass, with the revocation groups it depends on (epochs.rs).
    pub fn verify_with<R>(&self, token: &[u8], now_ms: f64, f: impl FnOnce(&Checked<'_>, &Snapshot) -> R) -> Result<R> {
        self.verify_groups(token, now_ms, self.rules.groups, f)
    }

    /// `verify_with`, choosing whether group marks apply: the slow path
    /// verifies a token without them before asking the app.
    pub fn verify_groups<R>(
        &self,
        token: &[u8],
        now_ms: f64,
        groups: bool,
        f: impl FnOnce(&Checked<'_>, &Snapshot) -> R,
    ) -> Result<R> {
        self.verifier.verify_with(token, now_ms, |c| {
            let mut snap = Snapshot::new();
            self.admit(&c.claims, c.members, groups, &mut snap)
                .map(|()| f(c, &snap))
        })?
    }

    /// The revocation rules alone, for a claim set another library verified
    /// (`auth.isRevoked(claims)`): the same checks as after a signature here,
    /// with group marks as configured. `payload` is the claim set as JSON.
    pub fn check_claims(&self, payload: &str) -> Result<()> {
        let members =
            json::parse_object_str(payload).map_err(|why| Error::new(ErrorKind::Malformed, format!("claims {why}")))?;
        let reg = claims::registered(&members)?;
        self.admit(&reg, &members, self.rules.groups, &mut Snapshot::new())
    }

    fn admit(
        &self,
        reg: &Registered<'_>,
        members: &[json::Member<'_>],
        groups: bool,
        snap: &mut Snapshot,
    ) -> Result<()> {
        // Pruning is only safe if every token has a bounded life: iat and exp
        // are required, and exp - iat may not exceed maxTokenLifetime.
        let iat = reg
            .iat
            .ok_or_else(|| Error::claim("iat", "a Guard requires an iat claim"))?;
        let exp = reg
            .exp
            .ok_or_else(|| Error::claim("exp", "a Guard requires an exp claim"))?;
        if exp - iat > self.rules.max_lifetime {
            return Err(Error::claim(
                "exp",
                "token lifetime (exp - iat) exceeds maxTokenLifetime",
            ));
        }
        let since = session_start(members, iat)?;
        let mut sessions = smallvec::SmallVec::<[(&str, &str, f64); 2]>::new();
        for name in &self.rules.session_claims {
            let at = if self.rotation_claims.contains(name) {
                iat
            } else {
                since
            };
            match json::get(members, name) {
                None => {}
                Some(Value::Str(v)) => sessions.push((name.as_str(), v.as_ref(), at)),
                // A session id that is not a string could never match a revocation.
                Some(_) => return Err(Error::claim(name, format!("{name} must be a string"))),
            }
        }
        let who = Identity {
            iss: reg.iss,
            sub: reg.sub,
            jti: reg.jti,
            iat,
            since,
            sessions: &sessions,
        };
        match self.table.check(&who, self.rules.allow_list, groups, snap) {
            None => Ok(()),
            Some(reason) => Err(Error {
                kind: ErrorKind::Revoked,
                claim: Some(reason.name().to_owned()),
                message: "token has been revoked".into(),
            }),
        }
    }
}

/// When the token's session began: OIDC's `auth_time` (seconds, fractional
/// allowed like `iat`), else `iat`. Read only from a token whose signature
/// verified (or claims the caller verified). A session cannot begin after its
/// token was issued, so an `auth_time` later than `iat` is refused: honouring
/// it would let a token claim a session start after a cut-off it falls under.
fn session_start(members: &[json::Member<'_>], iat: f64) -> Result<f64> {
    let Some(value) = json::get(members, "auth_time") else {
        return Ok(iat);
    };
    match value.as_f64() {
        Some(t) if t.is_finite() && t <= iat => Ok(t),
        Some(t) if t.is_finite() => Err(Error::claim("auth_time", "auth_time is later than iat")),
        _ => Err(Error::claim("auth_time", "auth_time must be a finite number")),
    }
}
