'use strict'

// Allow-lists spanning key families and RSA-PSS keys, as a JS user meets them (issue 13).
const crypto = require('node:crypto')
const { Verifier } = require('..')
const { NOW, craft, claims, keys } = require('./helpers')

const clock = () => NOW
const code = (fn) => { try { fn() } catch (err) { return err.code } return 'none' }
const pss = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha256', saltLength: 32 })
const pssAny = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048 })

test("['RS256', 'ES256'] with a set of RSA and EC keys verifies both, each by its own key", () => {
  const set = { keys: [
    { ...keys.rsa.publicKey.export({ format: 'jwk' }), kid: 'r' },
    { ...keys.p256.publicKey.export({ format: 'jwk' }), kid: 'e' },
  ] }
  const v = new Verifier({ algorithms: ['RS256', 'ES256'], key: set, clock })
  expect(v.verify(craft({ alg: 'RS256', kid: 'r' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
  expect(v.verify(craft({ alg: 'ES256', kid: 'e' }, claims(), keys.p256.privateKey)).sub).toBe('u1')
  expect(code(() => v.verify(craft({ alg: 'ES256', kid: 'r' }, claims(), keys.p256.privateKey)))).toBe('ERR_JWT_KEY')
})

test("['RS256', 'ES256'] with one EC key: ES256 verifies, an RS256 token is a key error", () => {
  const v = new Verifier({ algorithms: ['RS256', 'ES256'], key: keys.p256.publicKey, clock })
  expect(v.verify(craft({ alg: 'ES256' }, claims(), keys.p256.privateKey)).sub).toBe('u1')
  expect(code(() => v.verify(craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)))).toBe('ERR_JWT_KEY')
  expect(code(() => new Verifier({ algorithms: ['RS256', 'HS256'], key: keys.p256.publicKey }))).toBe('ERR_JWT_INVALID_OPTION')
})

test("['RS256', 'PS256'] with a JWK bound to RS256 constructs; its PS256 tokens are refused", () => {
  const jwk = { ...keys.rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' }
  const v = new Verifier({ algorithms: ['RS256', 'PS256'], key: jwk, clock })
  expect(v.verify(craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
  expect(code(() => v.verify(craft({ alg: 'PS256' }, claims(), keys.rsa.privateKey)))).toBe('ERR_JWT_KEY')
})

test('an RSA-PSS key (id-RSASSA-PSS SPKI) as KeyObject or PEM verifies PS256, never RS256', () => {
  const pem = pss.publicKey.export({ type: 'spki', format: 'pem' })
  for (const key of [pss.publicKey, pem, pss.privateKey]) {
    const v = new Verifier({ algorithms: ['PS256', 'RS256'], key, clock })
    expect(v.verify(craft({ alg: 'PS256' }, claims(), pss.privateKey)).sub).toBe('u1')
    const rs = craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)
    expect(code(() => v.verify(rs))).toBe('ERR_JWT_KEY')
  }
  // Its parameters restrict it to SHA-256: PS384 alone cannot be served.
  expect(code(() => new Verifier({ algorithms: ['PS384'], key: pss.publicKey }))).toBe('ERR_JWT_INVALID_OPTION')
  expect(code(() => new Verifier({ algorithms: ['RS256'], key: pem }))).toBe('ERR_JWT_INVALID_OPTION')
})

test('an RSA-PSS key without parameters serves PS256, PS384 and PS512', () => {
  const v = new Verifier({ algorithms: ['PS256', 'PS384', 'PS512'], key: pssAny.publicKey, clock })
  for (const alg of ['PS256', 'PS384', 'PS512']) {
    expect(v.verify(craft({ alg }, claims(), pssAny.privateKey)).sub).toBe('u1')
  }
})
