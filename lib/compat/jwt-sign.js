'use strict'

const { fromNative } = require('../errors')
const { timespan } = require('./timespan')
const { validateAsymmetricKey } = require('./validate-key')
const { validateOptions, validatePayload } = require('./sign-schema')
const { keyEntry, signToken } = require('./sign-keys')

const CLAIM_OF_OPTION = { audience: 'aud', issuer: 'iss', subject: 'sub', jwtid: 'jti' }
const OBJECT_ONLY_OPTIONS = ['expiresIn', 'notBefore', 'noTimestamp', 'audience', 'issuer', 'subject', 'jwtid']

/** Checks what jsonwebtoken checks, in its order; returns the parsed key entry and the payload to sign. */
function prepare(payload, secretOrPrivateKey, options, header) {
  if (!secretOrPrivateKey && options.algorithm !== 'none') throw new Error('secretOrPrivateKey must have a value')
  const alg = header.alg
  // An unsigned token ('none') is issued as jsonwebtoken does, without a key:
  // harmless here, since revocable's verify never accepts one.
  const entry = secretOrPrivateKey == null ? null : keyEntry(secretOrPrivateKey)
  if (secretOrPrivateKey != null && !entry) throw new Error('secretOrPrivateKey is not valid key material')
  const key = entry ? entry.key : null
  if (!key) {
    // nothing to check against the key
  } else if (alg.startsWith('HS') && key.type !== 'secret') {
    throw new Error(`secretOrPrivateKey must be a symmetric key when using ${alg}`)
  } else if (/^(?:RS|PS|ES|EdDSA)/.test(alg)) {
    if (key.type !== 'private') throw new Error(`secretOrPrivateKey must be an asymmetric key when using ${alg}`)
    if (!options.allowInsecureKeySizes && !alg.startsWith('ES') && key.asymmetricKeyDetails &&
      key.asymmetricKeyDetails.modulusLength < 2048) {
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
  if (!options.allowInvalidAsymmetricKeyTypes && key) validateAsymmetricKey(alg, key)
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

/** The payload bytes as jws makes them: JSON for objects, the text of strings and Buffers, in `encoding`. */
function payloadBytes(payload, encoding) {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : JSON.stringify(payload)
  return Buffer.from(text, encoding)
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
    const bytes = payloadBytes(prepared.payload, options.encoding || 'utf8')
    token = signToken(prepared.entry, header.alg, JSON.stringify(header), bytes, options.allowInsecureKeySizes)
  } catch (err) {
    const out = err && typeof err.code === 'string' && err.code.startsWith('ERR_JWT') ? fromNative(err) : err
    if (typeof callback === 'function') return callback(out)
    throw out
  }
  if (typeof callback !== 'function') return token
  process.nextTick(callback, null, token)
}

module.exports = { sign }
