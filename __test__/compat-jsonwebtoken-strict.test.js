'use strict'

// revocable/jsonwebtoken: where it is stricter than jsonwebtoken 9 (each
// refusal keeps a jsonwebtoken message and class), the key cache, decode and sign.
const crypto = require('node:crypto')
const jwt = require('../lib/compat/jsonwebtoken')
const real = require('jsonwebtoken')
const { cachedKeys, keyEntry, MAX_KEYS } = require('../lib/compat/jwt-keys')
const { keys, craft, thrown } = require('./helpers')

const SECRET = keys.secret

function outcomeOf(lib, token, key) {
  try {
    lib.verify(token, key)
    return 'accepted'
  } catch (err) {
    return `${err.name}: ${err.message}`
  }
}

describe('refusals jsonwebtoken 9 does not make', () => {
  const refusals = [
    ['a crit header it cannot honour', craft({ alg: 'HS256', crit: ['x'], x: 1 }, { a: 1 }, SECRET), SECRET, 'invalid token', 'ERR_JWT_CRIT'],
    ['invalid UTF-8 in the payload', craft({ alg: 'HS256' }, Buffer.from('{"a":"\xff"}', 'latin1'), SECRET), SECRET, 'jwt malformed', 'ERR_JWT_MALFORMED'],
    ['a duplicated claim name', craft({ alg: 'HS256' }, '{"sub":"a","sub":"b"}', SECRET), SECRET, 'jwt malformed', 'ERR_JWT_MALFORMED'],
    ['a string payload', craft({ alg: 'HS256' }, 'hello', SECRET), SECRET, 'jwt malformed', 'ERR_JWT_MALFORMED'],
    ['an array payload', craft({ alg: 'HS256' }, '[1]', SECRET), SECRET, 'jwt malformed', 'ERR_JWT_MALFORMED'],
    ['a token over 16 KiB', craft({ alg: 'HS256' }, { pad: 'x'.repeat(17000) }, SECRET), SECRET, 'jwt malformed', 'ERR_JWT_TOO_LARGE'],
    ['a non-string iss', craft({ alg: 'HS256' }, { iss: 5 }, SECRET), SECRET, 'invalid token', 'ERR_JWT_CLAIM'],
    ['a non-number iat', craft({ alg: 'HS256' }, { iat: 'x' }, SECRET), SECRET, 'invalid iat value', 'ERR_JWT_CLAIM'],
    ['an RSA key under 2048 bits', craft({ alg: 'RS256' }, { a: 1 }, keys.rsa1024.privateKey), keys.rsa1024.publicKey,
      'secretOrPublicKey has a minimum key size of 2048 bits for RS256', 'ERR_JWT_KEY'],
  ]

  it.each(refusals)('%s: jsonwebtoken accepts it, revocable refuses with a JsonWebTokenError', (_, token, key, message, code) => {
    expect(() => real.verify(token, key)).not.toThrow()
    const err = thrown(() => jwt.verify(token, key))
    expect(err).toBeInstanceOf(jwt.JsonWebTokenError)
    expect(err).toMatchObject({ name: 'JsonWebTokenError', message, code })
  })

  it('a damaged signature is an invalid signature, also where jsonwebtoken throws a TypeError', () => {
    const hs = jwt.sign({ a: 1 }, SECRET)
    // 32 bytes in 43 characters: the last one carries 2 unused bits, and setting one
    // gives a second spelling of the same bytes, which the addon refuses to decode.
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const nonCanonical = hs.slice(0, -1) + B64URL[B64URL.indexOf(hs[hs.length - 1]) ^ 1]
    expect(Buffer.from(nonCanonical.split('.')[2], 'base64url')).toEqual(Buffer.from(hs.split('.')[2], 'base64url'))
    expect(outcomeOf(real, nonCanonical, SECRET)).toBe('JsonWebTokenError: invalid signature')
    expect(outcomeOf(jwt, nonCanonical, SECRET)).toBe('JsonWebTokenError: invalid signature')
    const es = jwt.sign({ a: 1 }, keys.p256.privateKey, { algorithm: 'ES256' })
    const short = es.slice(0, -3)
    expect(outcomeOf(real, short, keys.p256.publicKey)).toMatch(/^TypeError: "ES256" signatures must be "64" bytes/)
    expect(outcomeOf(jwt, short, keys.p256.publicKey)).toBe('JsonWebTokenError: invalid signature')
  })

  it('a mistyped exp ignored by ignoreExpiration is still refused', () => {
    const token = craft({ alg: 'HS256' }, { exp: 'soon' }, SECRET)
    expect(real.verify(token, SECRET, { ignoreExpiration: true })).toEqual({ exp: 'soon' })
    expect(thrown(() => jwt.verify(token, SECRET, { ignoreExpiration: true })).message).toBe('invalid exp value')
  })

  it('never accepts an unsigned token, even with algorithms: ["none"]', () => {
    const unsigned = real.sign({ a: 1 }, null, { algorithm: 'none' })
    expect(real.verify(unsigned, null, { algorithms: ['none'] })).toMatchObject({ a: 1 })
    expect(thrown(() => jwt.verify(unsigned, null, { algorithms: ['none'] })).message).toBe('jwt signature is required')
    expect(thrown(() => jwt.verify(unsigned, null)).message).toBe('please specify "none" in "algorithms" to verify unsigned tokens')
    const signedNone = `${unsigned}c2ln`
    expect(thrown(() => jwt.verify(signedNone, SECRET, { algorithms: ['none'] })).message).toBe('invalid algorithm')
  })
})

