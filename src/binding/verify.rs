use napi::bindgen_prelude::{Env, ToNapiValue};
use napi::sys;
use napi_derive::napi;

use super::error::{OrThrow, Result};
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
pub struct Raw(pub sys::napi_value);

impl ToNapiValue for Raw {
    unsafe fn to_napi_value(_: sys::napi_env, v: Self) -> napi::Result<sys::napi_value> {
        Ok(v.0)
    }
}

/// What one verify call runs against: a Verifier (its results depend on no
/// revocation group), or a Guard with or without its group marks (the slow
/// path verifies without them before asking the app).
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Verifier(&'a core::Verifier),
    Guard { guard: &'a core::Guard, groups: bool },
}

impl<'a> From<&'a core::Verifier> for Source<'a> {
    fn from(v: &'a core::Verifier) -> Self {
        Source::Verifier(v)
    }
}

impl<'a> From<&'a core::Guard> for Source<'a> {
    fn from(g: &'a core::Guard) -> Self {
        Source::Guard {
            guard: g,
            groups: g.rules().groups,
        }
    }
}

impl<'a> Source<'a> {
    pub fn verifier(self) -> &'a core::Verifier {
        match self {
            Source::Verifier(v) => v,
            Source::Guard { guard, .. } => guard.verifier(),
        }
    }

    /// One verify call that lends its result, with the revocation groups it
    /// depends on; `f` also gets the token's bytes.
    fn run<R>(
        self,
        env: &Env,
        token: &TokenArg,
        now_ms: f64,
        f: impl FnOnce(&[u8], &core::Checked<'_>, &Snapshot) -> R,
    ) -> Result<R> {
        let bytes = token_bytes(token, self.verifier()).or_throw(env)?;
        match self {
            Source::Verifier(v) => v.verify_with(bytes, now_ms, |c| f(bytes, c, &Snapshot::new())),
            Source::Guard { guard, groups } => guard.verify_groups(bytes, now_ms, groups, |c, snap| f(bytes, c, snap)),
        }
        .or_throw(env)
    }
}

/// The token's bytes, or ERR_JWT_TOO_LARGE for one too long to have been copied.
pub fn token_bytes<'t>(token: &'t TokenArg, v: &core::Verifier) -> core::Result<&'t [u8]> {
    match &token.0 {
        Some(bytes) => Ok(bytes),
        None => Err(core::verifier::too_large(v.options().max_token_bytes)),
    }
}

/// The claims as JSON text, made into a JS string while still borrowed (no
/// copy into a Rust String); what the result depends on goes to `scratch`.
pub fn verify_payload(v: Source<'_>, scratch: &Scratch, env: &Env, token: &TokenArg, now_ms: f64) -> Result<Raw> {
    let claims = &v.verifier().options().claims;
    v.run(env, token, now_ms, |bytes, c, snap| {
        scratch.record(bytes, core::claims::window(&c.claims, claims), snap);
        scratch.record_shape(c.payload, c.members);
        unsafe { JsonText::to_napi_value(env.raw(), JsonText(c.payload)) }
    })?
    .map(Raw)
}

/// `[headerJson, payloadJson]`, for `complete: true`.
pub fn verify_parts(v: Source<'_>, env: &Env, token: &TokenArg, now_ms: f64) -> Result<Vec<String>> {
    v.run(env, token, now_ms, |_, c, _| {
        vec![c.header.to_owned(), c.payload.to_owned()]
    })
}

