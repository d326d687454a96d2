'use strict'

// revocable/fastify through Fastify's inject: @fastify/jwt's surface and
// codes, revocation by a Guard (including one made by another process), the
// group slow path's fresh token, cookies, and hostile requests.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const Fastify = require('fastify')
const jwt = require('jsonwebtoken')
const revocable = require('..')
const fastifyJwt = require('../lib/fastify')
const { memoryStore } = require('./memory-store')
const { start, secret: syncSecret } = require('./helpers-sync')

const secret = 'a-fastify-test-secret-of-32-bytes!'
const openGuard = (extra = {}) => revocable.open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), ...extra })

/** An app the way @fastify/jwt's README writes one, with `authenticate` as its onRequest hook. */
async function app(pluginOptions, setup = () => {}) {
  const fastify = Fastify()
  await fastify.register(fastifyJwt, { authenticate: true, ...pluginOptions })
  setup(fastify)
  fastify.post('/login', async (request, reply) => ({ token: await reply.jwtSign({ sub: request.body?.sub ?? 'alice' }) }))
  fastify.get('/me', { onRequest: [fastify.authenticate] }, async (request) => request.user)
  await fastify.ready()
  return fastify
}

const me = (fastify, token, headers = {}) => fastify.inject({ url: '/me', headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers } })

