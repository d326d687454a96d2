'use strict'

// @fastify/jwt's errors: the same codes, status codes and default messages
// (overridable with the `messages` option), so handlers that test
// `err.code === 'FST_JWT_…'` keep working. Each carries the RFC 6750
// challenge in `headers`, which Fastify's error handling sets on the reply,
// and the authentication core's error as `cause`.
const MESSAGES = {
  badRequestErrorMessage: 'Format is Authorization: Bearer [token]',
  badCookieRequestErrorMessage: 'Cookie could not be parsed in request',
  noAuthorizationInHeaderMessage: 'No Authorization was found in request.headers',
  noAuthorizationInCookieMessage: 'No Authorization was found in request.cookies',
  authorizationTokenExpiredMessage: 'Authorization token expired',
  authorizationTokenInvalid: (err) => `Authorization token is invalid: ${err.message}`,
  authorizationTokenUntrusted: 'Untrusted authorization token',
  authorizationTokenUnsigned: 'Unsigned authorization token',
}

const CHALLENGE_MISSING = 'Bearer'
const CHALLENGE_INVALID = 'Bearer error="invalid_token"'

class FastifyJwtError extends Error {
  constructor(code, statusCode, message, cause) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'FastifyError'
    this.code = code
    this.statusCode = statusCode
    if (statusCode === 401) this.headers = { 'WWW-Authenticate': code.includes('NO_AUTHORIZATION') ? CHALLENGE_MISSING : CHALLENGE_INVALID }
    // Why a token was revoked ('user', 'token', 'session', ...).
    if (cause !== undefined && typeof cause.reason === 'string') this.reason = cause.reason
  }
}

/** The error constructors of one registration, with its `messages`. */
function errorsFor(messages) {
  const m = { ...MESSAGES, ...messages }
  const invalid = (inner) => (typeof m.authorizationTokenInvalid === 'function'
    ? m.authorizationTokenInvalid({ message: inner.message }) : m.authorizationTokenInvalid)
  return {
    badRequest: () => new FastifyJwtError('FST_JWT_BAD_REQUEST', 400, m.badRequestErrorMessage),
    badCookie: () => new FastifyJwtError('FST_JWT_BAD_COOKIE_REQUEST', 400, m.badCookieRequestErrorMessage),
    noHeader: (cause) => new FastifyJwtError('FST_JWT_NO_AUTHORIZATION_IN_HEADER', 401, m.noAuthorizationInHeaderMessage, cause),
    noCookie: () => new FastifyJwtError('FST_JWT_NO_AUTHORIZATION_IN_COOKIE', 401, m.noAuthorizationInCookieMessage),
    untrusted: (cause) => new FastifyJwtError('FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED', 401, m.authorizationTokenUntrusted, cause),
    invalidMessage: invalid,
    /** The FST_JWT_* error for an authentication core failure (lib/middleware/errors.js codes). */
    fromCore(err, token) {
      // An unsigned token (`alg: none`, empty signature) has its own code in @fastify/jwt.
      if (typeof token === 'string' && token.endsWith('.') && token.split('.').length === 3) {
        return new FastifyJwtError('FAST_JWT_MISSING_SIGNATURE', 401, m.authorizationTokenUnsigned, err)
      }
      // The core's `cause` holds the verifier's own error and message.
      const inner = err.cause ?? err
      switch (err.code) {
        case 'ERR_JWT_MISSING': return this.noHeader(err)
        case 'ERR_JWT_EXPIRED': return new FastifyJwtError('FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', 401, m.authorizationTokenExpiredMessage, err)
        // A revoked token is an untrusted one: what @fastify/jwt's `trusted` hook answers.
        case 'ERR_JWT_REVOKED': return this.untrusted(err)
        default: return new FastifyJwtError('FST_JWT_AUTHORIZATION_TOKEN_INVALID', 401, invalid(inner), err)
      }
    },
  }
}

module.exports = { errorsFor }
