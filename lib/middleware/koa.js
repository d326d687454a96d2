'use strict'

const { compile } = require('./options')
const { isPreflight, isThenable, authenticate, tokenFailure, needsRecheck, recheck, handOut } = require('./core')
const { body, UnauthorizedError } = require('./errors')
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

  async function middleware(ctx, next) {
    if (isPreflight(ctx.method, ctx.headers)) return next()
    if (config.unless !== null && config.unless(ctx, ctx.method, ctx.path)) return next()
    let result
    try {
      // Awaited only when it is a promise: an await costs a microtask turn per request.
      let token = config.getToken(ctx)
      if (isThenable(token)) token = await token
      result = authenticate(config, token)
      if (result instanceof UnauthorizedError && needsRecheck(config, result)) {
        const checked = await recheck(config, token, result)
        if (checked instanceof UnauthorizedError) {
          result = checked
        } else {
          handOut(checked, (name, value) => ctx.append(name, value))
          result = checked.claims
        }
      }
    } catch (err) {
      // authenticate never throws: this is getToken's error.
      result = tokenFailure(config, err)
      if (result === undefined) throw err
    }
    if (result instanceof UnauthorizedError) {
      if (config.passthrough) {
        // koa-jwt's name, so downstream code can still tell why there are no claims.
        ctx.state.jwtOriginalError = result
      } else if (config.errors === 'throw') {
        // Koa's own error handling applies err.status, err.expose and err.headers.
        ctx.throw(401, result)
      } else {
        ctx.status = 401
        ctx.set('WWW-Authenticate', result.headers['WWW-Authenticate'])
        ctx.body = body(result)
        return undefined
      }
    } else if (result !== undefined) {
      ctx.state[key] = result
      if (config.rotate !== null) config.rotate.use(result, (name, value) => ctx.append(name, value))
    }
    // Outside the try: an error further down the chain is not an auth failure.
    return next()
  }

  return withUnless(middleware)
}

module.exports = { koaMiddleware }
