'use strict'

const { JwtMalformedError } = require('../errors')
const { unauthorized, missing, isJwtFailure, UnauthorizedError } = require('./errors')
const { bearerToken, cookieValue } = require('./token')

/**
 * The authentication core: every adapter (Express, Koa, Fastify, Passport,
 * Hono, `auth.authenticate`) turns its request into one call here and the
 * Outcome back into its framework's answer, so each rule lives here once.
 *
 * An Outcome is one of
 * - `{ claims, error: undefined, headers }`: authenticated; `headers` is null
 *   or `[name, value]` pairs to append to the response (a fresh token from
 *   the group slow path or rotation, and the CORS header exposing it);
 * - `{ claims: undefined, error: undefined, headers: null }`: no token, and
 *   none is required (`credentialsRequired: false`);
 * - `{ claims: undefined, error, headers: null }`: refused; `error` is an
 *   UnauthorizedError with `status` 401, a stable `code` and the challenge in
 *   `error.headers['WWW-Authenticate']`.
 * It is returned synchronously, except on the slow paths (group recheck;
 * later a key the key source must fetch), where it is a Promise of one that
 * never rejects.
 */
class Outcome {
  constructor(claims, error, headers) {
    this.claims = claims
    this.error = error
    this.headers = headers
  }
}

const ANONYMOUS = Object.freeze(new Outcome(undefined, undefined, null))

/**
 * The one place where a verification result is known (a metrics hook belongs
 * here, and in authenticateClaims, which hands the usual request's claims over
 * without an Outcome): every Outcome but the anonymous one is made by this function.
 */
function settle(claims, error, headers) {
  return new Outcome(claims, error, headers)
}

/**
 * A CORS preflight never carries credentials, so refusing it would make the
 * browser refuse the real request too. As express-jwt does, only an OPTIONS
 * request announcing an Authorization header counts: any other OPTIONS request
 * is authenticated like the rest, so `app.all` handlers never run without auth.
 * `target` is req or ctx; its method is read only when the headers announce a
 * preflight (on Node 20 every property read on an Express 5 request is a slow lookup).
 */
const isPreflight = (target, headers) => headers['access-control-request-method'] !== undefined
  && target.method === 'OPTIONS'
  && /(^|,)\s*authorization\s*(,|$)/i.test(String(headers['access-control-request-headers'] ?? ''))

/**
 * The request's token: a custom getToken's (called with req or ctx), else the
 * default reader's over `headers`, which the adapter read once (read again
 * after an unless rule, which may have rewritten them).
 */
function readToken(config, target, headers) {
  if (config.headerToken === null) return config.getToken(target)
  return config.headerToken(config.unless === null ? headers : target.headers)
}

const isThenable = (value) => value !== null && typeof value === 'object' && typeof value.then === 'function'

/**
 * Authenticates `token` (already read from the request) under a compiled
 * config (./options.js): an Outcome, or a Promise of one on a slow path.
 * It never throws, so a framework's next() is always called outside of it: an
 * error thrown further down the chain is never mistaken for an auth failure.
 */
function authenticateToken(config, token) {
  if (token === undefined || token === null || token === '') {
    return config.credentialsRequired ? settle(undefined, missing(config.debug, `no token was found in ${config.tokenSource}`), null) : ANONYMOUS
  }
  const result = verifyOnce(config, token)
  if (!(result instanceof UnauthorizedError)) return accept(config, result, null)
  return refused(config, token, result)
}

/** A token verifyOnce refused: a slow path that may still accept it, or the refusal. */
function refused(config, token, failure) {
  if (needsRecheck(config, failure)) return recheck(config, token)
  if (needsKey(config, failure)) return verifyAsync(config, token)
  return settle(undefined, failure, null)
}

/**
 * authenticateToken for an adapter's hot path: the claims object itself when
 * the token authenticated synchronously with no headers to send (no rotation),
 * which spares the usual request an Outcome; otherwise exactly what
 * authenticateToken answers. The three are told apart by `instanceof Outcome`
 * and isThenable: claims are never a thenable (verifyOnce refuses one).
 */
function authenticateClaims(config, token) {
  if (config.rotate !== null || token === undefined || token === null || token === '') return authenticateToken(config, token)
  const result = verifyOnce(config, token)
  if (!(result instanceof UnauthorizedError)) return result
  return refused(config, token, result)
}

