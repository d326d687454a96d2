use napi_derive::napi;

use super::error::{to_napi, Result};
use super::options::VerifierOptions;
use crate::core;

/// A verifier with its options and keys parsed once.
#[napi]
pub struct NativeVerifier {
    inner: core::Verifier,
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
    #[napi]
    pub fn verify(&self, token: String, now_ms: f64) -> Result<String> {
        self.inner
            .verify(&token, now_ms)
            .map(|v| v.payload)
            .map_err(to_napi)
    }

    /// Like `verify`, returning `[headerJson, payloadJson]`.
    #[napi]
    pub fn verify_complete(&self, token: String, now_ms: f64) -> Result<Vec<String>> {
        self.inner
            .verify(&token, now_ms)
            .map(|v| vec![v.header, v.payload])
            .map_err(to_napi)
    }
}

/// Decodes without verifying: `[headerJson, payloadJson, signature]`.
#[napi]
pub fn decode_token(token: String) -> Result<Vec<String>> {
    let (h, p, s) = core::verifier::decode(&token).map_err(to_napi)?;
    Ok(vec![h, p, s])
}
