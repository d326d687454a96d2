'use strict'

// `require('revocable/express-jwt')`: a drop-in for express-jwt 8.5.1. Same
// options, checks in the same order, same UnauthorizedError codes and
// messages, claims on req.auth; tokens are verified by revocable's
// jsonwebtoken drop-in (the native verifier), or, with the `guard` option, by
// a revocable Guard that also checks revocation in the same native call.
const jwt = require('./jsonwebtoken')
const { UnauthorizedError } = require('./expressjwt/errors')
const { unless } = require('./expressjwt/unless')
const { propertyPath, setAt } = require('./expressjwt/set')
const { checkGuardOptions, guardFailure } = require('./expressjwt/guard')

const BAD_FORMAT = 'Format is Authorization: Bearer [token]'
// readToken's verdicts when there is no token to verify and that is fine.
const PASS = Symbol('pass')
const PREFLIGHT = Symbol('preflight')

const isThenable = (x) => x !== null && typeof x === 'object' && typeof x.then === 'function'

function checkOptions(options) {
  if (options && options.guard !== undefined) checkGuardOptions(options)
  else if (!options || !options.secret) throw new RangeError('express-jwt: `secret` is a required option')
  else if (!options.algorithms) throw new RangeError('express-jwt: `algorithms` is a required option')
  if (options.algorithms !== undefined && !Array.isArray(options.algorithms)) {
    throw new RangeError('express-jwt: `algorithms` must be an array')
  }
}

/** Returns the Express middleware; see express-jwt.d.ts for the options. */
function expressjwt(options) {
  checkOptions(options)
  const credentialsRequired = options.credentialsRequired === undefined ? true : options.credentialsRequired
  const names = propertyPath(typeof options.requestProperty === 'string' ? options.requestProperty : 'auth')
  const check = options.guard === undefined ? withJsonwebtoken(options) : withGuard(options)

  // Synchronous unless getToken is given, so that a request without a token
  // continues in the same turn, as in express-jwt.
  function readToken(req) {
    // A preflight that announces an Authorization header cannot carry one (Fetch spec).
    if (req.method === 'OPTIONS' && 'access-control-request-headers' in req.headers) {
      const announced = req.headers['access-control-request-headers'].split(',').map((h) => h.trim().toLowerCase())
      if (announced.includes('authorization')) return PREFLIGHT
    }
    if (options.getToken && typeof options.getToken === 'function') {
      return Promise.resolve(options.getToken(req)).then(required)
    }
    // Some hosts (AWS Lambda) hand over headers with their original casing.
    const name = req.headers && 'Authorization' in req.headers ? 'Authorization' : 'authorization'
    if (!req.headers || !req.headers[name]) return required(undefined)
    const parts = req.headers[name].split(' ')
    if (parts.length !== 2) throw new UnauthorizedError('credentials_bad_format', { message: BAD_FORMAT })
    if (/^Bearer$/i.test(parts[0])) return required(parts[1])
    if (credentialsRequired) throw new UnauthorizedError('credentials_bad_scheme', { message: BAD_FORMAT })
    return PASS
  }

  function required(token) {
    if (token) return token
    if (credentialsRequired) throw new UnauthorizedError('credentials_required', { message: 'No authorization token was found' })
    return PASS
  }

  async function middleware(req, res, next) {
    try {
      // The checks return a value, or a Promise only when a hook of the app's is
      // involved (getToken, secret(), onExpired): the usual request awaits nothing.
      let token = readToken(req)
      if (isThenable(token)) token = await token
      if (token === PREFLIGHT) return void setImmediate(next)
      if (token === PASS) return next()
      let decoded = check(req, token)
      if (isThenable(decoded)) decoded = await decoded
      if (options.isRevoked && await options.isRevoked(req, decoded)) {
        throw new UnauthorizedError('revoked_token', { message: 'The token has been revoked.' })
      }
      setAt(req, names, decoded.payload)
      setImmediate(next)
    } catch (err) {
      setImmediate(next, err)
    }
  }

  middleware.unless = unless
  return middleware
}

/** express-jwt's own path: decode, the key (possibly from `secret(req, decoded)`), jsonwebtoken.verify, onExpired. */
function withJsonwebtoken(options) {
  const expired = async (req, err) => {
    const wrapped = new UnauthorizedError('invalid_token', err)
    if (!(err instanceof jwt.TokenExpiredError && typeof options.onExpired === 'function')) throw wrapped
    await options.onExpired(req, wrapped)
  }
  if (typeof options.secret !== 'function') {
    // A fixed key: verify's complete result is exactly what decode would have
    // returned (it decodes the same way, and throws what decode throws), so
    // express-jwt's separate decode is skipped. Only a token onExpired lets
    // through is decoded apart.
    const completeOptions = { ...options, complete: true }
    return (req, token) => {
      try {
        return jwt.verify(token, options.secret, completeOptions)
      } catch (err) {
        return expired(req, err).then(() => jwt.decode(token, { complete: true }))
      }
    }
  }
  return async (req, token) => {
    let decoded
    try {
      decoded = jwt.decode(token, { complete: true })
    } catch (err) {
      throw new UnauthorizedError('invalid_token', err)
    }
    const key = await options.secret(req, decoded)
    try {
      jwt.verify(token, key, options)
    } catch (err) {
      await expired(req, err)
    }
    return decoded
  }
}

/**
 * The `guard` path: one native call verifies the token and checks every
 * revocation rule. `onExpired` may replace the error (by throwing its own) but
 * cannot let an expired token through: the revocation table only keeps an
 * entry while a token it refuses could still be valid, so an expired token's
 * revocation can no longer be vouched for.
 */
function withGuard(options) {
  const { guard, algorithms } = options
  const onExpired = typeof options.onExpired === 'function' ? options.onExpired : null
  return (req, token) => {
    let decoded
    try {
      decoded = guard.verify(token, { complete: true })
    } catch (err) {
      if (err && err.code === 'ERR_JWT_REVOKED' && err.reason === 'group' && typeof guard.recheck === 'function') {
        return slowPath(req, token)
      }
      const failure = guardFailure(err, jwt)
      if (onExpired !== null && failure.code === 'invalid_token' && failure.inner instanceof jwt.TokenExpiredError) {
        return (async () => {
          await onExpired(req, failure)
          throw failure
        })()
      }
      throw failure
    }
    return narrowed(decoded)
  }

  // `algorithms` next to a guard can only narrow the guard's own list.
  function narrowed(decoded) {
    if (algorithms !== undefined && !algorithms.includes(decoded.header.alg)) {
      throw new UnauthorizedError('invalid_token', new jwt.JsonWebTokenError('invalid algorithm'))
    }
    return decoded
  }

  // A Guard opened with `groups`: a token older than its group's mark goes to
  // the app's check (Guard#recheck); a fresh token, if any, goes out in the
  // groups header, as revocable's own middleware does.
  async function slowPath(req, token) {
    let checked
    try {
      checked = await guard.recheck(token)
    } catch (err) {
      throw guardFailure(err, jwt)
    }
    const res = req.res
    if (checked.token !== undefined && res && !res.headersSent && typeof res.append === 'function') {
      res.append(checked.header, checked.token)
      res.append('Access-Control-Expose-Headers', checked.header)
    }
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'))
    return narrowed({ header, payload: checked.claims, signature: token.slice(token.lastIndexOf('.') + 1) })
  }
}

module.exports = { expressjwt, UnauthorizedError }
