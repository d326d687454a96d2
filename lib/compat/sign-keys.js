'use strict'

const { KeyObject, createPrivateKey, createSecretKey, sign: cryptoSign, constants } = require('node:crypto')
const { NativeSigner } = require('../../binding')

// Parsing a private key costs far more than signing: parsed keys and their
// native signers are kept, strings and Buffers by content (bounded, oldest
// dropped first), KeyObjects by identity.
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

/** `{ key: KeyObject, signers }` for a secret or private key as jsonwebtoken accepts it, or null. */
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

function nativeSigner(entry, alg) {
  let signer = entry.signers.get(alg)
  if (!signer) {
    const { key } = entry
    const bytes = key.type === 'secret' ? key.export() : Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }))
    signer = new NativeSigner(alg, bytes)
    entry.signers.set(alg, signer)
  }
  return signer
}

const b64url = (text) => Buffer.from(text).toString('base64url')

/**
 * RSA under 2048 bits, only with `allowInsecureKeySizes: true`: the addon
 * refuses such keys, so node:crypto signs (RFC 7518 §3.3/§3.5). revocable's
 * verify still refuses the tokens.
 */
function signWeakRsa(key, alg, input) {
  const hash = `sha${alg.slice(2)}`
  const pss = alg.startsWith('PS')
  const options = pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key
  return cryptoSign(hash, Buffer.from(input), options).toString('base64url')
}

/** Signs header and payload JSON text with `alg`; an unsigned token for 'none'. */
function signToken(entry, alg, headerJson, payloadJson, allowInsecureKeySizes) {
  if (alg === 'none') return `${b64url(headerJson)}.${b64url(payloadJson)}.`
  const details = entry.key.asymmetricKeyDetails
  if (allowInsecureKeySizes && /^(?:RS|PS)/.test(alg) && details && details.modulusLength < 2048) {
    const input = `${b64url(headerJson)}.${b64url(payloadJson)}`
    return `${input}.${signWeakRsa(entry.key, alg, input)}`
  }
  return nativeSigner(entry, alg).sign(headerJson, payloadJson)
}

module.exports = { keyEntry, signToken }
