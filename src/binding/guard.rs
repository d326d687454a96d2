use napi::bindgen_prelude::{Either, Env, Float64Array, Uint32Array, Uint8Array};
use napi_derive::napi;

use super::error::{throw, OrThrow, Result};
use super::options::{seconds, VerifierOptions};
use super::shared::{epochs_view, Scratch};
use super::text::TokenArg;
use super::verify::{token_bytes, verify_methods, verify_parts, Source};
use crate::core::table::whole_ms;
use crate::core::{self, guard, Guard, GuardRules};

/// What a Guard adds to the verifier options.
#[napi(object)]
pub struct GuardOptions {
    /// Identifies the store; Guards on the same id share one table per process.
    pub table_id: String,
    /// Longest accepted `exp - iat`: seconds or a duration string. Required.
    pub max_token_lifetime: Either<f64, String>,
    /// Claims naming a session or device. Default `['sid']`.
    pub session_claims: Option<Vec<String>>,
    /// Refuse tokens this Guard did not record when signing. Default false.
    pub allow_list: Option<bool>,
    /// Tokens older than their group's mark are refused with reason `group`. Default false.
    pub groups: Option<bool>,
    /// Session claims whose cut-offs compare `iat` rather than the session's
    /// start (`auth_time`): a refresh family's rotation marks. Default none.
    pub rotation_claims: Option<Vec<String>>,
}

/// What `applyRecords` did.
#[napi(object)]
pub struct AppliedRecords {
    /// How many records changed the table.
    pub changed: u32,
    /// The index of the record it stopped at, left to the caller; -1 when none.
    pub stopped: f64,
}

#[napi(object)]
pub struct TableStats {
    pub users: u32,
    pub tokens: u32,
    pub sessions: u32,
    pub allowed: u32,
    /// Approximate heap bytes held by the table's maps.
    pub bytes: f64,
    /// `bytes` held by user cut-offs.
    pub user_bytes: f64,
    /// `bytes` held by revoked-token entries.
    pub token_bytes: f64,
    /// `bytes` held by session cut-offs.
    pub session_bytes: f64,
    /// `bytes` held by allow-list entries.
    pub allowed_bytes: f64,
    /// The global cut-off in ms (0 when none).
    pub global: f64,
}

/// A verifier bound to the process-wide revocation table of one store.
#[napi]
pub struct NativeGuard {
    inner: Guard,
    scratch: Scratch,
}

#[napi]
impl NativeGuard {
    #[napi(constructor)]
    pub fn new(env: &Env, options: VerifierOptions, guard: GuardOptions) -> Result<Self> {
        let build = || -> core::Result<Guard> {
            let verifier = options.into_core()?;
            let max_lifetime = seconds("maxTokenLifetime", Some(&guard.max_token_lifetime))?.unwrap_or(0.0);
            let rules = GuardRules {
                max_lifetime,
                session_claims: guard.session_claims.unwrap_or_else(|| vec!["sid".into()]),
                allow_list: guard.allow_list.unwrap_or(false),
                groups: guard.groups.unwrap_or(false),
            };
            let rotation = guard.rotation_claims.unwrap_or_default();
            Guard::new(verifier, guard::shared_table(&guard.table_id), rules).map(|g| g.with_rotation_claims(rotation))
        };
        Ok(NativeGuard {
            inner: build().or_throw(env)?,
            scratch: Scratch::default(),
        })
    }

    /// The table's revocation epochs (one per group, the last global), shared
    /// by every thread: a cached result is valid while its groups' epochs hold.
    #[napi]
    pub fn epochs(&self) -> Uint32Array {
        epochs_view(self.inner.table())
    }

    /// Like `verify` with group marks ignored (every other rule applies): the
    /// slow path, before the app's own check. Returns `[headerJson, payloadJson]`.
    #[napi(ts_args_type = "token: string, nowMs: number")]
    pub fn verify_past_group(&self, env: &Env, token: TokenArg, now_ms: f64) -> Result<Vec<String>> {
        let past_group = Source::Guard {
            guard: &self.inner,
            groups: false,
        };
        verify_parts(past_group, env, &token, now_ms)
    }

    /// The revocation rules alone, for claims another library verified (given
    /// as JSON text): null when they pass, else the reason ('user', 'token', ...).
    /// Throws ERR_JWT_CLAIM / ERR_JWT_MALFORMED for claims no rule can decide.
    #[napi]
    pub fn check_claims(&self, env: &Env, payload: String) -> Result<Option<String>> {
        match self.inner.check_claims(&payload) {
            Ok(()) => Ok(None),
            Err(e) if e.kind == core::ErrorKind::Revoked => Ok(e.claim),
            Err(e) => Err(throw(env, e)),
        }
    }

    /// Verifies a token to revoke: everything but its times and revocation
    /// (an expired token may still be logged out). Returns its claims as JSON text.
    #[napi(ts_args_type = "token: string")]
    pub fn verify_untimed(&self, env: &Env, token: TokenArg) -> Result<String> {
        let bytes = token_bytes(&token, self.inner.verifier()).or_throw(env)?;
        self.inner.verify_untimed(bytes, |c| c.payload.to_owned()).or_throw(env)
    }