describe('backed by a Guard', () => {
  let auth, fastify
  beforeAll(async () => {
    auth = await openGuard()
    fastify = await app({ guard: auth })
  })
  afterAll(async () => { await fastify.close(); await auth.close() })

  test('reply.jwtSign issues a Guard token; onRequest authenticate sets request.user', async () => {
    const { token } = (await fastify.inject({ method: 'POST', url: '/login', payload: { sub: 'alice' } })).json()
    expect(auth.verify(token).sub).toBe('alice')
    const res = await me(fastify, token)
    expect(res.statusCode).toBe(200)
    expect(res.json().sub).toBe('alice')
  })

  test('failures are @fastify/jwt\'s codes and statuses, with an RFC 6750 challenge', async () => {
    const none = await me(fastify, undefined)
    expect([none.statusCode, none.json().code, none.headers['www-authenticate']]).toEqual([401, 'FST_JWT_NO_AUTHORIZATION_IN_HEADER', 'Bearer'])
    const expired = jwt.sign({ sub: 'a', iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }, secret)
    expect((await me(fastify, expired)).json()).toMatchObject({ statusCode: 401, code: 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', message: 'Authorization token expired' })
    const forged = jwt.sign({ sub: 'a' }, 'another-secret-of-at-least-32-bytes!', { expiresIn: 60 })
    const bad = await me(fastify, forged)
    expect([bad.statusCode, bad.json().code, bad.headers['www-authenticate']]).toEqual([401, 'FST_JWT_AUTHORIZATION_TOKEN_INVALID', 'Bearer error="invalid_token"'])
    expect(bad.json().message).toMatch(/^Authorization token is invalid: /)
    const format = await fastify.inject({ url: '/me', headers: { authorization: 'Bearer a b' } })
    expect([format.statusCode, format.json().code]).toEqual([400, 'FST_JWT_BAD_REQUEST'])
  })

  test('a revoked token is untrusted (FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED), with its reason for the error handler', async () => {
    const token = auth.sign({ sub: 'bob' })
    expect((await me(fastify, token)).statusCode).toBe(200)
    await auth.revokeUser('bob')
    const res = await me(fastify, token)
    expect([res.statusCode, res.json().code]).toEqual([401, 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED'])
    const seen = []
    const handled = await app({ guard: auth }, (f) => f.setErrorHandler((err, request, reply) => { seen.push([err.code, err.reason]); reply.code(err.statusCode).send({ mine: true }) }))
    expect((await me(handled, token)).json()).toEqual({ mine: true })
    expect(seen).toEqual([['FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED', 'user']])
    await handled.close()
  })

  test('hostile tokens: unsigned, huge, garbage, are refused without reaching the routes', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"root"}').toString('base64url')}.`
    expect((await me(fastify, unsigned)).json().code).toBe('FAST_JWT_MISSING_SIGNATURE')
    expect((await me(fastify, 'a'.repeat(20_000))).json().code).toBe('FST_JWT_AUTHORIZATION_TOKEN_INVALID')
    for (const token of ['x.y.z', '....', '%00.%00.%00']) expect((await me(fastify, token)).statusCode).toBe(401)
  })

  test('fastify.jwt.verify and decode work on a token directly', async () => {
    const token = auth.sign({ sub: 'carol' })
    expect(fastify.jwt.verify(token).sub).toBe('carol')
    expect(fastify.jwt.decode(token).sub).toBe('carol')
    expect(fastify.jwt.decode(token, { complete: true }).header.alg).toBe('HS256')
    await auth.revokeUser('carol')
    expect(() => fastify.jwt.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED' }))
    expect(() => fastify.jwt.decode('nope')).toThrow(expect.objectContaining({ code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID' }))
  })

  test('verify options cannot be set beside a Guard', async () => {
    await expect(app({ guard: auth, verify: { allowedIss: 'x' } })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
    await expect(app({ guard: auth, nope: 1 })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
  })
})

describe('a revocation made by another instance', () => {
  let tmp
  beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-fastify-')) })
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  test('is refused here once it arrives through the shared store', async () => {
    const file = path.join(tmp, 'r.db')
    const name = `fastify_${process.pid}`
    const auth = await revocable.open({ algorithms: ['HS256'], secret: syncSecret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(file, { table: name, syncInterval: 10 }) })
    const fastify = await app({ guard: auth })
    const other = await start({ kind: 'sqlite', file, name, syncInterval: 10 })
    try {
      const token = auth.sign({ sub: 'dave' }, { clock: () => Date.now() - 1000 })
      expect((await me(fastify, token)).statusCode).toBe(200)
      const arrived = new Promise((resolve) => auth.on('synced', ({ records }) => { if (records.some((r) => r.key === 'dave')) resolve() }))
      await other.call('revokeUser', { sub: 'dave' })
      await arrived
      const res = await me(fastify, token)
      expect([res.statusCode, res.json().code]).toEqual([401, 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED'])
    } finally {
      await other.stop()
      await fastify.close()
      await auth.close()
    }
  })
})

describe('group slow path', () => {
  test('an older token than its group mark waits for check: a pass sends a fresh token, a refusal a 401', async () => {
    const live = new Set(['s1'])
    const auth = await openGuard({ groups: { count: 8, check: async (claims) => live.has(claims.sid) } })
    const fastify = await app({ guard: auth })
    const kept = auth.sign({ sub: 'erin', sid: 's1' }, { clock: () => Date.now() - 1000 })
    const ended = auth.sign({ sub: 'erin', sid: 's2' }, { clock: () => Date.now() - 1000 })
    // Issued a second before the mark; a fresh token is issued after it.
    await auth.markGroup('erin', { before: Date.now() - 500 })
    const passed = await me(fastify, kept)
    expect(passed.statusCode).toBe(200)
    const fresh = passed.headers['x-access-token']
    expect(auth.verify(fresh).sid).toBe('s1')
    expect(passed.headers['access-control-expose-headers']).toBe('x-access-token')
    const refused = await me(fastify, ended)
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED'])
    await fastify.close()
    await auth.close()
  })
})

describe('backed by a secret, like @fastify/jwt', () => {
  test('sign, verify, formatUser, decoratorName, trusted', async () => {
    const denied = new Set()
    const fastify = await app({
      secret, sign: { expiresIn: '10m' }, decoratorName: 'account', formatUser: (p) => ({ id: p.sub }),
      trusted: async (request, decoded) => !denied.has(decoded.sub),
    }, (f) => f.get('/account', { onRequest: [f.authenticate] }, async (request) => request.account))
    const token = fastify.jwt.sign({ sub: 'frank' })
    const claims = jwt.verify(token, secret)
    expect(claims.exp - Math.floor(claims.iat)).toBe(600)
    expect((await fastify.inject({ url: '/account', headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ id: 'frank' })
    denied.add('frank')
    expect((await fastify.inject({ url: '/account', headers: { authorization: `Bearer ${token}` } })).json().code).toBe('FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED')
    // A token without exp passes a bare verifier, as with @fastify/jwt.
    expect(fastify.jwt.verify(jwt.sign({ sub: 'g' }, secret)).sub).toBe('g')
    await fastify.close()
  })

  test('cookie tokens (plain and signed, through @fastify/cookie), namespaces, and credentials-optional mode', async () => {
    const fastify = Fastify()
    await fastify.register(require('@fastify/cookie'), { secret: 'cookie-signing-secret' })
    await fastify.register(fastifyJwt, { secret, cookie: { cookieName: 'token', signed: true }, namespace: 'app', credentialsRequired: false })
    fastify.get('/who', async (request) => ({ user: await request.appJwtVerify() }))
    await fastify.ready()
    const token = fastify.jwt.app.sign({ sub: 'gina' })
    const signed = fastify.signCookie(token)
    expect((await fastify.inject({ url: '/who', cookies: { token: signed } })).json().user.sub).toBe('gina')
    const tampered = await fastify.inject({ url: '/who', cookies: { token: `${token}.forged` } })
    expect([tampered.statusCode, tampered.json().code]).toEqual([401, 'FST_JWT_NO_AUTHORIZATION_IN_COOKIE'])
    expect((await fastify.inject({ url: '/who' })).json()).toEqual({ user: null })
    await fastify.close()
  })
})
