'use strict'

const { createPublicKey, KeyObject } = require('node:crypto')
const { Verifier } = require('../verifier')
const { sign } = require('../sign')
const { invalidOption } = require('../errors')

// fast-jwt's verifier options (as @fastify/jwt passes them) → revocable's.
const VERIFY_NAMES = { algorithms: 'algorithms', allowedIss: 'issuer', allowedAud: 'audience', allowedSub: 'subject', allowedJti: 'jwtid', requiredClaims: 'requiredClaims', maxAge: 'maxAge' }
// Options of fast-jwt's own caches (revocable has its own result cache), and
// @fastify/jwt's token lookup options (where the token is, not how it verifies).
const CACHE_ONLY = new Set(['cache', 'cacheTTL', 'errorCacheTTL', 'cacheKeyBuilder', 'extractToken', 'onlyCookie', 'complete'])
// fast-jwt's signer options → revocable sign()'s.
const SIGN_NAMES = { algorithm: 'algorithm', expiresIn: 'expiresIn', notBefore: 'notBefore', iss: 'issuer', aud: 'audience', sub: 'subject', jti: 'jwtid', kid: 'keyid', header: 'header' }

/** The algorithm a key serves when the options name none (fast-jwt infers it from the key too). */
function inferAlgorithm(key) {
  if (typeof key === 'string' || Buffer.isBuffer(key)) {
    const text = Buffer.from(key).toString('latin1')
    if (!text.includes('-----BEGIN')) return 'HS256'
  } else if (key instanceof KeyObject && key.type === 'secret') {
    return 'HS256'
  }
  const pub = createPublicKey(key)
  const type = pub.asymmetricKeyType
  if (type === 'rsa') return 'RS256'
  if (type === 'rsa-pss') return 'PS256'
  if (type === 'ed25519') return 'EdDSA'
  if (type === 'ec') return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[pub.asymmetricKeyDetails.namedCurve] ?? 'ES256'
  throw invalidOption('secret', `has a key type (${type}) no algorithm serves`)
}

function stringsOnly(name, value) {
  const list = Array.isArray(value) ? value : [value]
  if (!list.every((v) => typeof v === 'string')) throw invalidOption(`verify.${name}`, 'must be a string or an array of strings (RegExps are not supported)')
  return value
}

/**
 * A revocable Verifier from @fastify/jwt's `secret` and `verify` options.
 * Without `requiredClaims`, a token without exp is accepted, as with
 * @fastify/jwt (back it with a Guard to require a bounded life).
 */
function buildVerifier(publicKey, verifyOptions) {
  const options = { key: publicKey, requiredClaims: [] }
  for (const [name, value] of Object.entries(verifyOptions)) {
    if (value === undefined || CACHE_ONLY.has(name)) continue
    if (name === 'clockTolerance') {
      options.clockTolerance = value / 1000 // fast-jwt counts milliseconds
    } else if (VERIFY_NAMES[name] !== undefined) {
      options[VERIFY_NAMES[name]] = ['allowedIss', 'allowedAud', 'allowedSub', 'allowedJti'].includes(name) ? stringsOnly(name, value) : value
    } else {
      throw invalidOption(`verify.${name}`, 'is not supported by revocable/fastify (see README)')
    }
  }
  if (options.algorithms === undefined) options.algorithms = [inferAlgorithm(publicKey)]
  return new Verifier(options)
}

/** @fastify/jwt's verify options must be empty with a Guard: its own options apply. */
function checkGuardVerify(verifyOptions) {
  for (const [name, value] of Object.entries(verifyOptions)) {
    if (value !== undefined && !CACHE_ONLY.has(name)) throw invalidOption(`verify.${name}`, 'cannot be set with `guard`: the Guard\'s own options apply')
  }
}

/** fast-jwt signer options (seconds or duration strings for times) → sign()'s. */
function signOptions(options) {
  const out = {}
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value === undefined || name === 'key') continue
    if (SIGN_NAMES[name] === undefined) throw invalidOption(`sign.${name}`, 'is not supported by revocable/fastify (see README)')
    out[SIGN_NAMES[name]] = value
  }
  return out
}

/**
 * `(payload, options) => token` for one registration: a Guard signs its own
 * tokens (never one already revoked); otherwise the private key signs.
 */
function buildSigner(guard, privateKey, defaults) {
  const base = signOptions(defaults)
  if (guard !== undefined) return (payload, options) => guard.sign(payload, { ...base, ...signOptions(options) })
  if (privateKey === undefined) return null
  const algorithm = base.algorithm ?? inferAlgorithm(privateKey)
  return (payload, options) => {
    const merged = { algorithm, ...base, ...signOptions(options) }
    return sign(payload, options?.key ?? privateKey, merged)
  }
}

module.exports = { buildVerifier, checkGuardVerify, buildSigner }
