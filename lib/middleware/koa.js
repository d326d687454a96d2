'use strict'

const { compile } = require('./options')
const { Outcome, isPreflight, readToken, isThenable, authenticateToken, authenticateClaims, tokenFailure, sendHeaders } = require('./core')
const { body } = require('./errors')
const { compileUnless } = require('./unless')

const KOA = {
  what: 'koaMiddleware',
  errorModes: ['respond', 'throw'],
  extra: { key: 'user' },
  nested: false, // koa-jwt sets ctx.state[key] as given
}

/** Adds `.unless(rule)` the way koa-unless (and so koa-jwt) does. */
function withUnless(middleware) {
  middleware.unless = (rule) => {
    const skip = compileUnless(rule)
    return withUnless((ctx, next) => (skip(ctx, ctx.method, ctx.path) ? next() : middleware(ctx, next)))
  }
  return middleware
}

/**
 * Koa (2 and 3) middleware: the claims on ctx.state.user (`key`), or a 401.
 * `verifier` is anything with a synchronous verify(token) that returns the
 * claims or throws an error with an ERR_JWT_* `code`.
 * Options are documented in ./options.js.
 */
function koaMiddleware(verifier, options) {
  const config = compile(verifier, options, KOA)
  const key = config.key

  // Not an async function: an async middleware wraps next()'s promise in one
  // more, which costs Koa about three microtask turns a request (more than the
  // verify). Only a getToken or verifier that returns a promise goes async.
  function middleware(ctx, next) {
    const headers = ctx.headers
    if (isPreflight(ctx, headers)) return next()
    if (config.unless !== null && config.unless(ctx, ctx.method, ctx.path)) return next()
    let result
    try {
      const token = readToken(config, ctx, headers)
      if (isThenable(token)) return slow(ctx, next, token)
      result = authenticateClaims(config, token)
    } catch (err) {
      return failed(ctx, next, err)
    }
    if (result instanceof Outcome) return settled(ctx, next, result)
    if (isThenable(result)) return slow(ctx, next, undefined, result)
    // The usual request: claims, and nothing to send back.
    ctx.state[key] = result
    return next()
  }

  // getToken's promise (token), or the core's slow path (outcome): awaited here only.
  async function slow(ctx, next, token, outcome) {
    try {
      outcome = token === undefined ? await outcome : authenticateToken(config, await token)
      if (isThenable(outcome)) outcome = await outcome
    } catch (err) {
      return failed(ctx, next, err)
    }
    return settled(ctx, next, outcome)
  }

  // authenticateToken never throws: err is getToken's. Koa callers get a promise either way.
  function failed(ctx, next, err) {
    const outcome = tokenFailure(config, err)
    return outcome === undefined ? Promise.reject(err) : settled(ctx, next, outcome)
  }

  function settled(ctx, next, outcome) {
    const err = outcome.error
    if (err !== undefined) {
      if (config.passthrough) {
        // koa-jwt's name, so downstream code can still tell why there are no claims.
        ctx.state.jwtOriginalError = err
      } else if (config.errors === 'throw') {
        // Koa's own error handling applies err.status, err.expose and err.headers.
        try { ctx.throw(401, err) } catch (thrown) { return Promise.reject(thrown) }
      } else {
        ctx.status = 401
        ctx.set('WWW-Authenticate', err.headers['WWW-Authenticate'])
        ctx.body = body(err)
        return Promise.resolve()
      }
    } else if (outcome.claims !== undefined) {
      ctx.state[key] = outcome.claims
      if (outcome.headers !== null) sendHeaders(outcome, (name, value) => ctx.append(name, value))
    }
    // Not inside a try: an error further down the chain is not an auth failure.
    return next()
  }

  return withUnless(middleware)
}

module.exports = { koaMiddleware }
