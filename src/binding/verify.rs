use napi::bindgen_prelude::{Env, ToNapiValue};
use napi::sys;
use napi_derive::napi;

use napi::bindgen_prelude::Float64Array;

use super::error::{to_napi, Result};
use super::options::VerifierOptions;
use super::shared::Scratch;
use super::text::{JsonText, TokenArg};
use crate::core;
use crate::core::epochs::Snapshot;

/// A verifier with its options and keys parsed once.
#[napi]
pub struct NativeVerifier {
    inner: core::Verifier,
    scratch: Scratch,
}

/// A JS value made inside the verify call, while the decoded text is borrowed.
pub struct Raw(sys::napi_value);

impl ToNapiValue for Raw {
    unsafe fn to_napi_value(_: sys::napi_env, v: Self) -> napi::Result<sys::napi_value> {
        Ok(v.0)
    }
}

/// What the Verifier and the Guard share: one verify call that lends its
/// result, with the revocation groups it depends on (none for a Verifier).
pub trait VerifyWith {
    fn verify_with<R>(
        &self,
        token: &[u8],
        now_ms: f64,
        f: impl FnOnce(&core::Checked<'_>, &Snapshot) -> R,
    ) -> core::Result<R>;
    fn options(&self) -> &core::Options;
}

impl VerifyWith for core::Verifier {
    fn verify_with<R>(
        &self,
        token: &[u8],
        now_ms: f64,
        f: impl FnOnce(&core::Checked<'_>, &Snapshot) -> R,
    ) -> core::Result<R> {
        core::Verifier::verify_with(self, token, now_ms, |c| f(c, &Snapshot::new()))
    }
    fn options(&self) -> &core::Options {
        core::Verifier::options(self)
    }
}

impl VerifyWith for core::Guard {
    fn verify_with<R>(
        &self,
        token: &[u8],
        now_ms: f64,
        f: impl FnOnce(&core::Checked<'_>, &Snapshot) -> R,
    ) -> core::Result<R> {
        core::Guard::verify_with(self, token, now_ms, f)
    }
    fn options(&self) -> &core::Options {
        self.verifier().options()
    }
}

/// One verify call; `f` also gets the token's bytes.
fn run<R>(
    v: &impl VerifyWith,
    token: TokenArg,
    now_ms: f64,
    f: impl FnOnce(&[u8], &core::Checked<'_>, &Snapshot) -> R,
) -> Result<R> {
    let TokenArg(Some(bytes)) = token else {
        return Err(to_napi(core::verifier::too_large(v.options().max_token_bytes)));
    };
    v.verify_with(&bytes, now_ms, |c, snap| f(&bytes, c, snap))
        .map_err(to_napi)
}

/// The claims as JSON text, made into a JS string while still borrowed (no
/// copy into a Rust String); what the result depends on goes to `scratch`.
pub fn verify_payload(v: &impl VerifyWith, scratch: &Scratch, env: Env, token: TokenArg, now_ms: f64) -> Result<Raw> {
    let made = run(v, token, now_ms, |bytes, c, snap| {
        scratch.record(bytes, core::claims::window(&c.claims, &v.options().claims), snap);
        unsafe { JsonText::to_napi_value(env.raw(), JsonText(c.payload)) }
    })?;
    made.map(Raw)
        .map_err(|e| napi::Error::new(e.status.as_ref().to_owned(), e.reason.clone()))
}

/// `[headerJson, payloadJson]`, for `complete: true`.
pub fn verify_parts(v: &impl VerifyWith, token: TokenArg, now_ms: f64) -> Result<Vec<String>> {
    run(v, token, now_ms, |_, c, _| {
        vec![c.header.to_owned(), c.payload.to_owned()]
    })
}

#[napi]
impl NativeVerifier {
    #[napi(constructor)]
    pub fn new(options: VerifierOptions) -> Result<Self> {
        Ok(NativeVerifier {
            inner: options.into_core().map_err(to_napi)?,
            scratch: Scratch::default(),
        })
    }

    /// What the last successful `verify` depends on, for the JS result cache:
    /// `[validFromMs, validUntilMs, groupCount, ...]`.
    #[napi]
    pub fn scratch(&self) -> Float64Array {
        self.scratch.view()
    }

    /// Verifies `token` at `nowMs` and returns its claim set as JSON text (one
    /// crossing; JSON.parse in JS is cheaper than building the object here).
    #[napi(ts_args_type = "token: string, nowMs: number", ts_return_type = "string")]
    pub fn verify(&self, env: Env, token: TokenArg, now_ms: f64) -> Result<Raw> {
        verify_payload(&self.inner, &self.scratch, env, token, now_ms)
    }

    /// Like `verify`, returning `[headerJson, payloadJson]`.
    #[napi(ts_args_type = "token: string, nowMs: number")]
    pub fn verify_complete(&self, token: TokenArg, now_ms: f64) -> Result<Vec<String>> {
        verify_parts(&self.inner, token, now_ms)
    }

    /// Replaces the keys with a JWK Set (JSON text), for the same algorithms;
    /// on error the current keys stay.
    #[napi]
    pub fn set_keys(&mut self, jwks: String) -> Result<()> {
        self.inner.set_keys(&jwks).map_err(to_napi)
    }
}

/// Decodes without verifying: `[headerJson, payloadJson, signature]`.
#[napi]
pub fn decode_token(token: String) -> Result<Vec<String>> {
    let (h, p, s) = core::verifier::decode(&token).map_err(to_napi)?;
    Ok(vec![h, p, s])
}
