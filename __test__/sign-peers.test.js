'use strict'

// Tokens from revocable's sign (keys parsed once into native signers, the
// default header encoded once) checked by the peers: jsonwebtoken in process,
// jose (ESM only) in one child process. Every key form takes the same path.

const { execFileSync } = require('node:child_process')
const jsonwebtoken = require('jsonwebtoken')
const { sign, decode } = require('..')
const { NOW, nowS, keys, pairFor, ALGORITHMS, thrown } = require('./helpers')

const clock = () => NOW + 123
const pem = (k) => k.export({ type: 'pkcs8', format: 'pem' })

/** Every form a signing key comes in, for `alg`: [label, private key, public key]. */
function forms(alg) {
  const { privateKey, publicKey } = pairFor(alg)
  if (alg.startsWith('HS')) return [['string', keys.secret, keys.secret], ['Buffer', Buffer.from(keys.secret), keys.secret]]
  return [['KeyObject', privateKey, publicKey], ['PEM string', pem(privateKey), publicKey], ['PEM Buffer', Buffer.from(pem(privateKey)), publicKey]]
}

/** [alg, label, token, public key] for every algorithm, key form and header path. */
function tokens() {
  const out = []
  for (const alg of ALGORITHMS) {
    for (const [label, key, pub] of forms(alg)) {
      const plain = sign({ sub: 'u1', n: 1 }, key, { algorithm: alg, expiresIn: 60, clock })
      const custom = sign({ sub: 'u1', n: 2 }, key, { algorithm: alg, expiresIn: '1m', keyid: 'k1', header: { cty: 'x' }, clock })
      out.push([alg, `${label}, default header`, plain, pub], [alg, `${label}, kid and header`, custom, pub])
    }
  }
  return out
}

const all = tokens()
const publicPem = (pub) => (typeof pub === 'string' ? pub : pub.export({ type: 'spki', format: 'pem' }))

describe('sign, checked by the peers', () => {
  test.each(all.filter(([alg]) => alg !== 'EdDSA'))('jsonwebtoken verifies %s (%s)', (alg, _label, token, pub) => {
    const out = jsonwebtoken.verify(token, pub, { algorithms: [alg], clockTimestamp: nowS, complete: true })
    expect(out.payload).toMatchObject({ sub: 'u1', iat: nowS + 0.123, exp: nowS + 60 })
    expect(out.header.alg).toBe(alg)
    expect(out.header.typ).toBe('JWT')
  })

  test('jose verifies every algorithm and key form', () => {
    const input = JSON.stringify(all.map(([alg, label, token, pub]) => ({ alg, label, token, key: publicPem(pub) })))
    const script = `
      import * as jose from 'jose'
      const list = JSON.parse(await new Response(process.stdin).text())
      const out = []
      for (const { alg, label, token, key } of list) {
        const k = alg.startsWith('HS') ? new TextEncoder().encode(key) : await jose.importSPKI(key, alg)
        try {
          const { payload, protectedHeader } = await jose.jwtVerify(token, k, { algorithms: [alg], currentDate: new Date(${NOW}) })
          out.push([alg, label, payload.sub, protectedHeader.alg])
        } catch (err) { out.push([alg, label, err.code]) }
      }
      console.log(JSON.stringify(out))`
    const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input, cwd: __dirname }))
    expect(result).toEqual(all.map(([alg, label]) => [alg, label, 'u1', alg]))
  })

  test('the default header is exactly what an explicit one would give', () => {
    const a = sign({ sub: 'u1', jti: 'j', iat: 5 }, keys.secret, { clock })
    const b = sign({ sub: 'u1', jti: 'j', iat: 5 }, keys.secret, { clock, header: {} })
    expect(a).toBe(b)
    expect(decode(a, { complete: true }).header).toEqual({ alg: 'HS256', typ: 'JWT' })
  })

  test('one secret cached under several algorithms signs each with its own', () => {
    for (const alg of ['HS256', 'HS384', 'HS512', 'HS256']) {
      const token = sign({ sub: 'u1' }, keys.secret, { algorithm: alg, expiresIn: 60, clock })
      expect(decode(token, { complete: true }).header.alg).toBe(alg)
      expect(jsonwebtoken.verify(token, keys.secret, { algorithms: [alg], clockTimestamp: nowS }).sub).toBe('u1')
    }
  })

  test('a bad duration or algorithm throws on every call, not only the first', () => {
    for (let i = 0; i < 2; i++) {
      expect(thrown(() => sign({}, keys.secret, { expiresIn: 'soon' })).code).toBe('ERR_JWT_INVALID_OPTION')
      expect(thrown(() => sign({}, keys.secret, { algorithm: '__proto__' })).code).toBe('ERR_JWT_INVALID_OPTION')
      expect(thrown(() => sign({}, keys.secret, { algorithm: 'toString' })).code).toBe('ERR_JWT_INVALID_OPTION')
    }
  })

  test('a changed Buffer key is read again, never served from a cache', () => {
    const secret = Buffer.from('first-secret-of-at-least-32-bytes!!')
    sign({ sub: 'u1' }, secret, { expiresIn: 60 })
    secret.write('second')
    const token = sign({ sub: 'u1' }, secret, { expiresIn: 60, clock })
    expect(jsonwebtoken.verify(token, secret, { algorithms: ['HS256'], clockTimestamp: nowS }).sub).toBe('u1')
  })
})

