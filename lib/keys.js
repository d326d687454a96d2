'use strict'

const { KeyObject, createPublicKey, createPrivateKey } = require('node:crypto')
const { invalidOption } = require('./errors')

const isPem = (text) => /^\s*-----BEGIN /.test(text)

// RFC 7518 §3.2: an HMAC key no shorter than the hash output. 32 bytes
// (HS256's) is the floor for every secret revocable's own API takes: Verifier,
// sign, open() (key/secret, signingKey, refresh.secret). The jsonwebtoken and
// express-jwt drop-ins keep jsonwebtoken's rule (any non-empty secret).
const MIN_SECRET_BYTES = 32

/** Refuses a short HMAC secret, naming the option the caller passed it as. */
function checkSecret(name, bytes) {
  if (bytes.length < MIN_SECRET_BYTES) {
    throw invalidOption(name, `an HMAC secret must be at least ${MIN_SECRET_BYTES} bytes (RFC 7518 §3.2); this one has ${bytes.length}`)
  }
  return bytes
}
const isPrivatePem = (text) => isPem(text) && text.includes('PRIVATE KEY-----')

/**
 * Turns any key form users pass (secret string/Buffer, PEM, KeyObject, JWK,
 * JWK Set) into what the addon takes: `{ key: Buffer }` or `{ jwk: string }`.
 * Private keys become their public half: a verifier never needs the secret part.
 */
function verificationKey(key, name = 'key') {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') return { key: checkSecret(name, key.export()) }
    return publicForm(key.type === 'private' ? createPublicKey(key) : key)
  }
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const bytes = Buffer.from(key)
    if (bytes.length === 0) throw invalidOption(name, 'must not be empty')
    const text = bytes.toString('latin1')
    if (isPrivatePem(text)) return publicForm(createPublicKey(text))
    return { key: isPem(text) ? bytes : checkSecret(name, bytes) }
  }
  if (key && typeof key === 'object' && (Array.isArray(key.keys) || typeof key.kty === 'string')) {
    if (key.kty === 'oct' && typeof key.k === 'string') checkSecret(name, Buffer.from(key.k, 'base64url'))
    return { jwk: JSON.stringify(key) }
  }
  throw invalidOption(name, 'must be a secret (string or Buffer), a PEM, a KeyObject, a JWK or a JWK Set')
}

/** A public KeyObject as a JWK, or as SPKI PEM for RSA-PSS keys, which have no JWK form. */
function publicForm(pub) {
  if (pub.asymmetricKeyType === 'rsa-pss') return { key: Buffer.from(pub.export({ type: 'spki', format: 'pem' })) }
  return { jwk: JSON.stringify(pub.export({ format: 'jwk' })) }
}

/** The signing key as bytes: an HMAC secret, or a PKCS#8 PEM private key. */
function signingKey(key, name = 'key') {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') return checkSecret(name, key.export())
    if (key.type === 'public') throw invalidOption(name, 'a public key cannot sign')
    return Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }))
  }
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const bytes = Buffer.from(key)
    if (bytes.length === 0) throw invalidOption(name, 'must not be empty')
    return isPem(bytes.toString('latin1')) ? bytes : checkSecret(name, bytes)
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') {
    if (key.kty === 'oct') return checkSecret(name, Buffer.from(key.k, 'base64url'))
    return signingKey(createPrivateKey({ key, format: 'jwk' }), name)
  }
  throw invalidOption(name, 'must be a secret, a PEM private key, a KeyObject or a private JWK')
}

module.exports = { verificationKey, signingKey, isPem }
