//! A core error crosses as a JS `Error` whose detail is in properties: `code`
//! (the stable code decided in the core), `message`, and `claim` (the claim or
//! option it concerns) or, for a revoked token, `reason`. napi-rs's own error
//! carries a code and a message only (napi-rs/napi-rs#1205, #1981), so the
//! error object is built and thrown here, and the binding returns napi's
//! "already thrown" marker. Only a failure builds one.

use std::ffi::CStr;
use std::ptr;

use napi::bindgen_prelude::{Env, Status, ToNapiValue};
use napi::{check_status, sys};

use crate::core::{Error as CoreError, ErrorKind};

pub type Result<T> = napi::Result<T>;

/// `result.or_throw(env)`: a core result at the binding's edge.
pub trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> Result<T>;
}

impl<T> OrThrow<T> for crate::core::Result<T> {
    #[inline]
    fn or_throw(self, env: &Env) -> Result<T> {
        self.map_err(|e| throw(env, e))
    }
}

/// Throws `e` as a JS error with its detail as properties and returns the
/// marker napi-rs reads as "an exception is pending" (it then throws nothing
/// more). If the error cannot be built, napi's own error for that goes instead.
#[cold]
#[inline(never)]
pub fn throw(env: &Env, e: CoreError) -> napi::Error {
    let env = env.raw();
    let thrown = unsafe { js_error(env, &e) }.and_then(|err| check_status!(unsafe { sys::napi_throw(env, err) }));
    match thrown {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(failed) => failed,
    }
}

/// The property that holds the error's detail: why a token is revoked
/// (`'user'`, `'token'`, `'session'`, `'global'`, `'group'`, `'not_allowed'`),
/// else the claim or option name.
fn detail_slot(kind: ErrorKind) -> &'static CStr {
    match kind {
        ErrorKind::Revoked => c"reason",
        _ => c"claim",
    }
}

unsafe fn js_error(env: sys::napi_env, e: &CoreError) -> Result<sys::napi_value> {
    let code = unsafe { <&str>::to_napi_value(env, e.code())? };
    let message = unsafe { <&str>::to_napi_value(env, &e.message)? };
    let mut err = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_error(env, code, message, &mut err) })?;
    if let Some(detail) = &e.claim {
        let value = unsafe { <&str>::to_napi_value(env, detail)? };
        check_status!(unsafe { sys::napi_set_named_property(env, err, detail_slot(e.kind).as_ptr(), value) })?;
    }
    Ok(err)
}