describe('sign, claims as given', () => {
  test('a claim named __proto__ is kept as a claim, not taken as a prototype', () => {
    const claims = JSON.parse('{"sub":"u1","__proto__":{"admin":true}}')
    const out = decode(sign(claims, keys.secret, { expiresIn: 60, clock }))
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(out.admin).toBeUndefined()
    expect(out.sub).toBe('u1')
  })

  test('members keep the caller order, what sign adds comes after them', () => {
    const token = sign({ b: 1, a: 2 }, keys.secret, { issuer: 'i', expiresIn: 60, clock })
    expect(Object.keys(decode(token))).toEqual(['b', 'a', 'iat', 'jti', 'iss', 'exp'])
  })
})

describe('a Guard signs with the key it opened with', () => {
  const { open, stores } = require('..')
  const guard = (options) => open({ maxTokenLifetime: '1h', store: stores.sqlite(':memory:'), clock: () => NOW, ...options })

  test('a Buffer secret is copied at open: changing the caller\'s bytes later changes nothing', async () => {
    const secret = Buffer.from('a-buffer-secret-of-at-least-32-bytes')
    const auth = await guard({ algorithms: ['HS256'], secret })
    const first = auth.sign({ sub: 'u1' })
    secret.fill(0x41)
    const second = auth.sign({ sub: 'u2' })
    for (const [token, sub] of [[first, 'u1'], [second, 'u2']]) {
      expect(auth.verify(token).sub).toBe(sub)
      expect(jsonwebtoken.verify(token, 'a-buffer-secret-of-at-least-32-bytes', { algorithms: ['HS256'], clockTimestamp: nowS }).sub).toBe(sub)
    }
    await auth.close()
  })

  test('a PEM private key given as a Buffer signs tokens its public key verifies', async () => {
    const auth = await guard({ algorithms: ['ES256'], key: keys.p256.publicKey, signingKey: Buffer.from(pem(keys.p256.privateKey)) })
    const token = auth.sign({ sub: 'u1' })
    expect(auth.verify(token).sub).toBe('u1')
    expect(jsonwebtoken.verify(token, keys.p256.publicKey, { algorithms: ['ES256'], clockTimestamp: nowS }).sub).toBe('u1')
    await auth.close()
  })

  test('a signing key that cannot sign is still refused when signing, with the usual code', async () => {
    const auth = await guard({ algorithms: ['ES256'], key: keys.p256.publicKey, signingKey: Buffer.from(publicPem(keys.p256.publicKey)), refresh: false })
    expect(thrown(() => auth.sign({ sub: 'u1' })).code).toBe('ERR_JWT_KEY')
    await auth.close()
  })
})