/// The calls a NativeVerifier and a NativeGuard share (napi classes cannot
/// share methods through a trait): `$class` has `inner` (a core Verifier or
/// Guard) and `scratch`.
macro_rules! verify_methods {
    ($class:ident) => {
        #[napi]
        impl $class {
            /// What the last successful `verify` depends on, for the JS result cache:
            /// `[validFromMs, validUntilMs, groupCount, group0, epoch0, ..., tokenHash]`.
            #[napi]
            pub fn scratch(&self) -> napi::bindgen_prelude::Float64Array {
                self.scratch.view()
            }

            /// The shape of the claims the last successful `verify` returned, so JS
            /// can build them from the text without JSON.parse (src/binding/shape.rs).
            #[napi]
            pub fn shape(&self) -> napi::bindgen_prelude::Float64Array {
                self.scratch.shape_view()
            }

            /// Verifies `token` at `nowMs` (and, for a Guard, checks revocation) in
            /// one call; returns its claim set as JSON text, its shape in `shape()`
            /// (building the object here would cost more than either).
            #[napi(ts_args_type = "token: string, nowMs: number", ts_return_type = "string")]
            pub fn verify(
                &self,
                env: &napi::bindgen_prelude::Env,
                token: $crate::binding::text::TokenArg,
                now_ms: f64,
            ) -> $crate::binding::error::Result<$crate::binding::verify::Raw> {
                $crate::binding::verify::verify_payload((&self.inner).into(), &self.scratch, env, &token, now_ms)
            }

            /// Like `verify`, returning `[headerJson, payloadJson]`.
            #[napi(ts_args_type = "token: string, nowMs: number")]
            pub fn verify_complete(
                &self,
                env: &napi::bindgen_prelude::Env,
                token: $crate::binding::text::TokenArg,
                now_ms: f64,
            ) -> $crate::binding::error::Result<Vec<String>> {
                $crate::binding::verify::verify_parts((&self.inner).into(), env, &token, now_ms)
            }

            /// `verify` as a function bound to this object, made once: the same
            /// call without napi-rs's per-call work for a method (src/binding/bound.rs).
            #[napi(ts_return_type = "(token: string, nowMs: number) => string")]
            pub fn bound_verify(
                &self,
                env: &napi::bindgen_prelude::Env,
                this: napi::bindgen_prelude::This,
            ) -> $crate::binding::error::Result<$crate::binding::verify::Raw> {
                let this = napi::JsValue::value(&this).value;
                $crate::binding::bound::function(env, this, self).map($crate::binding::verify::Raw)
            }

            /// Replaces the keys with a JWK Set (JSON text), for the same
            /// algorithms; on error the current keys stay. A Guard's table is untouched.
            #[napi]
            pub fn set_keys(
                &mut self,
                env: &napi::bindgen_prelude::Env,
                jwks: String,
            ) -> $crate::binding::error::Result<()> {
                $crate::binding::error::OrThrow::or_throw(self.inner.set_keys(&jwks), env)
            }
        }

        impl $crate::binding::bound::Bound for $class {
            const NAME: &'static std::ffi::CStr = c"verify";
            fn call(
                &self,
                env: &napi::bindgen_prelude::Env,
                [token, now_ms]: [napi::sys::napi_value; 2],
            ) -> $crate::binding::error::Result<$crate::binding::verify::Raw> {
                use napi::bindgen_prelude::FromNapiValue;
                let token = unsafe { $crate::binding::text::TokenArg::from_napi_value(env.raw(), token)? };
                let now_ms = unsafe { f64::from_napi_value(env.raw(), now_ms)? };
                $crate::binding::verify::verify_payload((&self.inner).into(), &self.scratch, env, &token, now_ms)
            }
        }
    };
}
pub(crate) use verify_methods;

#[napi]
impl NativeVerifier {
    #[napi(constructor)]
    pub fn new(env: &Env, options: VerifierOptions) -> Result<Self> {
        Ok(NativeVerifier {
            inner: options.into_core().or_throw(env)?,
            scratch: Scratch::default(),
        })
    }
}

verify_methods!(NativeVerifier);

/// Decodes without verifying: `[headerJson, payloadJson, signature]`.
#[napi]
pub fn decode_token(env: &Env, token: String) -> Result<Vec<String>> {
    let (h, p, s) = core::verifier::decode(&token).or_throw(env)?;
    Ok(vec![h, p, s])
}
