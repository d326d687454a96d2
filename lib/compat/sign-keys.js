'use strict'

const { KeyObject, createPrivateKey, createSecretKey, createHmac, sign: cryptoSign, constants } = require('node:crypto')
const { NativeSigner } = require('../native')

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

const b64url = (bytes) => Buffer.from(bytes).toString('base64url')

/**
 * What the addon will not sign, signed by node:crypto (RFC 7518 §3): RSA
 * under 2048 bits (only with `allowInsecureKeySizes: true`) and payloads
 * whose `encoding` makes them other than UTF-8 text. revocable's verify
 * refuses both kinds of token.
 */
function cryptoSignature(key, alg, input) {
  const hash = `sha${alg.slice(-3)}`
  if (alg.startsWith('HS')) return createHmac(hash, key).update(input).digest('base64url')
  let options = key
  if (alg.startsWith('PS')) options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
  if (alg.startsWith('ES')) options = { key, dsaEncoding: 'ieee-p1363' }
  return cryptoSign(alg === 'EdDSA' ? null : hash, input, options).toString('base64url')
}

/** Signs header JSON and payload bytes with `alg`; an unsigned token for 'none'. */
function signToken(entry, alg, headerJson, payload, allowInsecureKeySizes) {
  const input = `${b64url(headerJson)}.${b64url(payload)}`
  if (alg === 'none') return `${input}.`
  const details = entry.key.asymmetricKeyDetails
  const weakRsa = allowInsecureKeySizes && /^(?:RS|PS)/.test(alg) && details && details.modulusLength < 2048
  const text = payload.toString('utf8')
  if (weakRsa || !Buffer.from(text).equals(payload)) return `${input}.${cryptoSignature(entry.key, alg, Buffer.from(input))}`
  return nativeSigner(entry, alg).sign(headerJson, text)
}

module.exports = { keyEntry, signToken }
