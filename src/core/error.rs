//! Every failure carries a stable code, decided here and carried unchanged to JS
//! as `err.code`. Messages say what was wrong and never echo key material.

use std::fmt;

/// What went wrong, as a stable code. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not three strict base64url segments of UTF-8 JSON objects.
    Malformed,
    /// Longer than `maxTokenBytes`; refused before any decoding.
    TooLarge,
    /// `alg` missing, `none`, or outside the allow-list.
    Algorithm,
    /// No usable key for this token, or a key that is unfit (size, curve, family).
    Key,
    /// The signature does not verify.
    Signature,
    /// `now >= exp + clockTolerance`.
    Expired,
    /// `nbf > now + clockTolerance`.
    NotBefore,
    /// `now >= iat + maxAge + clockTolerance`.
    MaxAge,
    /// A registered claim is missing, mistyped or does not match the options.
    Claim,
    /// A `crit` header the verifier cannot honour (RFC 7515 §4.1.11).
    Crit,
    /// A verifier or signing option is invalid.
    InvalidOption,
    /// The token verified but is revoked; `claim` holds the reason.
    Revoked,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "ERR_JWT_MALFORMED",
            ErrorKind::TooLarge => "ERR_JWT_TOO_LARGE",
            ErrorKind::Algorithm => "ERR_JWT_ALGORITHM",
            ErrorKind::Key => "ERR_JWT_KEY",
            ErrorKind::Signature => "ERR_JWT_SIGNATURE",
            ErrorKind::Expired => "ERR_JWT_EXPIRED",
            ErrorKind::NotBefore => "ERR_JWT_NOT_BEFORE",
            ErrorKind::MaxAge => "ERR_JWT_MAX_AGE",
            ErrorKind::Claim => "ERR_JWT_CLAIM",
            ErrorKind::Crit => "ERR_JWT_CRIT",
            ErrorKind::InvalidOption => "ERR_JWT_INVALID_OPTION",
            ErrorKind::Revoked => "ERR_JWT_REVOKED",
        }
    }
}

/// A failure with its code, the claim or option it concerns (if any), and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The claim (`iss`, `aud`, a required claim) or option name the error is about.
    pub claim: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            claim: None,
            message: message.into(),
        }
    }

    pub fn claim(claim: &str, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Claim,
            claim: Some(claim.to_owned()),
            message: message.into(),
        }
    }

    pub fn option(name: &str, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::InvalidOption,
            claim: Some(name.to_owned()),
            message: format!("invalid option `{name}`: {}", message.into()),
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn malformed(message: &str) -> Error {
    Error::new(ErrorKind::Malformed, message)
}
