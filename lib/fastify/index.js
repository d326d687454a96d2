'use strict'

// `require('revocable/fastify')`: a Fastify 5 plugin with @fastify/jwt's
// surface (fastify.jwt.sign/verify/decode, request.jwtVerify/jwtDecode,
// reply.jwtSign, request.user, formatUser, trusted, cookie, namespace,
// decoratorName, messages, the FST_JWT_* errors), backed by a revocable
// Guard (revocation checked in the same native call) or a bare Verifier.
// Each request is one call of the authentication core (lib/middleware/core.js).
const { compile } = require('../middleware/options')
const { authenticateToken, isThenable } = require('../middleware/core')
const { unauthorized } = require('../middleware/errors')
const { decode: decodeToken } = require('../decode')
const { invalidOption, JwtRevokedError } = require('../errors')
const { errorsFor } = require('./errors')
const { buildVerifier, checkGuardVerify, buildSigner } = require('./options')
const { lookupToken } = require('./token')
const { decorate } = require('./decorators')

const OPTIONS = new Set(['guard', 'verifier', 'secret', 'sign', 'verify', 'decode', 'cookie', 'formatUser', 'trusted',
  'decoratorName', 'namespace', 'jwtVerify', 'jwtDecode', 'jwtSign', 'messages', 'credentialsRequired', 'debug', 'rotate', 'authenticate'])
const CORE = { what: 'revocable/fastify', common: ['credentialsRequired', 'debug', 'rotate'], errorModes: ['respond'], extra: {}, nested: false }
// Per-call options that choose where the token is, not how it is verified.
const LOOKUP = new Set(['extractToken', 'onlyCookie', 'complete'])

function keys(secret) {
  if (secret === undefined) return {}
  if (typeof secret === 'function') throw invalidOption('secret', 'as a function is not supported by revocable/fastify: give a key, { private, public }, or a Guard')
  if (secret !== null && typeof secret === 'object' && !Buffer.isBuffer(secret) && !('type' in secret && 'export' in secret)) {
    if (!secret.public) throw new Error('missing public key')
    return { privateKey: secret.private, publicKey: secret.public }
  }
  return { privateKey: secret, publicKey: secret }
}

/** Everything one registration needs, checked once. */
function configure(options) {
  for (const name of Object.keys(options)) if (!OPTIONS.has(name)) throw invalidOption(name, 'is not an option of revocable/fastify')
  const { guard, secret, verify: verifyDefaults = { errorCacheTTL: 600000 } } = options
  if (guard === undefined && options.verifier === undefined && !secret) throw new Error('missing secret')
  const { privateKey, publicKey } = keys(secret)
  if (guard !== undefined) checkGuardVerify(verifyDefaults)
  const verifier = guard ?? options.verifier ?? buildVerifier(publicKey, verifyDefaults)
  const coreOptions = { credentialsRequired: options.credentialsRequired, debug: options.debug, rotate: options.rotate }
  for (const name of Object.keys(coreOptions)) if (coreOptions[name] === undefined) delete coreOptions[name]
  return {
    guard,
    publicKey,
    verifyDefaults,
    coreOptions,
    core: compile(verifier, coreOptions, CORE),
    signer: buildSigner(guard, privateKey, options.sign),
    errors: errorsFor(options.messages),
    cookie: options.cookie,
    formatUser: options.formatUser,
    trusted: options.trusted,
    decodeDefaults: options.decode ?? {},
    // Registration-wide `verify: { extractToken, onlyCookie }`, as @fastify/jwt reads them.
    lookupDefaults: { extractToken: verifyDefaults.extractToken, onlyCookie: verifyDefaults.onlyCookie },
  }
}

