'use strict'

const { isThenable } = require('../middleware/core')

/** Calls `fn`; hands its value or error to `next`, or returns a Promise of it when there is no `next`. */
function settleWith(fn, next) {
  let value
  try {
    value = fn()
  } catch (err) {
    if (next === undefined) return Promise.reject(err)
    return next(err)
  }
  if (next === undefined) return Promise.resolve(value)
  if (isThenable(value)) return value.then((v) => next(null, v), next)
  return next(null, value)
}

/** Appends a header, joining with what is already set (Set-Cookie stays a list in Fastify). */
function append(reply, name, value) {
  const old = reply.getHeader(name)
  reply.header(name, old === undefined || name.toLowerCase() === 'set-cookie' ? value : `${old}, ${value}`)
}

const NONE = Object.freeze({})

/** @fastify/jwt's `(options, next)` | `(next)` | `()` argument shapes. */
function split(options, next) {
  if (options === undefined) return [NONE, next]
  return typeof options === 'function' && next === undefined ? [NONE, options] : [options ?? NONE, next]
}

/**
 * @fastify/jwt's decorators, each a translation: fastify.jwt (sign, verify,
 * decode, lookupToken, options, cookie), request.jwtVerify / jwtDecode,
 * reply.jwtSign, request[decoratorName], and with `authenticate: true` an
 * onRequest-ready fastify.authenticate.
 */
function decorate(fastify, options, cfg, ops) {
  const { namespace, decoratorName = 'user' } = options
  // A fresh token from the slow path or rotation waits here for its reply.
  const pending = new WeakMap()
  const jwt = {
    options: { decode: cfg.decodeDefaults, sign: options.sign ?? {}, verify: cfg.verifyDefaults, messages: options.messages, decoratorName },
    cookie: cfg.cookie,
    sign(payload, signOptions, callback) {
      if (!payload) throw new Error('missing payload')
      if (cfg.signer === null) throw new Error('unable to sign: secret is configured in verify mode')
      if (typeof signOptions === 'function') return settleWith(() => cfg.signer(payload), signOptions)
      if (typeof callback === 'function') return settleWith(() => cfg.signer(payload, signOptions), callback)
      return cfg.signer(payload, signOptions)
    },
    verify(token, verifyOptions, callback) {
      if (typeof verifyOptions === 'function') return settleWith(() => ops.verifyToken(cfg, token), verifyOptions)
      if (typeof callback === 'function') return settleWith(() => ops.verifyToken(cfg, token, verifyOptions), callback)
      return ops.verifyToken(cfg, token, verifyOptions)
    },
    decode: (token, decodeOptions) => ops.decode(cfg, token, decodeOptions),
    lookupToken: (request, lookupOptions) => ops.lookupToken(request, lookupOptions, cfg.cookie, cfg.errors),
  }
  let names = { verify: 'jwtVerify', decode: 'jwtDecode', sign: 'jwtSign' }
  if (namespace) {
    if (!fastify.jwt) {
      fastify.decorateRequest(decoratorName, null)
      fastify.decorate('jwt', Object.create(null))
    }
    if (fastify.jwt[namespace]) throw new Error(`JWT namespace already used "${namespace}"`)
    fastify.jwt[namespace] = jwt
    names = { verify: options.jwtVerify || `${namespace}JwtVerify`, decode: options.jwtDecode || `${namespace}JwtDecode`, sign: options.jwtSign || `${namespace}JwtSign` }
  } else {
    fastify.decorateRequest(decoratorName, null)
    fastify.decorate('jwt', jwt)
  }

  function verifyAndSet(request, local) {
    const hold = (headers) => pending.set(request, (pending.get(request) ?? []).concat(headers))
    const set = (result) => {
      const user = result !== null && cfg.formatUser ? cfg.formatUser(result) : result
      request[decoratorName] = user
      return user
    }
    const result = ops.verifyRequest(cfg, request, local, hold)
    return isThenable(result) ? result.then(set) : set(result)
  }

  fastify.decorateRequest(names.verify, function jwtVerify(verifyOptions, next) {
    const [local, callback] = split(verifyOptions, next)
    // @fastify/jwt's nested form { decode, verify } carries the lookup options under verify.
    const flat = local.verify !== undefined || local.decode !== undefined ? { ...local.verify } : local
    return settleWith(() => verifyAndSet(this, flat), callback)
  })
  fastify.decorateRequest(names.decode, function jwtDecode(decodeOptions, next) {
    const [local, callback] = split(decodeOptions, next)
    return settleWith(() => {
      const token = ops.lookupToken(this, local.verify ?? cfg.lookupDefaults, cfg.cookie, cfg.errors)
      if (token === undefined) throw cfg.cookie ? cfg.errors.noCookie() : cfg.errors.noHeader()
      return ops.decode(cfg, token, { ...cfg.decodeDefaults, ...local.decode })
    }, callback)
  })
  fastify.decorateReply(names.sign, function jwtSign(payload, signOptions, next) {
    const [local, callback] = split(signOptions, next)
    return settleWith(() => {
      if (!payload) throw new Error('jwtSign requires a payload')
      return jwt.sign(payload, local.sign ?? local)
    }, callback)
  })
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const headers = pending.get(request)
    if (headers !== undefined) for (const [name, value] of headers) append(reply, name, value)
    done(null, payload)
  })
  if (options.authenticate) {
    const name = typeof options.authenticate === 'string' ? options.authenticate : 'authenticate'
    // The usual onRequest hook: a failure goes to Fastify's error handling (401 + WWW-Authenticate).
    fastify.decorate(name, function authenticate(request) {
      return request[names.verify]()
    })
  }
}

module.exports = { decorate }
