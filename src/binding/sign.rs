use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use super::error::{to_napi, Result};
use super::options::algorithms;
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
    #[napi]
    pub fn sign(&self, header_json: String, payload_json: String) -> Result<String> {
        self.inner.sign(&header_json, &payload_json).map_err(to_napi)
    }
}
