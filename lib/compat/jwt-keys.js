'use strict'

const { KeyObject, createPublicKey, createSecretKey } = require('node:crypto')
const { NativeVerifier } = require('../native')

// jsonwebtoken parses a string secret into a KeyObject on every call, which
// costs more than the HMAC itself. Parsed keys, and a native verifier per
// algorithm, are kept here: strings and Buffers by content (bounded, oldest
// dropped first), KeyObjects by identity. Other objects ({ key, format }) are
// mutable and parsed each time.
const MAX_KEYS = 100
const byContent = new Map()
const byObject = new WeakMap()

function parse(material) {
  try {
    return createPublicKey(material)
  } catch {
    try {
      return createSecretKey(typeof material === 'string' ? Buffer.from(material) : material)
    } catch {
      return null
    }
  }
}

function contentId(material) {
  if (typeof material === 'string') return `s${material}`
  if (Buffer.isBuffer(material)) return `b${material.toString('latin1')}`
  return undefined
}

/**
 * The cached `{ key: KeyObject, natives: Map<alg, NativeVerifier> }` for a
 * secret or public key as jsonwebtoken accepts it, or null when it is not key
 * material (jsonwebtoken's 'secretOrPublicKey is not valid key material').
 */
function keyEntry(material) {
  if (material instanceof KeyObject) {
    let entry = byObject.get(material)
    if (!entry) byObject.set(material, (entry = { key: material, natives: new Map() }))
    return entry
  }
  const id = contentId(material)
  if (id !== undefined) {
    const hit = byContent.get(id)
    if (hit) return hit
  }
  const key = parse(material)
  if (!key) return null
  const entry = { key, natives: new Map() }
  if (id !== undefined) {
    if (byContent.size >= MAX_KEYS) byContent.delete(byContent.keys().next().value)
    byContent.set(id, entry)
  }
  return entry
}

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
  let native = entry.natives.get(alg)
  if (!native) {
    native = new NativeVerifier({ algorithms: [alg], requiredClaims: [], checkTimes: false, ...nativeKey(entry.key) })
    entry.natives.set(alg, native)
  }
  return native
}

module.exports = { keyEntry, nativeVerifier, MAX_KEYS, cachedKeys: () => byContent.size }