describe('keys and algorithms', () => {
  it('derives the allowed algorithms from the key type, as jsonwebtoken does', () => {
    const rs = jwt.sign({}, keys.rsa.privateKey, { algorithm: 'PS384' })
    const es = jwt.sign({}, keys.p256.privateKey, { algorithm: 'ES256' })
    expect(jwt.verify(rs, keys.rsa.publicKey)).toHaveProperty('iat')
    expect(jwt.verify(es, keys.p256.publicKey)).toHaveProperty('iat')
    expect(thrown(() => jwt.verify(es, SECRET)).message).toBe('invalid algorithm')
  })

  it('verifies EdDSA (jsonwebtoken 9 cannot)', () => {
    const token = jwt.sign({ sub: 'u1' }, keys.ed.privateKey, { algorithm: 'EdDSA' })
    expect(jwt.verify(token, keys.ed.publicKey).sub).toBe('u1')
    expect(() => real.verify(token, keys.ed.publicKey, { algorithms: ['EdDSA'] })).toThrow('Unknown key type "ed25519".')
  })

  it('checks the key against the algorithm with jsonwebtoken messages', () => {
    const es = jwt.sign({}, keys.p256.privateKey, { algorithm: 'ES256' })
    expect(thrown(() => jwt.verify(es, keys.p384.publicKey, { algorithms: ['ES256'] })).message)
      .toBe('"alg" parameter "ES256" requires curve "prime256v1".')
    expect(thrown(() => jwt.verify(es, 'not a key', { algorithms: ['ES256'] })).message)
      .toBe('secretOrPublicKey must be an asymmetric key when using ES256')
  })

  it('accepts PEM strings, Buffers, certificates of the key and KeyObjects alike', () => {
    const token = jwt.sign({ a: 1 }, keys.rsa.privateKey, { algorithm: 'RS256' })
    const pem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' })
    for (const key of [pem, Buffer.from(pem), keys.rsa.publicKey, keys.rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })]) {
      expect(jwt.verify(token, key).a).toBe(1)
    }
  })

  it('parses a string secret once and keeps a bounded number of keys', () => {
    const token = jwt.sign({}, 'cache-probe-secret')
    const before = cachedKeys()
    jwt.verify(token, 'cache-probe-secret')
    expect(cachedKeys()).toBe(before + 1)
    const entry = keyEntry('cache-probe-secret')
    jwt.verify(token, 'cache-probe-secret')
    expect(cachedKeys()).toBe(before + 1)
    expect(keyEntry('cache-probe-secret')).toBe(entry)
    expect(entry.natives.size).toBe(1)
    for (let i = 0; i < MAX_KEYS + 20; i++) thrown(() => jwt.verify(token, `other-secret-${i}`))
    expect(cachedKeys()).toBe(MAX_KEYS)
  })

  it('treats a Buffer secret by its content, so changing it changes the key', () => {
    const secret = Buffer.from('buffer-secret-one')
    const token = jwt.sign({}, Buffer.from(secret))
    expect(jwt.verify(token, secret)).toHaveProperty('iat')
    secret.write('X')
    expect(thrown(() => jwt.verify(token, secret)).message).toBe('invalid signature')
  })
})

