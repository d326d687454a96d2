'use strict'

const { Verifier, sign, decode } = require('..')
const { NOW, nowS, keys, thrown } = require('./helpers')

const clock = () => NOW

describe('sign', () => {
  test('fills a millisecond-precision iat and a random jti', () => {
    const t1 = decode(sign({ sub: 'u1' }, keys.secret, { clock: () => NOW + 123 }))
    const t2 = decode(sign({ sub: 'u1' }, keys.secret, { clock: () => NOW + 123 }))
    expect(t1.iat).toBe(nowS + 0.123)
    expect(t1.jti).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(t1.jti).not.toBe(t2.jti)
  })

  test('each jti is the canonical base64url of 16 bytes, and ids do not repeat across pool refills', () => {
    const ids = new Set()
    for (let i = 0; i < 600; i++) {
      const { jti } = decode(sign({}, keys.secret))
      const bytes = Buffer.from(jti, 'base64url')
      expect([bytes.length, bytes.toString('base64url')]).toEqual([16, jti])
      ids.add(jti)
    }
    expect(ids.size).toBe(600)
  })

  test('claims that are not a plain object are signed as a copy of their own enumerable properties', () => {
    const at = (claims, opts) => decode(sign(claims, keys.secret, { clock, ...opts }))
    class User {
      constructor() { this.sub = 'u1' }
      get role() { return 'admin' } // on the prototype: not copied
      toJSON() { return { sub: 'replaced' } } // on the prototype: not copied, so not called
    }
    expect(at(new User())).toEqual({ sub: 'u1', iat: nowS, jti: expect.any(String) })
    const bare = Object.assign(Object.create(null), { sub: 'u2' })
    expect(at(bare, { expiresIn: 60 })).toEqual({ sub: 'u2', iat: nowS, jti: expect.any(String), exp: nowS + 60 })
    // An own toJSON is copied and called on the whole payload, the added claims included.
    const own = { sub: 'u3', toJSON() { return { ...this, seen: Object.keys(this).includes('iss') } } }
    expect(at(own, { issuer: 'i' })).toEqual({ sub: 'u3', iat: nowS, jti: expect.any(String), iss: 'i', seen: true })
    // A non-enumerable own claim is not copied: iat is filled in, and an option may set exp.
    const hidden = { sub: 'u4' }
    Object.defineProperty(hidden, 'iat', { value: 5 })
    Object.defineProperty(hidden, 'exp', { value: 6 })
    expect(at(hidden, { expiresIn: 60 })).toEqual({ sub: 'u4', iat: nowS, jti: expect.any(String), exp: nowS + 60 })
    // A claim set to undefined is left out, as JSON.stringify leaves it out, and filled in where sign fills it.
    expect(at({ sub: 'u5', iat: undefined, aud: undefined }, { audience: 'a' })).toEqual({ sub: 'u5', iat: nowS, jti: expect.any(String), aud: 'a' })
  })

  test('option values are written as JSON.stringify writes them in an object', () => {
    const out = decode(sign({}, keys.secret, { issuer: 'quote " and \\ and \u2028 and \u0001', audience: ['a', 'b'], subject: 's', jwtid: 'j' }))
    expect(out).toMatchObject({ iss: 'quote " and \\ and \u2028 and \u0001', aud: ['a', 'b'], sub: 's', jti: 'j' })
    expect(decode(sign({}, keys.secret, { issuer: () => 'x' })).iss).toBeUndefined() // a function is left out
  })

  test('claims in any script and of any length come back as signed, under the default header and a custom one', () => {
    // The native side reads payloads of up to 341 UTF-16 units (3 UTF-8 bytes each at most) into a
    // stack buffer and measures longer ones first; a name of ~279 three-byte characters makes ~341.
    const around = [270, 276, 277, 278, 279, 280, 281, 282, 290].map((n) => '名'.repeat(n))
    for (const name of ['ünïcödé 名前 😀', ...around, 'é'.repeat(400), 'x'.repeat(5000)]) {
      for (const opts of [{}, { keyid: 'k' }]) {
        const out = decode(sign({ name }, keys.secret, opts))
        expect(out.name).toBe(name)
      }
    }
  })

  test('keeps the iat and jti it is given', () => {
    const out = decode(sign({ sub: 'u1', iat: 5, jti: 'fixed' }, keys.secret))
    expect([out.iat, out.jti]).toEqual([5, 'fixed'])
  })

  test('expiresIn and notBefore take seconds or duration strings', () => {
    const out = decode(sign({}, keys.secret, { clock, expiresIn: '15m', notBefore: 60 }))
    expect(out.exp).toBe(nowS + 900)
    expect(out.nbf).toBe(nowS + 60)
  })

  test('issuer, audience, subject, jwtid and keyid land where they belong', () => {
    const token = sign({}, keys.secret, { issuer: 'i', audience: ['a', 'b'], subject: 's', jwtid: 'j', keyid: 'k1' })
    const { header, payload } = decode(token, { complete: true })
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
    expect(payload).toMatchObject({ iss: 'i', aud: ['a', 'b'], sub: 's', jti: 'j' })
  })

  test('refuses to overwrite a claim through an option', () => {
    expect(thrown(() => sign({ exp: 1 }, keys.secret, { expiresIn: 60 })).code).toBe('ERR_JWT_INVALID_OPTION')
    expect(thrown(() => sign({ iss: 'x' }, keys.secret, { issuer: 'y' })).code).toBe('ERR_JWT_INVALID_OPTION')
  })

  test('refuses non-object claims, unknown options and mismatched keys', () => {
    for (const claims of ['a string', null, [1], 42]) {
      expect(thrown(() => sign(claims, keys.secret)).code).toBe('ERR_JWT_INVALID_OPTION')
    }
    expect(thrown(() => sign({}, keys.secret, { expiresin: 5 })).code).toBe('ERR_JWT_INVALID_OPTION')
    expect(thrown(() => sign({}, keys.secret, { algorithm: 'RS256' })).code).toBe('ERR_JWT_KEY')
    expect(thrown(() => sign({}, keys.p256.privateKey, { algorithm: 'ES384' })).code).toBe('ERR_JWT_KEY')
    expect(thrown(() => sign({}, keys.rsa1024.privateKey, { algorithm: 'RS256' })).code).toBe('ERR_JWT_KEY')
    expect(thrown(() => sign({}, keys.secret, { algorithm: 'none' })).code).toBe('ERR_JWT_INVALID_OPTION')
  })

  test('tokens it makes verify, including from a cached string key', () => {
    const pem = keys.p256.privateKey.export({ type: 'pkcs8', format: 'pem' })
    const v = new Verifier({ algorithms: ['ES256'], key: keys.p256.publicKey, clock })
    for (let i = 0; i < 3; i++) {
      expect(v.verify(sign({ sub: `u${i}` }, pem, { algorithm: 'ES256', expiresIn: 60, clock })).sub).toBe(`u${i}`)
    }
  })
})

describe('decode', () => {
  test('reads without verifying', () => {
    const token = sign({ sub: 'u1' }, keys.secret)
    const forged = token.slice(0, -4) + 'AAAA'
    expect(decode(forged).sub).toBe('u1')
    expect(decode(forged, { complete: true }).signature).toBe(forged.split('.')[2])
  })

  test('throws ERR_JWT_MALFORMED on anything that is not a JWT', () => {
    for (const bad of ['', 'a.b', 'a.b.c', '{}.{}.{}', 42, undefined]) {
      expect(thrown(() => decode(bad)).code).toBe('ERR_JWT_MALFORMED')
    }
  })
})

describe('complete verification', () => {
  test('returns header, payload and signature', () => {
    const token = sign({ sub: 'u1' }, keys.secret, { expiresIn: 60, keyid: 'k' })
    const out = new Verifier({ algorithms: ['HS256'], key: keys.secret }).verify(token, { complete: true })
    expect(out.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k' })
    expect(out.payload.sub).toBe('u1')
    expect(out.signature).toBe(token.split('.')[2])
  })
})
