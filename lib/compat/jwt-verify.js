'use strict'

const { fromNative } = require('../errors')
const { jwtError, MESSAGE_FOR_CODE } = require('./jwt-errors')
const { decodeComplete } = require('./jwt-decode')
const { keyEntry, nativeVerifier } = require('./jwt-keys')
const { validateAsymmetricKey } = require('./validate-key')
const { claimError } = require('./jwt-claims')
const remembered = require('./verified-tokens')

const HS = ['HS256', 'HS384', 'HS512']
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const EC = ['ES256', 'ES384', 'ES512']
const PUBLIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']

/** jsonwebtoken's default allow-list, derived from the key's type. */
function defaultAlgorithms(key) {
  if (key.type === 'secret') return HS
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return RSA
  if (key.asymmetricKeyType === 'ec') return EC
  if (key.asymmetricKeyType === 'ed25519') return ['EdDSA']
  return PUBLIC
}

function throwOrReturn(err, data) {
  if (err) throw err
  return data
}

/** The options checks jsonwebtoken makes before looking at the token. */
function optionError(options) {
  if (options.clockTimestamp && typeof options.clockTimestamp !== 'number') {
    return jwtError('clockTimestamp must be a number', 'ERR_JWT_INVALID_OPTION')
  }
  if (options.nonce !== undefined && (typeof options.nonce !== 'string' || options.nonce.trim() === '')) {
    return jwtError('nonce must be a non-empty string', 'ERR_JWT_INVALID_OPTION')
  }
  if (options.allowInvalidAsymmetricKeyTypes !== undefined && typeof options.allowInvalidAsymmetricKeyTypes !== 'boolean') {
    return jwtError('allowInvalidAsymmetricKeyTypes must be a boolean', 'ERR_JWT_INVALID_OPTION')
  }
}

/**
 * jsonwebtoken 9.0.2's `verify(token, secretOrPublicKey, [options, callback])`:
 * same checks, order, messages and callback/getKey forms. Structure,
 * algorithm, key and signature are checked by the native verifier; claims
 * are checked in JS in jsonwebtoken's order.
 */
function verify(token, secretOrPublicKey, options, callback) {
  if (typeof options === 'function' && !callback) {
    callback = options
    options = {}
  }
  options = Object.assign({}, options || {})
  const done = callback || throwOrReturn
  const badOption = optionError(options)
  if (badOption) return done(badOption)
  // Read per call (never cached), so fake timers and clockTimestamp apply.
  const now = options.clockTimestamp || Math.floor(Date.now() / 1000)
  if (!token) return done(jwtError('jwt must be provided', 'ERR_JWT_MALFORMED'))
  if (typeof token !== 'string') return done(jwtError('jwt must be a string', 'ERR_JWT_MALFORMED'))
  const parts = token.split('.')
  if (parts.length !== 3) return done(jwtError('jwt malformed', 'ERR_JWT_MALFORMED'))
  const hit = remembered.recall(token)
  let decoded
  try {
    decoded = hit ? remembered.decoded(hit) : decodeComplete(token)
  } catch (err) {
    return done(err)
  }
  if (!decoded) return done(jwtError('invalid token', 'ERR_JWT_MALFORMED'))

  const withKey = (err, key) => {
    if (err) return done(jwtError(`error in secret or public key callback: ${err.message}`, 'ERR_JWT_KEY'))
    return verifyWithKey(token, parts, decoded, key, options, now, done, hit)
  }
  if (typeof secretOrPublicKey === 'function') {
    if (!callback) {
      return done(jwtError('verify must be called asynchronous if secret or public key is provided as a callback', 'ERR_JWT_INVALID_OPTION'))
    }
    return secretOrPublicKey(decoded.header, withKey)
  }
  return withKey(null, secretOrPublicKey)
}

