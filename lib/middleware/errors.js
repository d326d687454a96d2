'use strict'

// RFC 6750 §3.1: a request that carried no bearer token at all (or tried
// another scheme) gets a bare challenge, with no error attribute; every
// token that was sent and refused gets error="invalid_token".
const CHALLENGE_MISSING = 'Bearer'
const CHALLENGE_INVALID = 'Bearer error="invalid_token"'

const MISSING = 'ERR_JWT_MISSING'
// A verifier or getToken that throws without an ERR_JWT_* code is a bug, not
// a verdict on the token; it still fails closed, under the base JwtError code.
// Other codes (ERR_INVALID_ARG_TYPE, ECONNREFUSED, ...) describe the server,
// so they are not shown to the client.
const UNKNOWN = 'ERR_JWT'
const JWT_CODE = /^ERR_JWT_[A-Z0-9_]+$/

// Without `debug` the client learns only what it can act on: log in, refresh,
// or give up. The precise reason stays on `err.cause` for the app's logs.
const GENERIC = {
  [MISSING]: 'authorization required',
  ERR_JWT_EXPIRED: 'token expired',
  ERR_JWT_REVOKED: 'token revoked',
}
const GENERIC_INVALID = 'invalid token'

/**
 * Every authentication failure: status 401, a stable `code`, the original
 * error as `cause`, and the challenge in `headers`, which Koa (ctx.onerror)
 * and Express (finalhandler, for any 4xx) both copy onto the response.
 * `expose` is true because the message is generic unless `debug` is set.
 */
class UnauthorizedError extends Error {
  constructor(code, message, cause) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'UnauthorizedError'
    this.code = code
    this.status = 401
    this.statusCode = 401
    this.expose = true
    this.headers = { 'WWW-Authenticate': code === MISSING ? CHALLENGE_MISSING : CHALLENGE_INVALID }
    // Why a token was revoked ('user', 'token', 'session', 'global', 'not_allowed').
    if (cause !== null && typeof cause === 'object' && typeof cause.reason === 'string') this.reason = cause.reason
  }
}

const codeOf = (err) => (err !== null && typeof err === 'object' && typeof err.code === 'string' && JWT_CODE.test(err.code) ? err.code : UNKNOWN)

/** True for what a getToken may throw to mean "this request's credentials are bad". */
const isJwtFailure = (err) => err instanceof UnauthorizedError || codeOf(err) !== UNKNOWN

/** The 401 for a request that sent no token. */
function missing(debug, detail) {
  return new UnauthorizedError(MISSING, debug ? detail : GENERIC[MISSING])
}

/** The 401 for anything thrown while reading or verifying a token. */
function unauthorized(cause, debug, token) {
  if (cause instanceof UnauthorizedError) return cause
  const code = codeOf(cause)
  return new UnauthorizedError(code, debug ? debugMessage(cause, token, code) : GENERIC[code] || GENERIC_INVALID, cause)
}

// revocable's own messages never echo the token, but a custom verifier's
// might: the token is a bearer credential, so it never reaches a response.
function debugMessage(cause, token, code) {
  const own = cause !== null && typeof cause === 'object' && typeof cause.message === 'string' ? cause.message : ''
  if (own === '') return GENERIC[code] || GENERIC_INVALID
  return typeof token === 'string' && token !== '' ? own.split(token).join('[token]') : own
}

/** The JSON body of a 'respond' answer: the stable code and the (safe) message. */
const body = (err) => ({ code: err.code, message: err.message })

module.exports = { UnauthorizedError, unauthorized, missing, isJwtFailure, body }
