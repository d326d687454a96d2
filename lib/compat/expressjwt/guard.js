'use strict'

const { UnauthorizedError } = require('./errors')
const { MESSAGE_FOR_CODE } = require('../jwt-errors')

// jsonwebtoken.verify options a Guard already holds (it was opened with them):
// given next to `guard` they would silently not apply, so they are refused.
const GUARD_HOLDS = [
  'audience', 'issuer', 'subject', 'jwtid', 'maxAge', 'clockTolerance', 'clockTimestamp',
  'ignoreExpiration', 'ignoreNotBefore', 'nonce', 'allowInvalidAsymmetricKeyTypes',
]

/** The construction-time checks of the `guard` option; RangeError like express-jwt's own. */
function checkGuardOptions(options) {
  const { guard } = options
  if (guard === null || typeof guard !== 'object' || typeof guard.verify !== 'function') {
    throw new RangeError('express-jwt: `guard` must be a revocable Guard (`await revocable.open(...)`)')
  }
  if (options.secret !== undefined) {
    throw new RangeError('express-jwt: give `secret` or `guard`, not both: the guard verifies with its own key')
  }
  const held = GUARD_HOLDS.find((name) => options[name] !== undefined)
  if (held !== undefined) {
    throw new RangeError(`express-jwt: \`${held}\` cannot be combined with \`guard\`: set it where the guard is opened`)
  }
  // express-jwt apps sign with jsonwebtoken (whole-second iat): the Guard's
  // cut-offs then resolve after their second (lib/guard.js afterSecondOf).
  const wholeSeconds = guard[Symbol.for('revocable.wholeSecondIat')]
  if (typeof wholeSeconds === 'function') wholeSeconds.call(guard)
}

const CLAIM_MESSAGE = {
  aud: 'jwt audience invalid',
  iss: 'jwt issuer invalid',
  sub: 'jwt subject invalid',
  jti: 'jwt jwtid invalid',
}

/**
 * A Guard's refusal as express-jwt reports the same refusal: a revoked token
 * is 'revoked_token' (as from isRevoked), anything else 'invalid_token'
 * wrapping the jsonwebtoken error (TokenExpiredError 'jwt expired', ...) that
 * carries revocable's error as `inner` and its stable `code`. Errors without
 * an ERR_JWT_* code are not verdicts on the token and are returned unchanged.
 */
function guardFailure(err, jwt) {
  const code = err !== null && typeof err === 'object' ? err.code : undefined
  if (code === 'ERR_JWT_REVOKED') {
    return new UnauthorizedError('revoked_token', { message: 'The token has been revoked.', reason: err.reason, code, inner: err })
  }
  if (typeof code !== 'string' || !code.startsWith('ERR_JWT')) return err
  return new UnauthorizedError('invalid_token', jsonWebTokenError(err, jwt))
}

function jsonWebTokenError(err, jwt) {
  let out
  if (err.code === 'ERR_JWT_EXPIRED') out = new jwt.TokenExpiredError('jwt expired', err.expiredAt)
  else if (err.code === 'ERR_JWT_MAX_AGE') out = new jwt.TokenExpiredError('maxAge exceeded', err.expiredAt)
  else if (err.code === 'ERR_JWT_NOT_BEFORE') out = new jwt.NotBeforeError('jwt not active', err.date)
  else if (err.code === 'ERR_JWT_CLAIM') out = new jwt.JsonWebTokenError(CLAIM_MESSAGE[err.claim] || err.message)
  else out = new jwt.JsonWebTokenError(MESSAGE_FOR_CODE[err.code] || err.message)
  out.inner = err
  out.code = err.code
  return out
}

module.exports = { checkGuardOptions, guardFailure, jsonWebTokenError }