/** The compiled core for per-call verify options (a bare verifier only, as @fastify/jwt builds one per call). */
function coreFor(cfg, local) {
  if (local === undefined || Object.keys(local).length === 0) return cfg.core
  const own = Object.keys(local).filter((name) => !LOOKUP.has(name) && local[name] !== undefined)
  if (own.length === 0) return cfg.core
  if (cfg.guard !== undefined || cfg.publicKey === undefined) {
    throw invalidOption(`verify.${own[0]}`, 'per call needs a secret-backed registration; set verify options on the Guard')
  }
  const verifier = buildVerifier(cfg.publicKey, Object.fromEntries(Object.entries({ ...cfg.verifyDefaults, ...local }).filter(([n]) => !LOOKUP.has(n))))
  return compile(verifier, cfg.coreOptions, CORE)
}

/**
 * Verifies the request's token: the user (formatUser's result), null when no
 * token was sent and none is required, or a thrown FST_JWT_* error; a Promise
 * on a slow path or with an async `trusted`. `headers` receives a fresh token.
 */
function verifyRequest(cfg, request, local, headers) {
  const token = lookupToken(request, local.extractToken === undefined && local.onlyCookie === undefined ? cfg.lookupDefaults : local, cfg.cookie, cfg.errors)
  if (token === undefined) {
    if (cfg.core.credentialsRequired) throw cfg.cookie ? cfg.errors.noCookie() : cfg.errors.noHeader()
    return null
  }
  const outcome = authenticateToken(coreFor(cfg, local), token)
  return isThenable(outcome) ? outcome.then((o) => settle(cfg, request, local, token, o, headers)) : settle(cfg, request, local, token, outcome, headers)
}

function settle(cfg, request, local, token, outcome, headers) {
  if (outcome.error !== undefined) throw cfg.errors.fromCore(outcome.error, token)
  if (outcome.claims === undefined) return null
  if (outcome.headers !== null) headers(outcome.headers)
  const result = local.complete ? { ...decodeToken(token, { complete: true }), payload: outcome.claims } : outcome.claims
  if (cfg.trusted === undefined) return result
  const trusted = cfg.trusted(request, result)
  if (isThenable(trusted)) return trusted.then((ok) => { if (!ok) throw cfg.errors.untrusted(); return result })
  if (!trusted) throw cfg.errors.untrusted()
  return result
}

/** fastify.jwt.verify(token): the verifier's claims or its ERR_JWT_* error (the group slow path needs a request). */
function verifyToken(cfg, token, local = {}) {
  if (!token) throw new Error('missing token')
  const outcome = authenticateToken(coreFor(cfg, local), token)
  if (isThenable(outcome)) {
    // The slow path hands out a fresh token, which needs a reply: refused here.
    outcome.then(undefined, () => {})
    throw Object.assign(new JwtRevokedError('token is older than its group\'s mark: verify it with request.jwtVerify()'), { reason: 'group' })
  }
  if (outcome.error !== undefined) throw outcome.error.cause ?? outcome.error
  return local.complete ? { ...decodeToken(token, { complete: true }), payload: outcome.claims } : outcome.claims
}

function decode(cfg, token, options) {
  if (!token) throw new Error('missing token')
  try {
    return decodeToken(token, { complete: (options ?? cfg.decodeDefaults).complete === true })
  } catch (err) {
    throw cfg.errors.fromCore(unauthorized(err, true), token)
  }
}

function revocableFastify(fastify, options, next) {
  let cfg
  try {
    cfg = configure(options ?? {})
  } catch (err) {
    return next(err)
  }
  decorate(fastify, options, cfg, { verifyRequest, verifyToken, decode, lookupToken })
  next()
}

// What fastify-plugin sets: no encapsulation, so the decorators reach the
// registering scope; named like @fastify/jwt for plugins that depend on it.
revocableFastify[Symbol.for('skip-override')] = true
revocableFastify[Symbol.for('fastify.display-name')] = 'revocable/fastify'
revocableFastify[Symbol.for('plugin-meta')] = { fastify: '5.x', name: '@fastify/jwt' }

module.exports = revocableFastify
module.exports.fastifyJwt = revocableFastify
// For TypeScript's CommonJS interop (`require(...).default`), as @fastify/jwt
// has it; not enumerable, so the ES module twin's names stay require()'s.
Object.defineProperty(module.exports, 'default', { value: revocableFastify, enumerable: false })
