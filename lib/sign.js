'use strict'

const { randomBytes, KeyObject, createPrivateKey, createSecretKey } = require('node:crypto')
const { NativeSigner, durationSeconds } = require('./native')
const { native, fromNative, invalidOption } = require('./errors')
const { signingKey, isPem } = require('./keys')

const SIGN_OPTIONS = new Set([
  'algorithm', 'expiresIn', 'notBefore', 'issuer', 'audience', 'subject', 'jwtid', 'keyid', 'header', 'clock',
])
const CLAIM_OF = [['issuer', 'iss'], ['audience', 'aud'], ['subject', 'sub'], ['jwtid', 'jti']]

// Parsing a private key costs far more than signing with it: the native signer
// (the parsed key) is kept per key and algorithm. Strings by value (bounded),
// KeyObjects by identity; Buffers are mutable, so never cached.
const byString = new Map()
const byObject = new WeakMap()
const MAX_CACHED = 64

function signerFor(key, algorithm) {
  const cache = typeof key === 'string' ? byString : key instanceof KeyObject ? byObject : null
  let perAlg = cache?.get(key)
  const known = perAlg?.get(algorithm)
  if (known) return known
  const signer = native(() => new NativeSigner(algorithm, signingKey(key)))
  if (cache && !perAlg) {
    if (cache === byString && byString.size >= MAX_CACHED) byString.delete(byString.keys().next().value)
    cache.set(key, (perAlg = new Map()))
  }
  perAlg?.set(algorithm, signer)
  return signer
}

// A random jti per token: one randomBytes call per 256 ids, since each
// synchronous call into the CSPRNG costs several microseconds here.
const ID_BYTES = 16
const IDS_PER_FILL = 256
let idPool = Buffer.alloc(0)
let idOffset = 0

function randomId() {
  if (idOffset >= idPool.length) {
    idPool = randomBytes(ID_BYTES * IDS_PER_FILL)
    idOffset = 0
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES)
  idOffset += ID_BYTES
  return id
}

// The same few durations come back on every call ('15m', 900): parsed once each.
const durations = new Map()
function seconds(name, value) {
  let s = durations.get(value)
  if (s === undefined) {
    s = native(() => durationSeconds(name, value))
    if (durations.size < MAX_CACHED && (typeof value === 'string' || typeof value === 'number')) durations.set(value, s)
  }
  return s
}

/**
 * Signs `claims` into a JWT. Fills `iat` with millisecond precision (a
 * fractional NumericDate, so a token issued just after a cut-off in the same
 * second is told apart from one issued before it) and a random `jti`.
 */
function sign(claims, key, options = {}) {
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) {
    throw invalidOption('claims', 'must be a plain object')
  }
  for (const name of Object.keys(options)) {
    if (!SIGN_OPTIONS.has(name)) throw invalidOption(name, 'is not a sign option')
  }
  const algorithm = options.algorithm === undefined ? 'HS256' : options.algorithm
  const signer = signerFor(key, algorithm)
  const nowMs = (options.clock || Date.now)()
  // Object.assign into a literal: properties added to a spread copy are several
  // times slower in V8. A claim named __proto__ would set the copy's prototype
  // through assignment, so that rare object is spread instead.
  const payload = Object.hasOwn(claims, '__proto__') ? { ...claims } : Object.assign({}, claims)
  if (payload.iat === undefined) payload.iat = Math.floor(nowMs) / 1000
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw invalidOption('claims', 'iat must be a number')
  if (payload.jti === undefined && options.jwtid === undefined) payload.jti = randomId()
  for (const [option, claim] of CLAIM_OF) {
    if (options[option] === undefined) continue
    if (payload[claim] !== undefined) throw invalidOption(option, `the claims already have \`${claim}\``)
    payload[claim] = options[option]
  }
  if (options.expiresIn !== undefined) {
    if (payload.exp !== undefined) throw invalidOption('expiresIn', 'the claims already have `exp`')
    payload.exp = Math.floor(payload.iat + seconds('expiresIn', options.expiresIn))
  }
  if (options.notBefore !== undefined) {
    if (payload.nbf !== undefined) throw invalidOption('notBefore', 'the claims already have `nbf`')
    payload.nbf = Math.floor(payload.iat + seconds('notBefore', options.notBefore))
  }
  const body = JSON.stringify(payload)
  try {
    // The usual header, {"alg":…,"typ":"JWT"}, was encoded when the signer was built.
    if (options.header === undefined && options.keyid === undefined) return signer.signPayload(body)
    const header = { ...options.header, alg: algorithm, typ: (options.header && options.header.typ) || 'JWT' }
    if (options.keyid !== undefined) header.kid = options.keyid
    return signer.sign(JSON.stringify(header), body)
  } catch (err) {
    throw fromNative(err)
  }
}

/**
 * A key fixed when a Guard opens: a Buffer becomes a KeyObject of a copy of
 * its bytes, for which sign() keeps the parsed signer (a Buffer is parsed
 * again on every call, its bytes being the caller's to change). What cannot
 * become a KeyObject is kept as given, to be refused by sign() as before.
 */
function fixedKey(key) {
  if (!(key instanceof Uint8Array)) return key
  const bytes = Buffer.from(key)
  try {
    return isPem(bytes.toString('latin1')) ? createPrivateKey(bytes) : createSecretKey(bytes)
  } catch {
    return key
  }
}

module.exports = { sign, randomId, fixedKey }