function verifyWithKey(token, parts, decoded, secretOrPublicKey, options, now, done, hit) {
  const { header } = decoded
  const hasSignature = parts[2].trim() !== ''
  if (!hasSignature && secretOrPublicKey) return done(jwtError('jwt signature is required', 'ERR_JWT_SIGNATURE'))
  if (hasSignature && !secretOrPublicKey) return done(jwtError('secret or public key must be provided', 'ERR_JWT_KEY'))
  if (!hasSignature && !options.algorithms) {
    return done(jwtError('please specify "none" in "algorithms" to verify unsigned tokens', 'ERR_JWT_ALGORITHM'))
  }
  if (!hasSignature) {
    // jsonwebtoken accepts alg 'none' here when algorithms lists it; revocable never does.
    const listed = options.algorithms.indexOf(header.alg) !== -1
    return done(jwtError(listed ? 'jwt signature is required' : 'invalid algorithm', 'ERR_JWT_ALGORITHM'))
  }
  const entry = keyEntry(secretOrPublicKey)
  if (!entry) return done(jwtError('secretOrPublicKey is not valid key material', 'ERR_JWT_KEY'))
  const { key } = entry
  const algorithms = options.algorithms || defaultAlgorithms(key)
  const alg = header.alg
  if (algorithms.indexOf(alg) === -1) return done(jwtError('invalid algorithm', 'ERR_JWT_ALGORITHM'))
  if (typeof alg === 'string' && alg.startsWith('HS') && key.type !== 'secret') {
    return done(jwtError(`secretOrPublicKey must be a symmetric key when using ${alg}`, 'ERR_JWT_KEY'))
  } else if (/^(?:RS|PS|ES|EdDSA)/.test(alg) && key.type !== 'public') {
    return done(jwtError(`secretOrPublicKey must be an asymmetric key when using ${alg}`, 'ERR_JWT_KEY'))
  }
  if (!options.allowInvalidAsymmetricKeyTypes) {
    try {
      validateAsymmetricKey(alg, key)
    } catch (err) {
      return done(err)
    }
  }
  if (!hit || hit.entry !== entry || hit.alg !== alg) {
    const failure = verifyNatively(token, entry, alg, decoded, options, now)
    if (failure) return done(failure)
  }
  const claimsFailure = claimError(decoded.payload, options, now)
  if (claimsFailure) return done(claimsFailure)
  if (options.complete === true) return done(null, { header, payload: decoded.payload, signature: decoded.signature })
  return done(null, decoded.payload)
}

/** Structure, algorithm, key, signature and claim types, in the addon; returns the failure, if any. */
function verifyNatively(token, entry, alg, decoded, options, now) {
  let native
  try {
    native = nativeVerifier(entry, alg)
  } catch (err) {
    return unfitKey(fromNative(err), alg)
  }
  try {
    native.verify(token, now * 1000)
  } catch (err) {
    return refused(fromNative(err), decoded, options, now)
  }
  remembered.remember(token, entry, alg, decoded)
}

/** A key or algorithm the addon will not build a verifier for. */
function unfitKey(err, alg) {
  if (!err || typeof err.code !== 'string') return err
  if (/RSA key is \d+ bits/.test(err.message)) {
    return jwtError(`secretOrPublicKey has a minimum key size of 2048 bits for ${alg}`, 'ERR_JWT_KEY', err)
  }
  if (err.claim === 'algorithms' && !/cannot verify/.test(err.message)) return jwtError('invalid algorithm', 'ERR_JWT_ALGORITHM', err)
  return jwtError('invalid signature', 'ERR_JWT_KEY', err)
}

const MESSAGE_FOR_CLAIM = { exp: 'invalid exp value', nbf: 'invalid nbf value', iat: 'invalid iat value' }

/**
 * What the addon refused, in jsonwebtoken's words. A claim of the wrong type
 * (which jsonwebtoken may let through) first gets jsonwebtoken's own verdict
 * on the payload, so its message wins where it would have failed too.
 */
function refused(err, decoded, options, now) {
  if (!err || typeof err.code !== 'string') return err
  const { payload, signature } = decoded
  // A signature that is not canonical base64url is not one the key made:
  // jsonwebtoken reports it as a bad signature, and so does the drop-in.
  if (err.code === 'ERR_JWT_MALFORMED' && Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
    return jwtError('invalid signature', 'ERR_JWT_SIGNATURE', err)
  }
  if (err.code === 'ERR_JWT_CLAIM') {
    const theirs = payload !== null && typeof payload === 'object' ? claimError(payload, options, now) : undefined
    if (theirs) return theirs
    return jwtError(MESSAGE_FOR_CLAIM[err.claim] || 'invalid token', 'ERR_JWT_CLAIM', err)
  }
  const message = MESSAGE_FOR_CODE[err.code]
  return message ? jwtError(message, err.code, err) : err
}

module.exports = { verify }
