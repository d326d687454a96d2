'use strict'

/**
 * express-jwt 8.5.1's UnauthorizedError: `code` ('credentials_required',
 * 'credentials_bad_scheme', 'credentials_bad_format', 'invalid_token',
 * 'revoked_token'), `status` 401, the wrapped error as `inner`, and the
 * wrapped error's message as its own.
 */
class UnauthorizedError extends Error {
  constructor(code, error) {
    super(error.message)
    this.code = code
    this.status = 401
    this.name = 'UnauthorizedError'
    this.inner = error
  }
}

module.exports = { UnauthorizedError }
