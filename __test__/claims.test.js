'use strict'

const { Verifier } = require('..')
const { NOW, nowS, craft, claims, keys, thrown } = require('./helpers')

const secret = keys.secret
const make = (opts = {}) => new Verifier({ algorithms: ['HS256'], key: secret, clock: () => NOW, ...opts })
const tok = (payload) => craft({ alg: 'HS256' }, payload, secret)
const fail = (v, payload) => thrown(() => v.verify(tok(payload)))

describe('exp', () => {
  const v = make()
  test('now >= exp is expired; one millisecond before is not', () => {
    expect(fail(v, claims({ exp: nowS })).code).toBe('ERR_JWT_EXPIRED')
    expect(v.verify(tok(claims({ exp: nowS + 0.001 }))).sub).toBe('u1')
  })

  test('expired errors carry expiredAt', () => {
    const err = fail(v, claims({ exp: nowS - 5 }))
    expect(err.expiredAt).toEqual(new Date((nowS - 5) * 1000))
    expect(err.claim).toBe('exp')
  })

  test('clockTolerance extends exp by that many seconds, as a number or a string', () => {
    for (const clockTolerance of [30, '30s']) {
      const lenient = make({ clockTolerance })
      expect(lenient.verify(tok(claims({ exp: nowS - 29 }))).sub).toBe('u1')
      expect(fail(lenient, claims({ exp: nowS - 30 })).code).toBe('ERR_JWT_EXPIRED')
    }
  })

  test('exp is required by default and can be made optional', () => {
    const payload = { sub: 'u1', iat: nowS }
    const err = fail(v, payload)
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'exp'])
    expect(make({ requiredClaims: [] }).verify(tok(payload)).sub).toBe('u1')
  })
})

describe('nbf and iat', () => {
  const v = make({ clockTolerance: 10 })
  test('nbf > now + tolerance is not yet valid; nbf = now + tolerance is', () => {
    const err = fail(v, claims({ nbf: nowS + 10.001 }))
    expect(err.code).toBe('ERR_JWT_NOT_BEFORE')
    expect(err.date).toEqual(new Date((nowS + 10.001) * 1000))
    expect(v.verify(tok(claims({ nbf: nowS + 10 }))).sub).toBe('u1')
  })

  test('iat more than tolerance + 1 s in the future is refused (it would outlive a cut-off)', () => {
    const err = fail(v, claims({ iat: nowS + 11.001 }))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'iat'])
    expect(err.message).toMatch(/future/)
    expect(v.verify(tok(claims({ iat: nowS + 11 }))).sub).toBe('u1')
  })
})

describe('maxAge', () => {
  test('now >= iat + maxAge + tolerance is ERR_JWT_MAX_AGE', () => {
    const v = make({ maxAge: '1m', clockTolerance: 5 })
    expect(fail(v, claims({ iat: nowS - 65 })).code).toBe('ERR_JWT_MAX_AGE')
    expect(v.verify(tok(claims({ iat: nowS - 64.999 }))).sub).toBe('u1')
  })

  test('maxAge needs iat', () => {
    const err = fail(make({ maxAge: 60 }), { sub: 'u1', exp: nowS + 60 })
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'iat'])
  })
})

describe('time claims must be finite JSON numbers', () => {
  test.each(['exp', 'nbf', 'iat'])('%s as a string, null, object, array or overflowing literal is ERR_JWT_CLAIM', (name) => {
    const v = make({ requiredClaims: [] })
    for (const bad of ['"1800000000"', 'null', '{}', '[1]', '1e400', 'true']) {
      const body = `{"sub":"u1","${name}":${bad}}`
      const err = thrown(() => v.verify(craft({ alg: 'HS256' }, body, secret)))
      expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', name])
    }
  })
})

describe('iss, aud, sub, jti, typ', () => {
  test('issuer: one of the accepted values, present and a string', () => {
    const v = make({ issuer: ['https://a', 'https://b'] })
    expect(v.verify(tok(claims({ iss: 'https://b' }))).iss).toBe('https://b')
    for (const payload of [claims({ iss: 'https://c' }), claims(), claims({ iss: ['https://a'] })]) {
      expect(fail(v, payload).claim).toBe('iss')
    }
  })

  test('audience: a string aud or any element of an array aud matches', () => {
    const v = make({ audience: 'web' })
    expect(v.verify(tok(claims({ aud: 'web' }))).aud).toBe('web')
    expect(v.verify(tok(claims({ aud: ['api', 'web'] }))).aud).toEqual(['api', 'web'])
    for (const payload of [claims({ aud: 'api' }), claims({ aud: [] }), claims(), claims({ aud: [1, 'web'] })]) {
      const err = fail(v, payload)
      expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'aud'])
    }
  })

  test('subject and jwtid must match exactly', () => {
    expect(fail(make({ subject: 'u2' }), claims()).claim).toBe('sub')
    expect(make({ subject: 'u1' }).verify(tok(claims())).sub).toBe('u1')
    expect(fail(make({ jwtid: 'j1' }), claims({ jti: 'j2' })).claim).toBe('jti')
    expect(make({ jwtid: 'j1' }).verify(tok(claims({ jti: 'j1' }))).jti).toBe('j1')
  })

  test('typ compares as a media type: case-insensitive, application/ optional', () => {
    const v = make({ typ: 'at+jwt' })
    expect(v.verify(craft({ alg: 'HS256', typ: 'application/AT+JWT' }, claims(), secret)).sub).toBe('u1')
    const err = thrown(() => v.verify(craft({ alg: 'HS256', typ: 'JWT' }, claims(), secret)))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'typ'])
  })

  test('requiredClaims names any claim', () => {
    const err = fail(make({ requiredClaims: ['exp', 'sid'] }), claims())
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'sid'])
  })
})

describe('the clock', () => {
  test('is read on every call, so fake timers apply', () => {
    jest.useFakeTimers()
    try {
      jest.setSystemTime(NOW)
      const v = new Verifier({ algorithms: ['HS256'], key: secret })
      const token = tok(claims({ exp: nowS + 60 }))
      expect(v.verify(token).sub).toBe('u1')
      jest.setSystemTime(NOW + 60_000)
      expect(thrown(() => v.verify(token)).code).toBe('ERR_JWT_EXPIRED')
    } finally {
      jest.useRealTimers()
    }
  })

  test('a clock returning NaN cannot make expired tokens pass', () => {
    const v = make({ clock: () => NaN })
    expect(thrown(() => v.verify(tok(claims({ exp: nowS - 100 })))).code).toBe('ERR_JWT_INVALID_OPTION')
  })
})
