'use strict'

const { createPublicKey } = require('node:crypto')
const { NativeVerifier } = require('../native')
const { KeyCache, nativeFor } = require('./key-cache')

// jsonwebtoken parses a string secret into a KeyObject on every call, which
// costs more than the HMAC itself: parsed public keys and secrets, with a
// native verifier per algorithm, are kept (key-cache.js).
const MAX_KEYS = 100
const keys = new KeyCache(createPublicKey, MAX_KEYS)

/**
 * The cached `{ key: KeyObject, natives: Map<alg, NativeVerifier> }` for a
 * secret or public key as jsonwebtoken accepts it, or null when it is not key
 * material (jsonwebtoken's 'secretOrPublicKey is not valid key material').
 */
const keyEntry = (material) => keys.entry(material)

/** The key in a form the addon takes; a private key is reduced to its public half by createPublicKey. */
function nativeKey(key) {
  if (key.type === 'secret') return { key: key.export() }
  try {
    return { jwk: JSON.stringify(key.export({ format: 'jwk' })) }
  } catch {
    return { key: Buffer.from(key.export({ type: 'spki', format: 'pem' })) }
  }
}

/**
 * The native verifier for one algorithm. Time claims are left to JS
 * (`checkTimes: false`) and nothing is required, as in jsonwebtoken; the
 * addon still checks structure, algorithm, key, signature and claim types.
 */
function nativeVerifier(entry, alg) {
  return nativeFor(entry, alg, (key) => new NativeVerifier({ algorithms: [alg], requiredClaims: [], checkTimes: false, ...nativeKey(key) }))
}

module.exports = { keyEntry, nativeVerifier, MAX_KEYS, cachedKeys: () => keys.size }
