'use strict'

const { JwtMalformedError } = require('../errors')
const { unauthorized, missing, isJwtFailure } = require('./errors')

/**
 * A CORS preflight never carries credentials, so refusing it would make the
 * browser refuse the real request too. As express-jwt does, only an OPTIONS
 * request announcing an Authorization header counts: any other OPTIONS request
 * is authenticated like the rest, so `app.all` handlers never run without auth.
 */
const isPreflight = (method, headers) => method === 'OPTIONS'
  && headers['access-control-request-method'] !== undefined
  && /(^|,)\s*authorization\s*(,|$)/i.test(String(headers['access-control-request-headers'] ?? ''))

const isThenable = (value) => value !== null && typeof value === 'object' && typeof value.then === 'function'

/**
 * Verifies `token` for one request. Returns the claims, undefined when there
 * is no token and none is required, or an UnauthorizedError. It never throws,
 * so the frameworks' next() is always called outside of it: an error thrown
 * further down the chain is never mistaken for an authentication failure.
 */
function authenticate(config, token) {
  if (token === undefined || token === null || token === '') {
    return config.credentialsRequired ? missing(config.debug, `no token was found in ${config.tokenSource}`) : undefined
  }
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

/**
 * What an error thrown by getToken means: an UnauthorizedError when it says
 * the credentials are bad (an ERR_JWT_* code, like the default reader's
 * ERR_JWT_MALFORMED), undefined when it is the app's own failure, which goes
 * to the app's error handling untouched.
 */
function tokenFailure(config, err) {
  return isJwtFailure(err) ? unauthorized(err, config.debug) : undefined
}

/**
 * The slow paths: a token refused only because its group was marked after it
 * was issued goes to the Guard's recheck, which asks the app; one whose kid
 * started a key set refetch (lib/jwks) waits for it in verifyAsync.
 */
const refetching = (config, failure) => failure.cause?.refetching === true && typeof config.verifier.verifyAsync === 'function'
const needsRecheck = (config, failure) => refetching(config, failure)
  || (failure.reason === 'group' && typeof config.verifier.recheck === 'function')

/**
 * Resolves to `{ claims, token, header }` (a fresh token to hand out under
 * `header`) or an UnauthorizedError; never rejects.
 */
async function recheck(config, token, failure) {
  try {
    if (refetching(config, failure)) return { claims: await config.verifier.verifyAsync(token), token: undefined }
    return await config.verifier.recheck(token)
  } catch (err) {
    return unauthorized(err, config.debug, token)
  }
}

/** Hands out the fresh token of a passed recheck, readable cross-origin. */
function handOut({ token, header }, append) {
  if (token === undefined) return
  append(header, token)
  append('Access-Control-Expose-Headers', header)
}

module.exports = { isPreflight, isThenable, authenticate, tokenFailure, needsRecheck, recheck, handOut }
