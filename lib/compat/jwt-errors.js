'use strict'

/**
 * jsonwebtoken 9.0.2's error classes: same names, messages, `inner`,
 * `expiredAt` and `date`, so `instanceof` and `err.name` checks in apps keep
 * working. Each also carries a stable `code` (revocable's ERR_JWT_* codes).
 */
class JsonWebTokenError extends Error {
  constructor(message, error) {
    super(message)
    this.name = 'JsonWebTokenError'
    if (error) this.inner = error
  }
}

class TokenExpiredError extends JsonWebTokenError {
  constructor(message, expiredAt) {
    super(message)
    this.name = 'TokenExpiredError'
    this.expiredAt = expiredAt
  }
}

class NotBeforeError extends JsonWebTokenError {
  constructor(message, date) {
    super(message)
    this.name = 'NotBeforeError'
    this.date = date
  }
}

/** A JsonWebTokenError with a stable code and, when it wraps one, the native error. */
function jwtError(message, code, inner) {
  const err = new JsonWebTokenError(message, inner)
  err.code = code
  return err
}

/** jsonwebtoken's words for what the addon refuses before any claim is read. */
const MESSAGE_FOR_CODE = {
  ERR_JWT_SIGNATURE: 'invalid signature',
  ERR_JWT_MALFORMED: 'jwt malformed',
  ERR_JWT_TOO_LARGE: 'jwt malformed',
  ERR_JWT_ALGORITHM: 'invalid algorithm',
  ERR_JWT_KEY: 'invalid signature',
  ERR_JWT_CRIT: 'invalid token',
}

module.exports = { JsonWebTokenError, TokenExpiredError, NotBeforeError, jwtError, MESSAGE_FOR_CODE }
