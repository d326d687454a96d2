'use strict'

const { KeyObject, createPublicKey, createPrivateKey } = require('node:crypto')
const { invalidOption } = require('./errors')

const isPem = (text) => /^\s*-----BEGIN /.test(text)
const isPrivatePem = (text) => isPem(text) && text.includes('PRIVATE KEY-----')

/**
 * Turns any key form users pass (secret string/Buffer, PEM, KeyObject, JWK,
 * JWK Set) into what the addon takes: `{ key: Buffer }` or `{ jwk: string }`.
 * Private keys become their public half: a verifier never needs the secret part.
 */
function verificationKey(key) {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') return { key: key.export() }
    return publicForm(key.type === 'private' ? createPublicKey(key) : key)
  }
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const bytes = Buffer.from(key)
    if (bytes.length === 0) throw invalidOption('key', 'must not be empty')
    const text = bytes.toString('latin1')
    if (isPrivatePem(text)) return publicForm(createPublicKey(text))
    return { key: bytes }
  }
  if (key && typeof key === 'object' && (Array.isArray(key.keys) || typeof key.kty === 'string')) {
    return { jwk: JSON.stringify(key) }
  }
  throw invalidOption('key', 'must be a secret (string or Buffer), a PEM, a KeyObject, a JWK or a JWK Set')
}

/** A public KeyObject as a JWK, or as SPKI PEM for RSA-PSS keys, which have no JWK form. */
function publicForm(pub) {
  if (pub.asymmetricKeyType === 'rsa-pss') return { key: Buffer.from(pub.export({ type: 'spki', format: 'pem' })) }
  return { jwk: JSON.stringify(pub.export({ format: 'jwk' })) }
}

/** The signing key as bytes: an HMAC secret, or a PKCS#8 PEM private key. */
function signingKey(key) {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') return key.export()
    if (key.type === 'public') throw invalidOption('key', 'a public key cannot sign')
    return Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }))
  }
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const bytes = Buffer.from(key)
    if (bytes.length === 0) throw invalidOption('key', 'must not be empty')
    return bytes
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') {
    if (key.kty === 'oct') return Buffer.from(key.k, 'base64url')
    return signingKey(createPrivateKey({ key, format: 'jwk' }))
  }
  throw invalidOption('key', 'must be a secret, a PEM private key, a KeyObject or a private JWK')
}

module.exports = { verificationKey, signingKey, isPem }
