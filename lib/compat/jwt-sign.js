'use strict'

const { KeyObject, createPrivateKey, createSecretKey } = require('node:crypto')
const { NativeSigner } = require('../../binding')
const { fromNative } = require('../errors')
const { timespan } = require('./timespan')
const { validateAsymmetricKey } = require('./validate-key')
const { validateOptions, validatePayload } = require('./sign-schema')

const CLAIM_OF_OPTION = { audience: 'aud', issuer: 'iss', subject: 'sub', jwtid: 'jti' }
const OBJECT_ONLY_OPTIONS = ['expiresIn', 'notBefore', 'noTimestamp', 'audience', 'issuer', 'subject', 'jwtid']

// Parsing a private key costs far more than signing: keep parsed keys and
// their native signers, strings by content (bounded), KeyObjects by identity.
const MAX_KEYS = 100
const byContent = new Map()
const byObject = new WeakMap()

function parse(material) {
  try {
    return createPrivateKey(material)
  } catch {
    try {
      return createSecretKey(typeof material === 'string' ? Buffer.from(material) : material)
    } catch {
      return null
    }
  }
}

function keyEntry(material) {
  if (material instanceof KeyObject) {
    let entry = byObject.get(material)
    if (!entry) byObject.set(material, (entry = { key: material, signers: new Map() }))
    return entry
  }
  const id = typeof material === 'string' ? `s${material}` : Buffer.isBuffer(material) ? `b${material.toString('latin1')}` : undefined
  if (id !== undefined && byContent.has(id)) return byContent.get(id)
  const key = parse(material)
  if (!key) return null
  const entry = { key, signers: new Map() }
  if (id !== undefined) {
    if (byContent.size >= MAX_KEYS) byContent.delete(byContent.keys().next().value)
    byContent.set(id, entry)
  }
  return entry
}

function signerFor(entry, alg) {
  let signer = entry.signers.get(alg)
  if (!signer) {
    const { key } = entry
    const bytes = key.type === 'secret' ? key.export() : Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }))
    signer = new NativeSigner(alg, bytes)
    entry.signers.set(alg, signer)
  }
  return signer
}

/** Checks what jsonwebtoken checks, in its order; returns the parsed key entry and the payload to sign. */
function prepare(payload, secretOrPrivateKey, options, header) {
  if (!secretOrPrivateKey && options.algorithm !== 'none') throw new Error('secretOrPrivateKey must have a value')
  if (options.algorithm === 'none' || header.alg === 'none') {
    throw new Error('"algorithm" none is refused: revocable never issues unsigned tokens')
  }
  const entry = keyEntry(secretOrPrivateKey)
  if (!entry) throw new Error('secretOrPrivateKey is not valid key material')
  const { key } = entry
  const alg = header.alg
  if (alg.startsWith('HS') && key.type !== 'secret') {
    throw new Error(`secretOrPrivateKey must be a symmetric key when using ${alg}`)
  } else if (/^(?:RS|PS|ES|EdDSA)/.test(alg)) {
    if (key.type !== 'private') throw new Error(`secretOrPrivateKey must be an asymmetric key when using ${alg}`)
    // Native signing refuses these whatever allowInsecureKeySizes says.
    if (!alg.startsWith('ES') && key.asymmetricKeyDetails && key.asymmetricKeyDetails.modulusLength < 2048) {
      throw new Error(`secretOrPrivateKey has a minimum key size of 2048 bits for ${alg}`)
    }
  }
  const isObject = typeof payload === 'object' && !Buffer.isBuffer(payload)
  if (payload === undefined) throw new Error('payload is required')
  if (isObject) {
    validatePayload(payload)
    if (!options.mutatePayload) payload = Object.assign({}, payload)
  } else {
    const invalid = OBJECT_ONLY_OPTIONS.filter((name) => options[name] !== undefined)
    if (invalid.length > 0) throw new Error(`invalid ${invalid.join(',')} option for ${typeof payload} payload`)
  }
  if (payload.exp !== undefined && options.expiresIn !== undefined) {
    throw new Error('Bad "options.expiresIn" option the payload already has an "exp" property.')
  }
  if (payload.nbf !== undefined && options.notBefore !== undefined) {
    throw new Error('Bad "options.notBefore" option the payload already has an "nbf" property.')
  }
  validateOptions(options)
  if (!options.allowInvalidAsymmetricKeyTypes) validateAsymmetricKey(alg, key)
  return { entry, payload: fillClaims(payload, options, isObject) }
}

function fillClaims(payload, options, isObject) {
  // Read per call (never cached), so fake timers apply.
  const timestamp = payload.iat || Math.floor(Date.now() / 1000)
  if (options.noTimestamp) delete payload.iat
  else if (isObject) payload.iat = timestamp
  if (options.notBefore !== undefined) {
    payload.nbf = timespan(options.notBefore, timestamp)
    if (payload.nbf === undefined) {
      throw new Error('"notBefore" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60')
    }
  }
  if (options.expiresIn !== undefined && typeof payload === 'object') {
    payload.exp = timespan(options.expiresIn, timestamp)
    if (payload.exp === undefined) {
      throw new Error('"expiresIn" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60')
    }
  }
  for (const [option, claim] of Object.entries(CLAIM_OF_OPTION)) {
    if (options[option] === undefined) continue
    if (payload[claim] !== undefined) {
      throw new Error(`Bad "options.${option}" option. The payload already has an "${claim}" property.`)
    }
    payload[claim] = options[option]
  }
  return payload
}

function payloadText(payload, encoding) {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : JSON.stringify(payload)
  if (encoding === 'utf8' || encoding === 'utf-8') return text
  // The addon signs UTF-8 text; other encodings are re-read as UTF-8 (exact for ASCII).
  return Buffer.from(text, encoding).toString('utf8')
}

/**
 * jsonwebtoken 9.0.2's `sign(payload, secretOrPrivateKey, [options, callback])`,
 * signing natively. With a callback, failures are reported at once and the
 * token on the next tick, as jsonwebtoken does.
 */
function sign(payload, secretOrPrivateKey, options, callback) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  } else {
    options = options || {}
  }
  const isObject = typeof payload === 'object' && !Buffer.isBuffer(payload)
  const header = Object.assign({ alg: options.algorithm || 'HS256', typ: isObject ? 'JWT' : undefined, kid: options.keyid }, options.header)
  let token
  try {
    const prepared = prepare(payload, secretOrPrivateKey, options, header)
    const signer = signerFor(prepared.entry, header.alg)
    token = signer.sign(JSON.stringify(header), payloadText(prepared.payload, options.encoding || 'utf8'))
  } catch (err) {
    const out = err && typeof err.code === 'string' && err.code.startsWith('ERR_JWT') ? fromNative(err) : err
    if (typeof callback === 'function') return callback(out)
    throw out
  }
  if (typeof callback !== 'function') return token
  process.nextTick(callback, null, token)
}

module.exports = { sign }
