//! `verify` as a plain function bound to one native verifier, for the hot
//! path. The function finds its verifier in its own data pointer, so a call
//! skips what napi-rs does around every `&self` method: unwrapping `this` (a
//! private-property lookup), checking its class, registering the borrow in a
//! scope and releasing it, about 0.3 µs of a 1.8 µs cold verify. With no
//! `this` to read, no other object can be passed off as the verifier.
//!
//! Safety: napi-rs keeps a class instance boxed at a fixed address until the
//! JS object is collected, and the function holds that object in a property
//! nobody can delete or overwrite, so the pointer outlives every call. A call
//! only reads the verifier (`&`), and never calls back into JS, so no `&mut`
//! method (`setKeys`) can run during it: JS on one thread runs one call at a
//! time.

use std::ffi::c_void;
use std::ptr;

use napi::bindgen_prelude::{Env, FromNapiValue};
use napi::{check_status, sys, JsError};

use super::error::Result;
use super::text::TokenArg;
use super::verify::Raw;

/// A native verifier whose `verify` can be bound.
pub trait BoundVerify {
    fn verify_raw(&self, env: &Env, token: TokenArg, now_ms: f64) -> Result<Raw>;
}

/// `(token, nowMs) => claims JSON text`, bound to `target`, whose JS object is `this`.
pub fn function<T: BoundVerify>(env: &Env, this: sys::napi_value, target: &T) -> Result<sys::napi_value> {
    let env = env.raw();
    let mut f = ptr::null_mut();
    let data = target as *const T as *mut c_void;
    let name = c"verify";
    check_status!(unsafe { sys::napi_create_function(env, name.as_ptr(), 6, Some(call::<T>), data, &mut f) })?;
    // Read-only, not enumerable, not configurable: the function keeps its verifier alive.
    let owner = sys::napi_property_descriptor {
        utf8name: c"owner".as_ptr(),
        name: ptr::null_mut(),
        method: None,
        getter: None,
        setter: None,
        value: this,
        attributes: sys::PropertyAttributes::default,
        data: ptr::null_mut(),
    };
    check_status!(unsafe { sys::napi_define_properties(env, f, 1, &owner) })?;
    Ok(f)
}

unsafe extern "C" fn call<T: BoundVerify>(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let mut argc = 2;
    // Arguments not passed are filled with `undefined`.
    let mut argv = [ptr::null_mut(); 2];
    let mut data = ptr::null_mut();
    let status = unsafe { sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), &mut data) };
    let result = check_status!(status).and_then(|()| {
        // Safety: see the module comment; `data` is the `&T` given to `function`.
        let target = unsafe { &*(data as *const T) };
        let token = unsafe { TokenArg::from_napi_value(env, argv[0])? };
        let now_ms = unsafe { f64::from_napi_value(env, argv[1])? };
        target.verify_raw(&Env::from_raw(env), token, now_ms)
    });
    match result {
        Ok(Raw(value)) => value,
        Err(e) => {
            // A core error is already thrown (error.rs); anything else is thrown here.
            unsafe { JsError::from(e).throw_into(env) };
            ptr::null_mut()
        }
    }
}