    /// The group (of `count`) that `sub` falls in.
    #[napi]
    pub fn group_of(&self, sub: String, count: u32) -> u32 {
        core::Table::group_of(&sub, count)
    }

    /// Marks group `index` of `count` at `atMs`; returns whether it moved.
    #[napi]
    pub fn mark_group(&self, index: u32, count: u32, at_ms: f64) -> bool {
        self.inner.table().mark_group(index, count, whole_ms(at_ms))
    }

    /// Refuses tokens of `sub` issued before `cutoffMs`. Returns false if an equal or later cut-off was already set.
    #[napi]
    pub fn revoke_user(&self, sub: String, cutoff_ms: f64) -> bool {
        self.inner.table().revoke_user(&sub, whole_ms(cutoff_ms))
    }

    /// Refuses tokens whose `claim` equals `value` issued before `cutoffMs`.
    #[napi]
    pub fn revoke_session(&self, claim: String, value: String, cutoff_ms: f64) -> bool {
        self.inner.table().revoke_session(&claim, &value, whole_ms(cutoff_ms))
    }

    /// Refuses the token (iss, jti) until `expMs` (its exp, in ms like every
    /// time crossing the binding; the table keeps token entries in seconds).
    #[napi]
    pub fn revoke_token(&self, iss: String, jti: String, exp_ms: f64) -> bool {
        self.inner.table().revoke_token(&iss, &jti, exp_ms / 1000.0)
    }

    /// Records (iss, jti) as issued until `expMs`, for allow-list mode.
    #[napi]
    pub fn allow_token(&self, iss: String, jti: String, exp_ms: f64) -> bool {
        self.inner.table().allow_token(&iss, &jti, exp_ms / 1000.0)
    }

    /// Applies stored records in bulk (a store's load), from index `from` up to
    /// the first it does not read: record `i` is of kind `kinds[i]`
    /// (contract().recordKinds), its key the i-th of `keys` (each ended by
    /// U+0000), its time `atsMs[i]`. Returns how many changed the table and
    /// the index it stopped at (-1: none), which the caller applies on its
    /// own before it resumes after it.
    #[napi]
    pub fn apply_records(
        &self,
        env: &Env,
        kinds: Uint8Array,
        keys: String,
        ats_ms: Float64Array,
        from: u32,
    ) -> Result<AppliedRecords> {
        if kinds.len() != ats_ms.len() {
            let e = core::Error::new(
                core::ErrorKind::InvalidOption,
                "applyRecords: kinds and atsMs differ in length",
            );
            return Err(throw(env, e));
        }
        let applied = self.inner.table().apply_records(&kinds, &keys, &ats_ms, from as usize);
        Ok(AppliedRecords {
            changed: applied.changed,
            stopped: applied.stopped.map_or(-1.0, |i| i as f64),
        })
    }

    /// Refuses every token issued before `cutoffMs`.
    #[napi]
    pub fn revoke_all(&self, cutoff_ms: f64) -> bool {
        self.inner.table().revoke_all(whole_ms(cutoff_ms))
    }

    /// The latest cut-off (ms) applying to a token of `sub` with these `[claim, value]`
    /// session pairs, or 0: `sign` issues at or after it, so a fresh token is never born revoked.
    #[napi]
    pub fn cutoff_for(&self, sub: Option<String>, sessions: Vec<Vec<String>>) -> f64 {
        let pairs: Vec<(&str, &str)> = sessions
            .iter()
            .filter_map(|p| Some((p.first()?.as_str(), p.get(1)?.as_str())))
            .collect();
        self.inner.table().cutoff_for(sub.as_deref(), &pairs).max(0) as f64
    }

    /// Drops entries that can no longer refuse anything; returns how many.
    #[napi]
    pub fn prune(&self, now_ms: f64) -> u32 {
        let rules = self.inner.rules();
        let tolerance = self.inner.verifier().options().claims.clock_tolerance;
        self.inner.table().prune(
            now_ms as i64,
            (rules.max_lifetime * 1000.0) as i64,
            (tolerance * 1000.0) as i64,
        ) as u32
    }

    /// Reserves room for `tokens` token entries before a bulk load.
    #[napi]
    pub fn reserve(&self, tokens: u32) {
        self.inner.table().reserve(tokens as usize)
    }

    #[napi]
    pub fn stats(&self) -> TableStats {
        let s = self.inner.table().stats();
        TableStats {
            users: s.users as u32,
            tokens: s.tokens as u32,
            sessions: s.sessions as u32,
            allowed: s.allowed as u32,
            bytes: s.bytes as f64,
            user_bytes: s.bytes_by_kind[0] as f64,
            token_bytes: s.bytes_by_kind[1] as f64,
            session_bytes: s.bytes_by_kind[2] as f64,
            allowed_bytes: s.bytes_by_kind[3] as f64,
            global: s.global as f64,
        }
    }
}

verify_methods!(NativeGuard);
