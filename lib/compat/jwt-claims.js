'use strict'

const { TokenExpiredError, NotBeforeError, jwtError } = require('./jwt-errors')
const { timespan } = require('./timespan')

function expired(message, at, code) {
  const err = new TokenExpiredError(message, new Date(at * 1000))
  err.code = code
  return err
}

function audienceError(payload, options) {
  const wanted = Array.isArray(options.audience) ? options.audience : [options.audience]
  const present = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  const match = present.some((aud) => wanted.some((w) => (w instanceof RegExp ? w.test(aud) : w === aud)))
  if (!match) return jwtError(`jwt audience invalid. expected: ${wanted.join(' or ')}`, 'ERR_JWT_CLAIM')
}

function issuerError(payload, options) {
  const { issuer } = options
  const invalid = (typeof issuer === 'string' && payload.iss !== issuer) ||
    (Array.isArray(issuer) && !issuer.includes(payload.iss))
  if (invalid) return jwtError(`jwt issuer invalid. expected: ${issuer}`, 'ERR_JWT_CLAIM')
}

function maxAgeError(payload, options, now, tolerance) {
  if (typeof payload.iat !== 'number') return jwtError('iat required when maxAge is specified', 'ERR_JWT_CLAIM')
  const limit = timespan(options.maxAge, payload.iat)
  if (limit === undefined) {
    return jwtError('"maxAge" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60', 'ERR_JWT_INVALID_OPTION')
  }
  if (now >= limit + tolerance) return expired('maxAge exceeded', limit, 'ERR_JWT_MAX_AGE')
}

/**
 * jsonwebtoken 9.0.2's claim checks, in its order and words, on a payload
 * whose signature has verified. `now` is in whole seconds. Returns the first
 * failure, or undefined.
 */
function claimError(payload, options, now) {
  const tolerance = options.clockTolerance || 0
  if (payload.nbf !== undefined && !options.ignoreNotBefore) {
    if (typeof payload.nbf !== 'number') return jwtError('invalid nbf value', 'ERR_JWT_CLAIM')
    if (payload.nbf > now + tolerance) {
      const err = new NotBeforeError('jwt not active', new Date(payload.nbf * 1000))
      err.code = 'ERR_JWT_NOT_BEFORE'
      return err
    }
  }
  if (payload.exp !== undefined && !options.ignoreExpiration) {
    if (typeof payload.exp !== 'number') return jwtError('invalid exp value', 'ERR_JWT_CLAIM')
    if (now >= payload.exp + tolerance) return expired('jwt expired', payload.exp, 'ERR_JWT_EXPIRED')
  }
  if (options.audience) {
    const err = audienceError(payload, options)
    if (err) return err
  }
  if (options.issuer) {
    const err = issuerError(payload, options)
    if (err) return err
  }
  if (options.subject && payload.sub !== options.subject) {
    return jwtError(`jwt subject invalid. expected: ${options.subject}`, 'ERR_JWT_CLAIM')
  }
  if (options.jwtid && payload.jti !== options.jwtid) {
    return jwtError(`jwt jwtid invalid. expected: ${options.jwtid}`, 'ERR_JWT_CLAIM')
  }
  if (options.nonce && payload.nonce !== options.nonce) {
    return jwtError(`jwt nonce invalid. expected: ${options.nonce}`, 'ERR_JWT_CLAIM')
  }
  if (options.maxAge) return maxAgeError(payload, options, now, tolerance)
}

module.exports = { claimError }
