use crate::core::Error as CoreError;

/// Unit separator between the claim/option name (or revocation reason) and the
/// message; lib/errors.js splits it back into `claim`/`reason` and `message`
/// on the native error too, so users never see it. Exported in the contract.
pub const SEP: char = '\u{1f}';

/// A core error as a JS error whose `code` is the stable code decided in Rust.
pub fn to_napi(e: CoreError) -> napi::Error<String> {
    let reason = match &e.claim {
        Some(claim) => format!("{claim}{SEP}{}", e.message),
        None => e.message.clone(),
    };
    napi::Error::new(e.code().to_owned(), reason)
}

pub type Result<T> = std::result::Result<T, napi::Error<String>>;
