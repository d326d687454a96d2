'use strict'

// revocable/jsonwebtoken verify and decode: jsonwebtoken 9's behaviour (checked
// side by side with the real jsonwebtoken), and the refusals where revocable is stricter.
const jwt = require('../lib/compat/jsonwebtoken')
const real = require('jsonwebtoken')
const { keys, thrown } = require('./helpers')

const SECRET = keys.secret
const T0 = 1_700_000_000 // seconds

/** What verify gives: the payload, or the error's class name, message and code. */
function outcome(lib, token, key, options) {
  try {
    return { payload: lib.verify(token, key, options) }
  } catch (err) {
    return { name: err.name, message: err.message }
  }
}

describe('verify, side by side with jsonwebtoken 9', () => {
  const token = real.sign({ sub: 'u1', aud: ['web', 'app'], iss: 'https://id', jti: 'j1', nonce: 'n1', iat: T0, nbf: T0, exp: T0 + 60 }, SECRET)
  const at = (clockTimestamp, extra) => ({ clockTimestamp, ...extra })
  const cases = [
    ['a valid token', SECRET, at(T0 + 1)],
    ['a wrong secret', 'another secret', at(T0 + 1)],
    ['an expired token', SECRET, at(T0 + 60)],
    ['expiry inside clockTolerance', SECRET, at(T0 + 60, { clockTolerance: 1 })],
    ['ignoreExpiration', SECRET, at(T0 + 999, { ignoreExpiration: true })],
    ['a token not yet active', SECRET, at(T0 - 1)],
    ['ignoreNotBefore', SECRET, at(T0 - 1, { ignoreNotBefore: true })],
    ['an audience string', SECRET, at(T0 + 1, { audience: 'app' })],
    ['an audience RegExp', SECRET, at(T0 + 1, { audience: /^we/ })],
    ['a wrong audience list', SECRET, at(T0 + 1, { audience: ['x', /^y/] })],
    ['a wrong issuer list', SECRET, at(T0 + 1, { issuer: ['a', 'b'] })],
    ['a wrong subject', SECRET, at(T0 + 1, { subject: 'u2' })],
    ['a wrong jwtid', SECRET, at(T0 + 1, { jwtid: 'j2' })],
    ['a wrong nonce', SECRET, at(T0 + 1, { nonce: 'n2' })],
    ['maxAge as a duration string', SECRET, at(T0 + 30, { maxAge: '20s' })],
    ['maxAge in seconds, within', SECRET, at(T0 + 30, { maxAge: 40 })],
    ['an unreadable maxAge', SECRET, at(T0 + 1, { maxAge: 'soon' })],
    ['expired and a wrong audience (exp is checked first)', SECRET, at(T0 + 99, { audience: 'x' })],
    ['an algorithm outside the list', SECRET, at(T0 + 1, { algorithms: ['HS512'] })],
    ['an RSA key for an HS256 token', keys.rsa.publicKey, at(T0 + 1, { algorithms: ['HS256'] })],
    ['a clockTimestamp that is not a number', SECRET, { clockTimestamp: 'now' }],
    ['an empty nonce', SECRET, { nonce: ' ' }],
    ['a non-boolean allowInvalidAsymmetricKeyTypes', SECRET, { allowInvalidAsymmetricKeyTypes: 'yes' }],
    ['an object that is no key', { kty: 'oct' }, at(T0 + 1)],
    ['no key at all', undefined, at(T0 + 1)],
  ]

  it.each(cases)('%s: same result and message', (_, key, options) => {
    expect(outcome(jwt, token, key, options)).toEqual(outcome(real, token, key, options))
  })

  it.each([
    ['no token', ''],
    ['not a string', 42],
    ['two segments', 'a.b'],
    ['not a JWS', 'a.b.c'],
    ['no signature, with a key', token.slice(0, token.lastIndexOf('.') + 1)],
  ])('%s: same error', (_, bad) => {
    expect(outcome(jwt, bad, SECRET)).toEqual(outcome(real, bad, SECRET))
    expect(outcome(jwt, bad, SECRET).name).toBe('JsonWebTokenError')
  })
})

