use napi::bindgen_prelude::{Env, ToNapiValue};
use napi::sys;
use napi_derive::napi;

use super::error::{to_napi, Result};
use super::options::VerifierOptions;
use super::text::{JsonText, TokenArg};
use crate::core;

/// A verifier with its options and keys parsed once.
#[napi]
pub struct NativeVerifier {
    inner: core::Verifier,
}

/// A JS value made inside the verify call, while the decoded text is borrowed.
pub struct Raw(pub sys::napi_value);

impl ToNapiValue for Raw {
    unsafe fn to_napi_value(_: sys::napi_env, v: Self) -> napi::Result<sys::napi_value> {
        Ok(v.0)
    }
}

impl NativeVerifier {
    fn run<R>(&self, token: TokenArg, now_ms: f64, f: impl FnOnce(&core::Checked<'_>) -> R) -> Result<R> {
        let TokenArg(Some(bytes)) = token else {
            return Err(to_napi(core::verifier::too_large(self.inner.options().max_token_bytes)));
        };
        self.inner.verify_with(&bytes, now_ms, f).map_err(to_napi)
    }
}

#[napi]
impl NativeVerifier {
    #[napi(constructor)]
    pub fn new(options: VerifierOptions) -> Result<Self> {
        Ok(NativeVerifier {
            inner: options.into_core().map_err(to_napi)?,
        })
    }

    /// Verifies `token` at `nowMs` and returns its claim set as JSON text (one
    /// crossing; JSON.parse in JS is cheaper than building the object here).
    #[napi(ts_args_type = "token: string, nowMs: number", ts_return_type = "string")]
    pub fn verify(&self, env: Env, token: TokenArg, now_ms: f64) -> Result<Raw> {
        let made = self.run(token, now_ms, |c| unsafe {
            JsonText::to_napi_value(env.raw(), JsonText(c.payload))
        })?;
        made.map(Raw)
            .map_err(|e| napi::Error::new(e.status.as_ref().to_owned(), e.reason.clone()))
    }

    /// Like `verify`, returning `[headerJson, payloadJson]`.
    #[napi(ts_args_type = "token: string, nowMs: number")]
    pub fn verify_complete(&self, token: TokenArg, now_ms: f64) -> Result<Vec<String>> {
        self.run(token, now_ms, |c| vec![c.header.to_owned(), c.payload.to_owned()])
    }
}

/// Decodes without verifying: `[headerJson, payloadJson, signature]`.
#[napi]
pub fn decode_token(token: String) -> Result<Vec<String>> {
    let (h, p, s) = core::verifier::decode(&token).map_err(to_napi)?;
    Ok(vec![h, p, s])
}
