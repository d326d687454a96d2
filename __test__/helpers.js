'use strict'

const crypto = require('node:crypto')

const NOW = 1_800_000_000_000 // ms, frozen for every test
const nowS = NOW / 1000

const b64 = (x) => Buffer.from(typeof x === 'string' || Buffer.isBuffer(x) ? x : JSON.stringify(x)).toString('base64url')

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' }

/** Signs `input` the way RFC 7518 says, with node:crypto (independent of revocable). */
function signRaw(alg, input, key) {
  const bits = alg.slice(2)
  switch (alg.slice(0, 2)) {
    case 'HS':
      return crypto.createHmac(HASH[bits], key).update(input).digest()
    case 'RS':
      return crypto.sign(HASH[bits], Buffer.from(input), key)
    case 'PS':
      return crypto.sign(HASH[bits], Buffer.from(input), {
        key,
        padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(bits) / 8,
      })
    case 'ES':
      return crypto.sign(HASH[bits], Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    default:
      return crypto.sign(null, Buffer.from(input), key)
  }
}

/** Builds a token from a header and payload (objects, or raw JSON text / bytes). */
function craft(header, payload, key, alg = header.alg) {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${b64(signRaw(alg, input, key))}`
}

const claims = (extra = {}) => ({ sub: 'u1', iat: nowS - 10, exp: nowS + 3600, ...extra })

const keys = {
  secret: 'a-test-secret-of-at-least-32-bytes!!',
  rsa: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  rsa1024: crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }),
  p256: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  p384: crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  p521: crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  ed: crypto.generateKeyPairSync('ed25519'),
}

/** The private and public key for an algorithm. */
function pairFor(alg) {
  if (alg.startsWith('HS')) return { privateKey: keys.secret, publicKey: keys.secret }
  if (alg.startsWith('RS') || alg.startsWith('PS')) return keys.rsa
  if (alg === 'ES256') return keys.p256
  if (alg === 'ES384') return keys.p384
  if (alg === 'ES512') return keys.p521
  return keys.ed
}

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/** Calls fn and returns what it threw (fails the test if it did not throw). */
function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

module.exports = { NOW, nowS, b64, signRaw, craft, claims, keys, pairFor, ALGORITHMS, thrown }