describe('errors', () => {
  it('TokenExpiredError carries expiredAt and is a JsonWebTokenError', () => {
    const token = jwt.sign({ exp: T0 }, SECRET, { noTimestamp: true })
    const err = thrown(() => jwt.verify(token, SECRET, { clockTimestamp: T0 + 5 }))
    expect(err).toBeInstanceOf(jwt.TokenExpiredError)
    expect(err).toBeInstanceOf(jwt.JsonWebTokenError)
    expect(err).toMatchObject({ name: 'TokenExpiredError', message: 'jwt expired', code: 'ERR_JWT_EXPIRED' })
    expect(err.expiredAt).toEqual(new Date(T0 * 1000))
  })

  it('NotBeforeError carries date', () => {
    const token = jwt.sign({ nbf: T0 + 10 }, SECRET)
    const err = thrown(() => jwt.verify(token, SECRET, { clockTimestamp: T0 }))
    expect(err).toBeInstanceOf(jwt.NotBeforeError)
    expect(err).toMatchObject({ name: 'NotBeforeError', message: 'jwt not active', date: new Date((T0 + 10) * 1000) })
  })

  it('maxAge exceeded is a TokenExpiredError dated iat + maxAge', () => {
    const token = jwt.sign({ iat: T0 }, SECRET)
    const err = thrown(() => jwt.verify(token, SECRET, { clockTimestamp: T0 + 61, maxAge: '1m' }))
    expect(err).toMatchObject({ name: 'TokenExpiredError', message: 'maxAge exceeded', code: 'ERR_JWT_MAX_AGE' })
    expect(err.expiredAt).toEqual(new Date((T0 + 60) * 1000))
  })

  it('a refused signature keeps the native error as inner', () => {
    const err = thrown(() => jwt.verify(jwt.sign({}, SECRET), 'not the secret'))
    expect(err).toMatchObject({ message: 'invalid signature', code: 'ERR_JWT_SIGNATURE' })
    expect(err.inner.code).toBe('ERR_JWT_SIGNATURE')
  })
})

describe('callback and getKey forms', () => {
  const token = jwt.sign({ sub: 'u1' }, SECRET, { keyid: 'k1' })

  it('passes the payload to the callback', (done) => {
    jwt.verify(token, SECRET, (err, payload) => {
      expect(err).toBeNull()
      expect(payload.sub).toBe('u1')
      done()
    })
  })

  it('asks getKey with the header, also when it answers later', (done) => {
    const getKey = (header, cb) => setImmediate(() => cb(null, header.kid === 'k1' ? SECRET : 'other'))
    jwt.verify(token, getKey, { complete: true }, (err, decoded) => {
      expect(err).toBeNull()
      expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
      expect(decoded.payload.sub).toBe('u1')
      expect(decoded.signature).toBe(token.split('.')[2])
      done()
    })
  })

  it('reports a getKey failure in jsonwebtoken words', (done) => {
    jwt.verify(token, (header, cb) => cb(new Error('no such kid')), (err, payload) => {
      expect(err).toMatchObject({ name: 'JsonWebTokenError', message: 'error in secret or public key callback: no such kid' })
      expect(payload).toBeUndefined()
      done()
    })
  })

  it('refuses getKey without a callback', () => {
    expect(thrown(() => jwt.verify(token, (h, cb) => cb(null, SECRET))).message)
      .toBe('verify must be called asynchronous if secret or public key is provided as a callback')
  })

  it('does not mutate the options object', () => {
    const options = { audience: 'x', ignoreExpiration: false }
    thrown(() => jwt.verify(token, SECRET, options))
    expect(options).toEqual({ audience: 'x', ignoreExpiration: false })
  })
})

describe('the clock', () => {
  afterEach(() => jest.useRealTimers())

  it('reads Date.now on every call, so fake timers move it', () => {
    jest.useFakeTimers({ now: T0 * 1000 })
    const token = jwt.sign({}, SECRET, { expiresIn: 10 })
    expect(jwt.decode(token)).toEqual({ iat: T0, exp: T0 + 10 })
    expect(jwt.verify(token, SECRET).exp).toBe(T0 + 10)
    jest.setSystemTime((T0 + 10) * 1000)
    expect(thrown(() => jwt.verify(token, SECRET)).message).toBe('jwt expired')
  })

  it('clockTimestamp replaces the clock', () => {
    jest.useFakeTimers({ now: T0 * 1000 })
    const token = jwt.sign({}, SECRET, { expiresIn: 10 })
    expect(thrown(() => jwt.verify(token, SECRET, { clockTimestamp: T0 + 11 })).name).toBe('TokenExpiredError')
    expect(jwt.verify(token, SECRET, { clockTimestamp: T0 + 9 }).iat).toBe(T0)
  })
})
