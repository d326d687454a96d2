use napi::bindgen_prelude::{Buffer, Env, ToNapiValue};
use napi::sys;
use napi_derive::napi;

use super::error::{OrThrow, Result};
use super::options::algorithms;
use super::text::JsonText;
use crate::core;

/// A private key (or HMAC secret) parsed once, bound to one algorithm.
#[napi]
pub struct NativeSigner {
    inner: core::Signer,
}

#[napi]
impl NativeSigner {
    #[napi(constructor)]
    pub fn new(env: &Env, algorithm: String, key: Buffer) -> Result<Self> {
        let alg = algorithms("algorithm", &[algorithm]).or_throw(env)?[0];
        Ok(NativeSigner {
            inner: core::Signer::new(alg, &key).or_throw(env)?,
        })
    }

    /// Signs JSON header and payload text into a compact JWS.
    #[napi(ts_return_type = "string")]
    pub fn sign(&self, env: &Env, header_json: String, payload_json: String) -> Result<Token> {
        self.inner.sign(&header_json, &payload_json).map(Token).or_throw(env)
    }

    /// Signs JSON payload text under the header `{"alg":…,"typ":"JWT"}` (encoded once, when the signer was built).
    #[napi(ts_return_type = "string")]
    pub fn sign_payload(&self, env: &Env, payload_json: String) -> Result<Token> {
        self.inner.sign_payload(&payload_json).map(Token).or_throw(env)
    }
}

/// A signed token: ASCII, so it goes to JS as Latin-1 (a plain copy, no UTF-8 decoding).
pub struct Token(String);

impl ToNapiValue for Token {
    unsafe fn to_napi_value(env: sys::napi_env, token: Self) -> napi::Result<sys::napi_value> {
        unsafe { JsonText::to_napi_value(env, JsonText(&token.0)) }
    }
}
