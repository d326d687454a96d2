use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;

use super::error::{to_napi, Result};
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
    pub fn new(algorithm: String, key: Buffer) -> Result<Self> {
        let alg = algorithms("algorithm", &[algorithm]).map_err(to_napi)?[0];
        Ok(NativeSigner {
            inner: core::Signer::new(alg, &key).map_err(to_napi)?,
        })
    }

    /// Signs JSON header and payload text into a compact JWS.
    #[napi(ts_return_type = "string")]
    pub fn sign(&self, header_json: String, payload_json: String) -> Result<Token> {
        self.inner.sign(&header_json, &payload_json).map(Token).map_err(to_napi)
    }

    /// Signs JSON payload text under the header `{"alg":…,"typ":"JWT"}` (encoded once, when the signer was built).
    #[napi(ts_return_type = "string")]
    pub fn sign_payload(&self, payload_json: String) -> Result<Token> {
        self.inner.sign_payload(&payload_json).map(Token).map_err(to_napi)
    }
}

/// A signed token: ASCII, so it goes to JS as Latin-1 (a plain copy, no UTF-8 decoding).
pub struct Token(String);

impl ToNapiValue for Token {
    unsafe fn to_napi_value(env: sys::napi_env, token: Self) -> napi::Result<sys::napi_value> {
        unsafe { JsonText::to_napi_value(env, JsonText(&token.0)) }
    }
}
