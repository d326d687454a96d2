//! A hot-path method (`verify`, `signPayload`) as a plain function bound to
//! one native object. The function finds its object in its own data pointer,
//! so a call skips what napi-rs does around every `&self` method: unwrapping
//! `this` (a private-property lookup), checking its class, registering the
//! borrow in a scope and releasing it, about 0.4 µs of a 1.7 µs cold verify.
//! With no `this` to read, no other object can be passed off as the target.
//!
//! Safety: napi-rs keeps a class instance boxed at a fixed address until the
//! JS object is collected, and the function holds that object in a property
//! nobody can delete or overwrite, so the pointer outlives every call. A call
//! only reads its target (`&`), and never calls back into JS, so no `&mut`
//! method (`setKeys`) can run during it: JS on one thread runs one call at a
//! time.

use std::ffi::{c_void, CStr};
use std::ptr;

use napi::bindgen_prelude::Env;
use napi::{check_status, sys, JsError};

use super::error::Result;
use super::verify::Raw;

/// A native object with one method that can be bound.
pub trait Bound {
    /// The function's name, as stack traces show it.
    const NAME: &'static CStr;
    /// The method, given its first two arguments (`undefined` where not passed).
    fn call(&self, env: &Env, args: [sys::napi_value; 2]) -> Result<Raw>;
}

/// `T::call` as a function bound to `target`, whose JS object is `this`.
pub fn function<T: Bound>(env: &Env, this: sys::napi_value, target: &T) -> Result<sys::napi_value> {
    let env = env.raw();
    let mut f = ptr::null_mut();
    let data = target as *const T as *mut c_void;
    let name = T::NAME.to_bytes();
    check_status!(unsafe {
        sys::napi_create_function(
            env,
            name.as_ptr().cast(),
            name.len() as isize,
            Some(call::<T>),
            data,
            &mut f,
        )
    })?;
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

unsafe extern "C" fn call<T: Bound>(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let mut argc = 2;
    // Arguments not passed are filled with `undefined`.
    let mut argv = [ptr::null_mut(); 2];
    let mut data = ptr::null_mut();
    let status = unsafe { sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), &mut data) };
    let result = check_status!(status).and_then(|()| {
        // Safety: see the module comment; `data` is the `&T` given to `function`.
        let target = unsafe { &*(data as *const T) };
        target.call(&Env::from_raw(env), argv)
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