describe('repeated tokens', () => {
  const { rememberedTokens, MAX_TOKENS } = require('../lib/compat/verified-tokens')

  it('skip the native call but give fresh objects and re-check claims and keys every time', () => {
    const token = jwt.sign({ sub: 'u1', roles: ['a'], exp: 1_700_000_100 }, SECRET, { noTimestamp: true })
    const first = jwt.verify(token, SECRET, { clockTimestamp: 1_700_000_000 })
    first.roles.push('admin')
    const again = jwt.verify(token, SECRET, { clockTimestamp: 1_700_000_000, complete: true })
    expect(again.payload).toEqual({ sub: 'u1', roles: ['a'], exp: 1_700_000_100 })
    expect(again.header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(thrown(() => jwt.verify(token, SECRET, { clockTimestamp: 1_700_000_100 })).message).toBe('jwt expired')
    expect(thrown(() => jwt.verify(token, SECRET, { audience: 'x', clockTimestamp: 1_700_000_000 })).message).toBe('jwt audience invalid. expected: x')
    expect(thrown(() => jwt.verify(token, 'another secret', { clockTimestamp: 1_700_000_000 })).message).toBe('invalid signature')
    expect(thrown(() => jwt.verify(token, SECRET, { algorithms: ['HS384'], clockTimestamp: 1_700_000_000 })).message).toBe('invalid algorithm')
  })

  it('are kept up to a bound', () => {
    for (let i = 0; i < MAX_TOKENS + 10; i++) jwt.verify(jwt.sign({ i }, SECRET), SECRET)
    expect(rememberedTokens()).toBe(MAX_TOKENS)
  })
})

describe('decode', () => {
  it('returns what jsonwebtoken returns, verifying nothing', () => {
    const token = real.sign({ a: 1 }, 'whatever', { keyid: 'k' })
    const result = (lib, input, options) => {
      try {
        return lib.decode(input, options)
      } catch (err) {
        return `${err.name}: ${err.message}`
      }
    }
    const head = (header) => Buffer.from(JSON.stringify(header)).toString('base64url')
    const inputs = [token, 'a.b', 'null', 42, `${head({ alg: 'HS256' })}.aGVsbG8.`, `${head({ typ: 'JWT' })}.aGVsbG8.`]
    for (const input of inputs) {
      expect(result(jwt, input)).toEqual(result(real, input))
      expect(result(jwt, input, { complete: true })).toEqual(result(real, input, { complete: true }))
    }
    expect(result(jwt, inputs[5])).toMatch(/^SyntaxError/)
  })
})

describe('sign', () => {
  afterEach(() => jest.useRealTimers())

  it('makes the same token as jsonwebtoken for the same input and time', () => {
    jest.useFakeTimers({ now: 1_700_000_000_500 })
    const options = { expiresIn: '1h', notBefore: 5, audience: ['a', 'b'], issuer: 'i', subject: 's', jwtid: 'j', keyid: 'k', header: { x: 1 } }
    expect(jwt.sign({ role: 'admin' }, SECRET, options)).toBe(real.sign({ role: 'admin' }, SECRET, options))
    expect(jwt.sign('text', SECRET)).toBe(real.sign('text', SECRET))
    expect(jwt.sign({ a: 1 }, SECRET, { noTimestamp: true, algorithm: 'HS512' })).toBe(real.sign({ a: 1 }, SECRET, { noTimestamp: true, algorithm: 'HS512' }))
  })

  it('gives jsonwebtoken messages for bad input', () => {
    const message = (fn) => thrown(fn).message
    expect(message(() => jwt.sign({}, SECRET, { expiresIn: 1.5 }))).toBe('"expiresIn" should be a number of seconds or string representing a timespan')
    expect(message(() => jwt.sign({ exp: 1 }, SECRET, { expiresIn: 1 }))).toBe('Bad "options.expiresIn" option the payload already has an "exp" property.')
    expect(message(() => jwt.sign('text', SECRET, { issuer: 'i' }))).toBe('invalid issuer option for string payload')
    expect(message(() => jwt.sign({}, SECRET, { colour: 'red' }))).toBe('"colour" is not allowed in "options"')
    expect(message(() => jwt.sign({}, ''))).toBe('secretOrPrivateKey must have a value')
    expect(message(() => jwt.sign({}, keys.rsa1024.privateKey, { algorithm: 'RS256' }))).toBe('secretOrPrivateKey has a minimum key size of 2048 bits for RS256')
  })

  it('mutates the payload only with mutatePayload', () => {
    const payload = { a: 1 }
    jwt.sign(payload, SECRET, { expiresIn: 60 })
    expect(payload).toEqual({ a: 1 })
    jwt.sign(payload, SECRET, { expiresIn: 60, mutatePayload: true })
    expect(payload).toHaveProperty('exp')
  })

  it('calls back asynchronously with the token, and at once with an error', (done) => {
    let sync = true
    jwt.sign({ a: 1 }, SECRET, (err, token) => {
      expect(sync).toBe(false)
      expect(err).toBeNull()
      expect(jwt.verify(token, SECRET).a).toBe(1)
      jwt.sign({ a: 1 }, SECRET, { expiresIn: [] }, (err2) => {
        expect(err2.message).toMatch('"expiresIn" should be a number of seconds')
        done()
      })
    })
    sync = false
  })

  it('signs every asymmetric family so that jsonwebtoken verifies it', () => {
    for (const [alg, pair] of [['RS256', keys.rsa], ['PS512', keys.rsa], ['ES384', keys.p384], ['ES512', keys.p521]]) {
      const token = jwt.sign({ alg }, pair.privateKey, { algorithm: alg })
      expect(real.verify(token, pair.publicKey).alg).toBe(alg)
    }
    const weak = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
    const token = jwt.sign({ a: 1 }, weak.privateKey, { algorithm: 'RS256', allowInsecureKeySizes: true })
    expect(real.verify(token, weak.publicKey).a).toBe(1)
  })
})
