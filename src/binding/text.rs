//! Strings across the boundary without the UTF-8 round trips napi-rs's
//! `String` does: a token is read as UTF-16 (its length is O(1) to learn, so a
//! huge string is refused before it is copied) and narrowed to ASCII; JSON
//! text goes back as Latin-1 (a plain copy) when it is ASCII.

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, ToNapiValue};
use napi::{check_status, sys};
use smallvec::SmallVec;

/// Strings longer than this are not copied at all; no verifier's
/// `maxTokenBytes` may exceed it (options.rs), and the core re-checks.
pub(super) const COPY_LIMIT: usize = 1 << 20;

/// A token as bytes. Characters outside ASCII (never valid in a JWT) become
/// 0xFF, which no base64url segment or separator accepts.
/// `None` when longer than [`COPY_LIMIT`]: only the length was read.
pub struct TokenArg(pub Option<SmallVec<[u8; 1024]>>);

impl FromNapiValue for TokenArg {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut len = 0;
        check_status!(unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len) })?;
        if len > COPY_LIMIT {
            return Ok(TokenArg(None));
        }
        // Written by napi before it is read: no zeroing of either buffer.
        let mut wide: SmallVec<[u16; 1024]> = SmallVec::with_capacity(len + 1);
        let mut written = 0;
        check_status!(unsafe {
            sys::napi_get_value_string_utf16(env, value, wide.as_mut_ptr(), len + 1, &mut written)
        })?;
        // Safety: napi wrote `written` units (at most `len`) and a terminator.
        unsafe { wide.set_len(written) };
        let mut bytes: SmallVec<[u8; 1024]> = SmallVec::with_capacity(written);
        let out = bytes.as_mut_ptr();
        for (i, &c) in wide.iter().enumerate() {
            // Safety: `bytes` has room for `written` bytes; each is written once, before set_len.
            unsafe { out.add(i).write(if c < 0x80 { c as u8 } else { 0xff }) };
        }
        unsafe { bytes.set_len(written) };
        Ok(TokenArg(Some(bytes)))
    }
}

/// JSON text returned to JS.
pub struct JsonText<'a>(pub &'a str);

impl ToNapiValue for JsonText<'_> {
    unsafe fn to_napi_value(env: sys::napi_env, text: Self) -> napi::Result<sys::napi_value> {
        let mut out = ptr::null_mut();
        let s = text.0;
        let status = if s.is_ascii() {
            unsafe { sys::napi_create_string_latin1(env, s.as_ptr().cast(), s.len() as isize, &mut out) }
        } else {
            unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out) }
        };
        check_status!(status)?;
        Ok(out)
    }
}
