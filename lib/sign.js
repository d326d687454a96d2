'use strict'

const { randomBytes, KeyObject, createPrivateKey, createSecretKey } = require('node:crypto')
const { NativeSigner, durationSeconds } = require('./native')
const { native, fromNative, invalidOption } = require('./errors')
const { signingKey, isPem } = require('./keys')

const SIGN_OPTIONS = new Set([
  'algorithm', 'expiresIn', 'notBefore', 'issuer', 'audience', 'subject', 'jwtid', 'keyid', 'header', 'clock',
])

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

// signer.signPayload bound to its object (src/binding/bound.rs), made on first
// use and kept on it: a call skips napi-rs's per-call work for a method.
const BOUND = Symbol('revocable.boundSignPayload')
function bind(signer) {
  signer[BOUND] = signer.boundSignPayload()
  return signer[BOUND]
}

// A random jti per token: 16 random bytes, 22 base64url characters. The bytes
// come 256 ids at a time, each followed by two zero bytes, so the whole pool
// encodes in one call and id k is characters [24k, 24k + 22) of it (three
// bytes make four characters; 16 bytes then zeros encode exactly as 16 alone).
// A slice costs a fraction of an encoding call per id, and a synchronous
// call into the CSPRNG costs several microseconds here.
const ID_BYTES = 16
const ID_STRIDE = 18
const IDS_PER_FILL = 256
let idPool = ''
let idNext = IDS_PER_FILL

function randomId() {
  if (idNext >= IDS_PER_FILL) {
    const bytes = randomBytes(ID_STRIDE * IDS_PER_FILL)
    for (let i = ID_BYTES; i < bytes.length; i += ID_STRIDE) bytes[i] = bytes[i + 1] = 0
    idPool = bytes.toString('base64url')
    idNext = 0
  }
  const at = (idNext++ * ID_STRIDE * 4) / 3
  return idPool.slice(at, at + 22)
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
  const body = Object.getPrototypeOf(claims) === Object.prototype && claims.toJSON === undefined
    ? withClaims(JSON.stringify(claims), claims, options, nowMs)
    : copiedPayload(claims, options, nowMs)
  try {
    // The usual header, {"alg":…,"typ":"JWT"}, was encoded when the signer was built.
    if (options.header === undefined && options.keyid === undefined) return (signer[BOUND] ?? bind(signer))(body)
    const header = { ...options.header, alg: algorithm, typ: (options.header && options.header.typ) || 'JWT' }
    if (options.keyid !== undefined) header.kid = options.keyid
    return signer.sign(JSON.stringify(header), body)
  } catch (err) {
    throw fromNative(err)
  }
}

/**
 * The payload's JSON text: `text` (the claims' own JSON, `{...}`) with the
 * claims sign adds (iat, jti, the options' iss/aud/sub/jti, exp, nbf) written
 * after them, each stringified alone, where copying the claims into a new
 * object and stringifying it all cost twice as much. `claims` is a plain
 * object (own properties read as the copy would read them) with no toJSON.
 */
function withClaims(text, claims, options, nowMs) {
  let added = ''
  let iat = claimOf(claims, 'iat')
  if (iat === undefined) {
    iat = Math.floor(nowMs) / 1000
    added += `,"iat":${iat}`
  } else if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw invalidOption('claims', 'iat must be a number')
  }
  if (claimOf(claims, 'jti') === undefined && options.jwtid === undefined) added += `,"jti":"${randomId()}"`
  // Each option read by name: one load site per option stays monomorphic.
  added += optionClaim(claims, 'issuer', 'iss', options.issuer)
  added += optionClaim(claims, 'audience', 'aud', options.audience)
  added += optionClaim(claims, 'subject', 'sub', options.subject)
  added += optionClaim(claims, 'jwtid', 'jti', options.jwtid)
  if (options.expiresIn !== undefined) {
    if (claimOf(claims, 'exp') !== undefined) throw invalidOption('expiresIn', 'the claims already have `exp`')
    added += `,"exp":${Math.floor(iat + seconds('expiresIn', options.expiresIn))}`
  }
  if (options.notBefore !== undefined) {
    if (claimOf(claims, 'nbf') !== undefined) throw invalidOption('notBefore', 'the claims already have `nbf`')
    added += `,"nbf":${Math.floor(iat + seconds('notBefore', options.notBefore))}`
  }
  if (added === '') return text
  return text === '{}' ? `{${added.slice(1)}}` : `${text.slice(0, -1)}${added}}`
}

/** `,"claim":value` for an option that sets a claim, '' when the option is not given. */
function optionClaim(claims, option, claim, value) {
  if (value === undefined) return ''
  if (claimOf(claims, claim) !== undefined) throw invalidOption(option, `the claims already have \`${claim}\``)
  const json = typeof value === 'string' ? stringJson(value) : JSON.stringify(value)
  return json === undefined ? '' : `,"${claim}":${json}` // a function or symbol is left out, as in an object
}

// The JSON text of the few strings options repeat on every call (issuer, audience, subject).
const stringTexts = new Map()
function stringJson(value) {
  let json = stringTexts.get(value)
  if (json === undefined) {
    json = JSON.stringify(value)
    if (stringTexts.size < MAX_CACHED && value.length <= 256) stringTexts.set(value, json)
  }
  return json
}

/**
 * `claims[name]` as the copy sign used to make would have it: an own property
 * that is not enumerable is not copied (JSON.stringify leaves it out too), so
 * the copy would read Object.prototype's. The extra checks run only for a
 * claim the caller set.
 */
function claimOf(claims, name) {
  const value = claims[name]
  if (value === undefined || !Object.hasOwn(claims, name) || Object.prototype.propertyIsEnumerable.call(claims, name)) return value
  return Object.prototype[name]
}

/**
 * The payload text of claims that are not a plain object (a class instance, a
 * null prototype, a toJSON method): a copy of their own enumerable properties
 * with the added claims, as it was built before withClaims.
 */
function copiedPayload(claims, options, nowMs) {
  // A claim named __proto__ would set the copy's prototype through assignment, so that object is spread.
  const copy = Object.hasOwn(claims, '__proto__') ? { ...claims } : Object.assign({}, claims)
  if (copy.toJSON === undefined) return withClaims(JSON.stringify(copy), copy, options, nowMs)
  // An own toJSON is called on the whole payload, added claims included.
  return JSON.stringify(Object.assign(copy, JSON.parse(withClaims('{}', copy, options, nowMs))))
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
