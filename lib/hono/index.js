'use strict'

// `require('revocable/hono')`: hono/jwt's middleware (`jwt({ secret, alg })`,
// the claims at c.get('jwtPayload'), a 401 HTTPException with a
// WWW-Authenticate challenge for Hono's own error handling), verified by
// revocable, or with `guard` by a Guard that also checks revocation. One call
// of the authentication core (lib/middleware/core.js) per request.
const { compile } = require('../middleware/options')
const { authenticateRequest, isThenable } = require('../middleware/core')
const { body } = require('../middleware/errors')
const { Verifier } = require('../verifier')
const { invalidOption } = require('../errors')

const OPTIONS = new Set(['guard', 'verifier', 'secret', 'alg', 'headerName', 'cookie', 'verification', 'credentialsRequired', 'debug', 'rotate'])
const CORE = { what: 'revocable/hono', common: ['cookie', 'credentialsRequired', 'debug', 'rotate'], errorModes: ['respond'], extra: {}, nested: false }
// hono/jwt's `verification` options that have a revocable Verifier counterpart.
const VERIFICATION = { iss: 'issuer', aud: 'audience' }

/** A Verifier from hono/jwt's { secret, alg, verification }; exp stays optional, as with hono/jwt. */
function verifierOf({ secret, alg, verification = {} }) {
  if (!secret) throw new Error('JWT auth middleware requires options for "secret"')
  if (!alg) throw new Error('JWT auth middleware requires options for "alg"')
  const options = { algorithms: [alg], key: secret, requiredClaims: [] }
  for (const [name, value] of Object.entries(verification)) {
    if (VERIFICATION[name] === undefined) throw invalidOption(`verification.${name}`, 'is not supported by revocable/hono (iss, aud)')
    options[VERIFICATION[name]] = value
  }
  return new Verifier(options)
}

/** Adds a header to the final response, copying it first if its headers are immutable (a fetched Response). */
function appendTo(c, name, value) {
  try {
    c.res.headers.append(name, value)
  } catch {
    c.res = new Response(c.res.body, c.res)
    c.res.headers.append(name, value)
  }
}

/**
 * The Hono middleware. Options: `guard` (a Guard) or `verifier`, or hono/jwt's
 * `secret` + `alg` (+ `verification: { iss, aud }`); `headerName`
 * ('Authorization'), `cookie` (a cookie name: the token is read from it
 * instead of the header), `credentialsRequired` (true), `debug`, `rotate`.
 */
function jwt(options) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'must be an object')
  for (const name of Object.keys(options)) if (!OPTIONS.has(name)) throw invalidOption(name, 'is not an option of revocable/hono')
  const { HTTPException } = require('hono/http-exception')
  const { guard, verifier, headerName = 'Authorization', cookie, credentialsRequired, debug, rotate } = options
  const core = Object.fromEntries(Object.entries({ cookie, credentialsRequired, debug, rotate }).filter(([, v]) => v !== undefined))
  const config = compile(guard ?? verifier ?? verifierOf(options), core, CORE)

  return async function revocableJwt(c, next) {
    const headers = c.req.raw.headers
    let outcome = authenticateRequest(config, { authorization: headers.get(headerName) ?? undefined, cookie: headers.get('cookie') ?? undefined })
    if (isThenable(outcome)) outcome = await outcome
    const err = outcome.error
    if (err !== undefined) {
      // Hono's error handling answers with this response (app.onError sees the exception, the core's error as cause).
      const res = Response.json(body(err), { status: 401, headers: err.headers })
      throw new HTTPException(401, { res, message: err.message, cause: err })
    }
    if (outcome.claims !== undefined) c.set('jwtPayload', outcome.claims)
    await next()
    if (outcome.headers !== null) for (const [name, value] of outcome.headers) appendTo(c, name, value)
  }
}

module.exports = { jwt }
