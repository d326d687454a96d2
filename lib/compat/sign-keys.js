'use strict'

const { createPrivateKey, createHmac, sign: cryptoSign, constants } = require('node:crypto')
const { NativeSigner } = require('../native')
const { KeyCache, nativeFor } = require('./key-cache')

// Parsing a private key costs far more than signing: parsed private keys and
// secrets, with a native signer per algorithm, are kept (key-cache.js).
const keys = new KeyCache(createPrivateKey, 100)

/** `{ key: KeyObject, natives }` for a secret or private key as jsonwebtoken accepts it, or null. */
const keyEntry = (material) => keys.entry(material)

function nativeSigner(entry, alg) {
  return nativeFor(entry, alg, (key) => new NativeSigner(alg, key.type === 'secret' ? key.export() : Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }))))
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
