// Keys and tokens shared by the verify and HTTP benchmarks. Tokens are signed
// here with node:crypto (a neutral signer, no library under test involved):
// integer iat, a jti and a sid, so a Guard probes all three of its maps.
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto'

export const ISS = 'https://issuer.example'
export const AUD = 'web'
export const SUB = 'user-42'
export const ALGS = ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']

const b64 = (x) => Buffer.from(x).toString('base64url')

/** One key pair (or secret) per algorithm, in every form the peers take. */
export function makeKeys() {
  const secret = randomBytes(32).toString('hex')
  const pairs = {
    RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    EdDSA: generateKeyPairSync('ed25519'),
  }
  pairs.PS256 = pairs.RS256
  const keys = { HS256: { private: secret, text: secret, object: createSecretKey(Buffer.from(secret)), secret } }
  for (const alg of ALGS.slice(1)) {
    const { privateKey, publicKey } = pairs[alg]
    keys[alg] = { private: privateKey, text: publicKey.export({ type: 'spki', format: 'pem' }), object: publicKey }
  }
  return keys
}

/** WebCrypto keys, jose's native key type (on Node 20 it re-imports a KeyObject on every call). */
export async function cryptoKeys(keys) {
  const { subtle } = globalThis.crypto
  const der = (alg) => keys[alg].object.export({ type: 'spki', format: 'der' })
  return {
    HS256: await subtle.importKey('raw', Buffer.from(keys.HS256.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
    RS256: await subtle.importKey('spki', der('RS256'), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']),
    PS256: await subtle.importKey('spki', der('PS256'), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']),
    ES256: await subtle.importKey('spki', der('ES256'), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
    EdDSA: await subtle.importKey('spki', der('EdDSA'), { name: 'Ed25519' }, false, ['verify']),
  }
}

function signature(alg, key, input) {
  switch (alg) {
    case 'HS256': return createHmac('sha256', key).update(input).digest()
    case 'RS256': return sign('sha256', Buffer.from(input), key)
    case 'PS256': return sign('sha256', Buffer.from(input), { key, padding: 6, saltLength: 32 }) // RSA_PKCS1_PSS_PADDING
    case 'ES256': return sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    case 'EdDSA': return sign(null, Buffer.from(input), key)
  }
  throw new Error(`unknown algorithm ${alg}`)
}

/** A compact JWS over `claims` (iss, aud, iat, exp, sub and sid filled in unless given). */
export function token(alg, key, claims = {}) {
  const now = Math.floor(Date.now() / 1000)
  const payload = { iss: ISS, aud: AUD, sub: SUB, sid: 'session-1', iat: now, exp: now + 3000, ...claims }
  const input = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`
  return `${input}.${b64(signature(alg, key, input))}`
}

/** `size` distinct tokens (distinct jti), so no cache keyed by the token can ever hit while cycling through them. */
export function pool(alg, key, size, prefix = 'cold') {
  const out = new Array(size)
  for (let i = 0; i < size; i++) out[i] = token(alg, key, { jti: `${prefix}-${i}` })
  return out
}