/**
 * Reads the token from a framework-neutral request, `{ token, authorization,
 * cookie, cookies }` (an explicit token; the Authorization header; the Cookie
 * header or a parsed cookie object), then authenticates it.
 */
function authenticateRequest(config, request) {
  // The app's bug, not the client's: thrown, not answered with a 401.
  if (request === null || typeof request !== 'object') throw new TypeError('authenticate(request) needs an object { authorization, cookies, ... }')
  let token
  try {
    token = tokenOf(config, request)
  } catch (err) {
    return settle(undefined, unauthorized(err, config.debug), null)
  }
  return authenticateToken(config, token)
}

function tokenOf(config, request) {
  if (request.token !== undefined) return request.token
  if (config.cookie === undefined) return bearerToken(request.authorization)
  const cookies = request.cookies
  if (cookies !== null && typeof cookies === 'object') return Object.hasOwn(cookies, config.cookie) ? cookies[config.cookie] : undefined
  return cookieValue(request.cookie, config.cookie)
}

/** The claims, or an UnauthorizedError: a custom verifier is held to a synchronous object. */
function verifyOnce(config, token) {
  let claims
  try {
    if (typeof token !== 'string') throw new JwtMalformedError('getToken must return a string')
    claims = config.verifier.verify(token)
  } catch (err) {
    return unauthorized(err, config.debug, token)
  }
  if (claims !== null && typeof claims === 'object' && !isThenable(claims)) return claims
  // Fail closed: a Promise or a non-object is not proof of anything. A
  // rejected Promise must not become an unhandled rejection (which ends the process).
  if (isThenable(claims)) claims.then(undefined, () => {})
  return unauthorized(new Error('verify(token) must return the claims object synchronously'), config.debug, token)
}

/** Authenticated: rotation counts the use and may hand out a fresh token. */
function accept(config, claims, headers) {
  if (config.rotate !== null) {
    config.rotate.use(claims, (name, value) => {
      if (headers === null) headers = []
      headers.push([name, value])
    })
  }
  return settle(claims, undefined, headers)
}

/**
 * Group epochs' slow path: a token refused only because its group was marked
 * after it was issued goes to the Guard's recheck, which asks the app.
 */
const needsRecheck = (config, failure) => failure.reason === 'group' && typeof config.verifier.recheck === 'function'

/** The slow path's Outcome; never rejects. A passed recheck's fresh token is readable cross-origin. */
async function recheck(config, token) {
  let checked
  try {
    checked = await config.verifier.recheck(token)
  } catch (err) {
    return settle(undefined, unauthorized(err, config.debug, token), null)
  }
  const headers = checked.token === undefined ? null : [[checked.header, checked.token], ['Access-Control-Expose-Headers', checked.header]]
  return accept(config, checked.claims, headers)
}

/**
 * The key source's seam: a verifier whose keys can arrive later (lib/jwks: a
 * kid not in the cached key set starts a refetch and flags the error
 * `refetching`) offers verifyAsync(token), which waits for that refetch once.
 * It resolves to the claims or rejects like verify() does.
 */
const needsKey = (config, failure) => failure.cause?.refetching === true && typeof config.verifier.verifyAsync === 'function'

async function verifyAsync(config, token) {
  let claims
  try {
    claims = await config.verifier.verifyAsync(token)
  } catch (err) {
    return settle(undefined, unauthorized(err, config.debug, token), null)
  }
  if (claims === null || typeof claims !== 'object') {
    return settle(undefined, unauthorized(new Error('verifyAsync(token) must resolve to the claims object'), config.debug, token), null)
  }
  return accept(config, claims, null)
}

/**
 * What an error thrown by getToken means: an UnauthorizedError when it says
 * the credentials are bad (an ERR_JWT_* code, like the default reader's
 * ERR_JWT_MALFORMED), undefined when it is the app's own failure, which goes
 * to the app's error handling untouched.
 */
function tokenFailure(config, err) {
  return isJwtFailure(err) ? settle(undefined, unauthorized(err, config.debug), null) : undefined
}

/** Appends an Outcome's headers with the framework's own `append(name, value)`. */
function sendHeaders(outcome, append) {
  const headers = outcome.headers
  if (headers !== null) for (let i = 0; i < headers.length; i++) append(headers[i][0], headers[i][1])
}

module.exports = { Outcome, isPreflight, readToken, isThenable, authenticateToken, authenticateClaims, authenticateRequest, tokenFailure, sendHeaders }
