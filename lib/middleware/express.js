'use strict'

const { compile } = require('./options')
const { Outcome, isPreflight, readToken, isThenable, authenticateClaims, tokenFailure, sendHeaders } = require('./core')
const { body } = require('./errors')
const { compileUnless, pathOf } = require('./unless')

const EXPRESS = {
  what: 'expressMiddleware',
  errorModes: ['respond', 'next'],
  extra: { requestProperty: 'auth' },
  nested: true, // express-jwt accepts 'user.auth'
}

/** Sets the claims on req at a (possibly dotted) property path, like express-jwt. */
function assigner(path) {
  const parts = path.split('.')
  if (parts.length === 1) return (req, claims) => { req[path] = claims }
  const last = parts.pop()
  return (req, claims) => {
    let target = req
    for (const part of parts) {
      if (target[part] === null || typeof target[part] !== 'object') target[part] = {}
      target = target[part]
    }
    target[last] = claims
  }
}

/** Adds `.unless(rule)` the way express-unless does: a new middleware that skips matching requests. */
function withUnless(middleware) {
  middleware.unless = (rule) => {
    const skip = compileUnless(rule)
    return withUnless((req, res, next) =>
      skip(req, req.method, pathOf(req.originalUrl || req.url)) ? next() : middleware(req, res, next))
  }
  return middleware
}

/**
 * Express (4 and 5) middleware: the claims on req.auth (`requestProperty`),
 * or a 401. `verifier` is anything with a synchronous verify(token) that
 * returns the claims or throws an error with an ERR_JWT_* `code`.
 * Options are documented in ./options.js.
 */
function expressMiddleware(verifier, options) {
  const config = compile(verifier, options, EXPRESS)
  const assign = assigner(config.requestProperty)

  function fail(err, res, next) {
    if (config.passthrough) return next()
    // finalhandler and most error handlers apply err.status and err.headers.
    if (config.errors === 'next') return next(err)
    res.status(401).set('WWW-Authenticate', err.headers['WWW-Authenticate']).json(body(err))
  }

  function answer(req, res, next, outcome) {
    if (outcome.error !== undefined) return fail(outcome.error, res, next)
    if (outcome.claims === undefined) return next()
    assign(req, outcome.claims)
    if (outcome.headers !== null) sendHeaders(outcome, (name, value) => res.append(name, value))
    next()
  }

  function finish(req, res, next, token) {
    const result = authenticateClaims(config, token)
    if (result instanceof Outcome) return answer(req, res, next, result)
    if (!isThenable(result)) {
      // The usual request: claims, and nothing to send back.
      assign(req, result)
      next()
      return
    }
    result.then((slow) => {
      // Answered meanwhile (a timeout middleware, a closed connection): nothing left to do.
      if (!res.headersSent) answer(req, res, next, slow)
    }).catch(next)
  }

  function onTokenError(err, res, next) {
    const failure = tokenFailure(config, err)
    return failure === undefined ? next(err) : fail(failure.error, res, next)
  }

  // Express 5 swaps the prototype of every request, so on Node 20 each request
  // has hidden classes of its own and every property read on req is a slow
  // lookup: req.headers is read once, req.method only for a preflight.
  function middleware(req, res, next) {
    const headers = req.headers
    if (isPreflight(req, headers)) return next()
    if (config.unless !== null && config.unless(req, req.method, pathOf(req.originalUrl || req.url))) return next()
    let token
    try {
      token = readToken(config, req, headers)
    } catch (err) {
      return onTokenError(err, res, next)
    }
    // An async getToken (express-jwt allows one); the default readers are synchronous.
    if (isThenable(token)) {
      token.then((value) => finish(req, res, next, value), (err) => onTokenError(err, res, next))
      return
    }
    finish(req, res, next, token)
  }

  return withUnless(middleware)
}

module.exports = { expressMiddleware }
