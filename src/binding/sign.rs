use std::ffi::CStr;
use std::ptr;

use napi::bindgen_prelude::{Buffer, Env, FromNapiValue, This, ToNapiValue};
use napi::{check_status, sys};
use napi_derive::napi;
use smallvec::SmallVec;

use super::bound;
use super::error::{OrThrow, Result};
use super::options::algorithms;
use super::verify::Raw;
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
    #[napi(ts_args_type = "headerJson: string, payloadJson: string", ts_return_type = "string")]
    pub fn sign(&self, env: &Env, header_json: Text, payload_json: Text) -> Result<Token> {
        let (header, payload) = (
            header_json.as_str().or_throw(env)?,
            payload_json.as_str().or_throw(env)?,
        );
        self.inner.sign(header, payload).map(Token).or_throw(env)
    }

    /// `signPayload` as a function bound to this object, made once: the same
    /// call without napi-rs's per-call work for a method (src/binding/bound.rs).
    #[napi(ts_return_type = "(payloadJson: string) => string")]
    pub fn bound_sign_payload(&self, env: &Env, this: This) -> Result<Raw> {
        bound::function(env, napi::JsValue::value(&this).value, self).map(Raw)
    }

    /// Signs JSON payload text under the header `{"alg":…,"typ":"JWT"}` (encoded once, when the signer was built).
    #[napi(ts_args_type = "payloadJson: string", ts_return_type = "string")]
    pub fn sign_payload(&self, env: &Env, payload_json: Text) -> Result<Token> {
        let payload = payload_json.as_str().or_throw(env)?;
        self.inner.sign_payload(payload).map(Token).or_throw(env)
    }
}

impl bound::Bound for NativeSigner {
    const NAME: &'static CStr = c"signPayload";
    fn call(&self, env: &Env, [payload, _]: [sys::napi_value; 2]) -> Result<Raw> {
        let text = unsafe { Text::from_napi_value(env.raw(), payload)? };
        let token = self.inner.sign_payload(text.as_str().or_throw(env)?).or_throw(env)?;
        unsafe { Token::to_napi_value(env.raw(), Token(token)) }.map(Raw)
    }
}

/// JSON text from JS as UTF-8, written once into a stack buffer when short. napi-rs's
/// `String` measures the UTF-8 length first (a pass over the text) and zeroes a heap buffer.
pub struct Text(SmallVec<[u8; 1024]>);

/// Strings of up to this many UTF-16 units fit the inline buffer even at 3 UTF-8 bytes each.
const INLINE_UNITS: usize = (1024 - 1) / 3;

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut units = 0;
        // Reading the length in UTF-16 units does not scan the string.
        check_status!(unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut units) })?;
        let capacity = if units <= INLINE_UNITS {
            3 * units + 1
        } else {
            let mut bytes = 0;
            check_status!(unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut bytes) })?;
            bytes + 1
        };
        let mut text = SmallVec::<[u8; 1024]>::with_capacity(capacity);
        let mut written = 0;
        check_status!(unsafe {
            sys::napi_get_value_string_utf8(env, value, text.as_mut_ptr().cast(), capacity, &mut written)
        })?;
        // Safety: napi wrote `written` bytes (at most capacity - 1) into the buffer.
        unsafe { text.set_len(written) };
        Ok(Text(text))
    }
}

impl Text {
    /// Node writes lone surrogates as U+FFFD, so this never fails; checked anyway.
    fn as_str(&self) -> core::Result<&str> {
        std::str::from_utf8(&self.0)
            .map_err(|_| core::Error::new(core::ErrorKind::Malformed, "JSON text is not valid UTF-8"))
    }
}

/// A signed token: base64url and dots only, so it goes to JS as Latin-1 (a plain copy).
pub struct Token(String);

impl ToNapiValue for Token {
    unsafe fn to_napi_value(env: sys::napi_env, token: Self) -> napi::Result<sys::napi_value> {
        let mut out = ptr::null_mut();
        let t = token.0.as_bytes();
        check_status!(unsafe { sys::napi_create_string_latin1(env, t.as_ptr().cast(), t.len() as isize, &mut out) })?;
        Ok(out)
    }
}
