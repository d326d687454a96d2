'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { createSecretKey } = require('node:crypto')
const { Verifier } = require('..')
const { NOW, craft, claims, keys, thrown } = require('./helpers')

const clock = () => NOW
// A secret long enough for the 32-byte rule, so each row fails on its own option.
const k32 = 'k'.repeat(32)
const fixture = (name) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')

describe('invalid options throw ERR_JWT_INVALID_OPTION naming the option', () => {
  test.each([
    ['algorithms', { key: k32 }],
    ['algorithms', { algorithms: [], key: k32 }],
    ['algorithms', { algorithms: 'HS256', key: k32 }],
    ['algorithms', { algorithms: ['HS999'], key: k32 }],
    ['key', { algorithms: ['HS256'] }],
    ['key', { algorithms: ['HS256'], key: 42 }],
    ['secret', { algorithms: ['HS256'], key: 'a', secret: 'b' }],
    ['key', { algorithms: ['HS256'], key: 'k'.repeat(31) }],
    ['secret', { algorithms: ['HS256'], secret: 'ten-chars!' }],
    ['audiance', { algorithms: ['HS256'], key: k32, audiance: 'web' }],
    ['issuer', { algorithms: ['HS256'], key: k32, issuer: '' }],
    ['clockTolerance', { algorithms: ['HS256'], key: k32, clockTolerance: '5 fortnights' }],
    ['clockTolerance', { algorithms: ['HS256'], key: k32, clockTolerance: -1 }],
    ['maxAge', { algorithms: ['HS256'], key: k32, maxAge: 'soon' }],
    ['maxTokenBytes', { algorithms: ['HS256'], key: k32, maxTokenBytes: 0 }],
    ['maxTokenBytes', { algorithms: ['HS256'], key: k32, maxTokenBytes: '100' }],
    ['clock', { algorithms: ['HS256'], key: k32, clock: 5 }],
    ['requiredClaims', { algorithms: ['HS256'], key: k32, requiredClaims: [''] }],
  ])('%s', (name, options) => {
    const err = thrown(() => new Verifier(options))
    expect(err.code).toBe('ERR_JWT_INVALID_OPTION')
    expect(err.message).toContain(name)
  })

  test('the options object itself is required', () => {
    expect(thrown(() => new Verifier()).code).toBe('ERR_JWT_INVALID_OPTION')
  })

  test('messages never echo the secret', () => {
    const err = thrown(() => new Verifier({ algorithms: ['RS256'], key: 'hunter2-super-secret' }))
    expect(err.message).not.toContain('hunter2')
  })
})

describe('every key form', () => {
  const rsaToken = craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)
  const pub = keys.rsa.publicKey
  test.each([
    ['SPKI PEM', pub.export({ type: 'spki', format: 'pem' })],
    ['PKCS#1 PEM', pub.export({ type: 'pkcs1', format: 'pem' })],
    ['PEM as a Buffer', Buffer.from(pub.export({ type: 'spki', format: 'pem' }))],
    ['public KeyObject', pub],
    ['private KeyObject (its public half is used)', keys.rsa.privateKey],
    ['private PEM (its public half is used)', keys.rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })],
    ['JWK', pub.export({ format: 'jwk' })],
    ['JWK Set with one key and no kid', { keys: [pub.export({ format: 'jwk' })] }],
  ])('%s', (_, key) => {
    expect(new Verifier({ algorithms: ['RS256'], key, clock }).verify(rsaToken).sub).toBe('u1')
  })

  test('X.509 certificates (RSA and EC)', () => {
    const rsa = craft({ alg: 'RS256' }, claims(), fixture('cert-key.pem'))
    expect(new Verifier({ algorithms: ['RS256'], key: fixture('cert.pem'), clock }).verify(rsa).sub).toBe('u1')
    const ec = craft({ alg: 'ES256' }, claims(), fixture('ec-cert-key.pem'))
    expect(new Verifier({ algorithms: ['ES256'], key: fixture('ec-cert.pem'), clock }).verify(ec).sub).toBe('u1')
  })

  test('HMAC secrets as string, Buffer, secret KeyObject, oct JWK, and the `secret` alias', () => {
    const token = craft({ alg: 'HS256' }, claims(), keys.secret)
    for (const key of [keys.secret, Buffer.from(keys.secret), createSecretKey(Buffer.from(keys.secret)), { kty: 'oct', k: Buffer.from(keys.secret).toString('base64url') }]) {
      expect(new Verifier({ algorithms: ['HS256'], key, clock }).verify(token).sub).toBe('u1')
    }
    expect(new Verifier({ algorithms: ['HS256'], secret: keys.secret, clock }).verify(token).sub).toBe('u1')
  })

  test('a JWK Set picks the key by kid, and needs a kid when several keys fit', () => {
    const a = { ...keys.p256.publicKey.export({ format: 'jwk' }), kid: 'a' }
    const b = { ...keys.rsa.publicKey.export({ format: 'jwk' }), kid: 'b' }
    const c = { kty: 'EC', crv: 'P-256', x: a.x, y: a.y, kid: 'c' }
    const v = new Verifier({ algorithms: ['ES256', 'RS256'], key: { keys: [a, b, c] }, clock })
    expect(v.verify(craft({ alg: 'ES256', kid: 'a' }, claims(), keys.p256.privateKey)).sub).toBe('u1')
    expect(v.verify(craft({ alg: 'RS256' }, claims(), keys.rsa.privateKey)).sub).toBe('u1')
    const err = thrown(() => v.verify(craft({ alg: 'ES256' }, claims(), keys.p256.privateKey)))
    expect(err.code).toBe('ERR_JWT_KEY')
    expect(err.message).toMatch(/no kid/)
    expect(thrown(() => v.verify(craft({ alg: 'ES256', kid: 'zz' }, claims(), keys.p256.privateKey))).code).toBe('ERR_JWT_KEY')
  })

  test('garbage keys are refused when the verifier is built', () => {
    expect(thrown(() => new Verifier({ algorithms: ['RS256'], key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })).code).toBe('ERR_JWT_KEY')
    expect(thrown(() => new Verifier({ algorithms: ['ES256'], key: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } })).code).toBe('ERR_JWT_KEY')
    const offCurve = { kty: 'EC', crv: 'P-256', x: Buffer.alloc(32, 1).toString('base64url'), y: Buffer.alloc(32, 2).toString('base64url') }
    expect(thrown(() => new Verifier({ algorithms: ['ES256'], key: offCurve })).code).toBe('ERR_JWT_KEY')
  })
})
