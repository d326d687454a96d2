'use strict'

// revocable/passport-jwt behind real passport and Express (supertest): the
// passport-jwt surface with revocable's jsonwebtoken drop-in, and the
// `guard` option (a revoked token fails before verify; a revocation made by
// another process; the group slow path's fresh token). passport-jwt's own
// suite runs against this drop-in outside the repository (README).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const express = require('express')
const request = require('supertest')
const { Passport } = require('passport')
const jsonwebtoken = require('jsonwebtoken')
const revocable = require('..')
const { Strategy, ExtractJwt } = require('../lib/compat/passport-jwt')
const { memoryStore } = require('./memory-store')
const { start, secret: syncSecret } = require('./helpers-sync')

const secret = 'a-passport-test-secret-of-32-bytes!'
const openGuard = (extra = {}) => revocable.open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), ...extra })

/** An app whose /me answers the user, or passport's failure (`info`) as { message, code, reason }. */
function app(options, verify = (payload, done) => done(null, { id: payload.sub })) {
  const passport = new Passport()
  const calls = []
  passport.use(new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ...options }, (...args) => {
    calls.push(args.length === 3 ? args[1] : args[0])
    verify(...args)
  }))
  const server = express()
  server.get('/me', (req, res, next) => passport.authenticate('jwt', { session: false }, (err, user, info) => {
    if (err) return next(err)
    if (!user) return res.status(401).json({ message: info?.message, code: info?.code, reason: info?.reason })
    res.json(user)
  })(req, res, next))
  return { server, calls }
}
const get = (server, token) => request(server).get('/me').set(token === undefined ? {} : { Authorization: `Bearer ${token}` })

describe('with secretOrKey, like passport-jwt', () => {
  test('a valid token reaches verify; failures carry jsonwebtoken\'s messages', async () => {
    const { server, calls } = app({ secretOrKey: secret, issuer: 'me' })
    await get(server, jsonwebtoken.sign({ sub: 'u1', iss: 'me' }, secret, { expiresIn: 60 })).expect(200, { id: 'u1' })
    expect((await get(server)).body.message).toBe('No auth token')
    expect((await get(server, jsonwebtoken.sign({ sub: 'u1', iss: 'me' }, 'another-secret-of-at-least-32-bytes!!'))).body.message).toBe('invalid signature')
    expect((await get(server, jsonwebtoken.sign({ sub: 'u1', iss: 'me', exp: 1 }, secret))).body.message).toBe('jwt expired')
    expect((await get(server, jsonwebtoken.sign({ sub: 'u1', iss: 'you' }, secret))).body.message).toMatch(/^jwt issuer invalid/)
    expect((await get(server, 'a'.repeat(12_000))).body.message).toBe('jwt malformed')
    expect(calls.length).toBe(1)
  })

  test('secretOrKeyProvider, passReqToCallback, a verify that refuses or throws', async () => {
    const { server } = app({
      secretOrKeyProvider: (req, raw, done) => done(null, secret),
      passReqToCallback: true,
    }, (req, payload, done) => (payload.sub === 'boom' ? done(new Error('db down')) : done(null, payload.sub === 'nobody' ? false : { id: payload.sub, path: req.path })))
    await get(server, jsonwebtoken.sign({ sub: 'u2' }, secret)).expect(200, { id: 'u2', path: '/me' })
    await get(server, jsonwebtoken.sign({ sub: 'nobody' }, secret)).expect(401)
    await get(server, jsonwebtoken.sign({ sub: 'boom' }, secret)).expect(500)
  })

  test('the constructor refuses what passport-jwt refuses, with the same TypeErrors', () => {
    expect(() => new Strategy({ jwtFromRequest: () => null }, () => {})).toThrow('JwtStrategy requires a secret or key')
    expect(() => new Strategy({ jwtFromRequest: () => null, secretOrKey: 's' })).toThrow('JwtStrategy requires a verify callback')
    expect(() => new Strategy({ secretOrKey: 's' }, () => {})).toThrow('JwtStrategy requires a function to retrieve jwt')
  })
})

describe('with a Guard', () => {
  let auth
  beforeAll(async () => { auth = await openGuard() })
  afterAll(() => auth.close())

  test('a revoked token fails before verify is called, with its code and reason', async () => {
    const { server, calls } = app({ guard: auth })
    const token = auth.sign({ sub: 'alice' })
    await get(server, token).expect(200, { id: 'alice' })
    await auth.revokeUser('alice')
    const res = await get(server, token).expect(401)
    expect(res.body).toEqual({ message: 'jwt revoked', code: 'ERR_JWT_REVOKED', reason: 'user' })
    expect(calls.length).toBe(1)
    expect((await get(server, auth.sign({ sub: 'bob' }).slice(0, -3) + 'AAA')).body).toMatchObject({ message: 'invalid signature', code: 'ERR_JWT_SIGNATURE' })
  })

  test('options the Guard already holds are refused beside it', () => {
    for (const extra of [{ secretOrKey: secret }, { issuer: 'x' }, { algorithms: ['HS256'] }, { jsonWebTokenOptions: {} }]) {
      expect(() => new Strategy({ guard: auth, jwtFromRequest: () => null, ...extra }, () => {})).toThrow(TypeError)
    }
    expect(() => new Strategy({ guard: {}, jwtFromRequest: () => null }, () => {})).toThrow('`guard` must be a revocable Guard')
  })

  test('the group slow path: a passing token reaches verify and the response carries a fresh token', async () => {
    const live = new Set(['s1'])
    const grouped = await openGuard({ groups: { count: 8, check: async (claims) => live.has(claims.sid) } })
    const { server, calls } = app({ guard: grouped })
    const kept = grouped.sign({ sub: 'carl', sid: 's1' }, { clock: () => Date.now() - 1000 })
    const ended = grouped.sign({ sub: 'carl', sid: 's2' }, { clock: () => Date.now() - 1000 })
    await grouped.markGroup('carl', { before: Date.now() - 500 })
    const passed = await get(server, kept).expect(200, { id: 'carl' })
    expect(grouped.verify(passed.headers['x-access-token']).sid).toBe('s1')
    expect((await get(server, ended).expect(401)).body).toMatchObject({ message: 'jwt revoked', reason: 'group' })
    expect(calls.length).toBe(1)
    await grouped.close()
  })
})

test('a token revoked by another instance fails once the change arrives through the store', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-passport-'))
  const file = path.join(tmp, 'r.db')
  const name = `passport_${process.pid}`
  const auth = await revocable.open({ algorithms: ['HS256'], secret: syncSecret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(file, { table: name, syncInterval: 10 }) })
  const other = await start({ kind: 'sqlite', file, name, syncInterval: 10 })
  try {
    const { server } = app({ guard: auth })
    const token = auth.sign({ sub: 'dana' }, { clock: () => Date.now() - 1000 })
    await get(server, token).expect(200)
    const arrived = new Promise((resolve) => auth.on('synced', ({ records }) => { if (records.some((r) => r.key === 'dana')) resolve() }))
    await other.call('revokeUser', { sub: 'dana' })
    await arrived
    expect((await get(server, token).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  } finally {
    await other.stop()
    await auth.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  }
})

test('extractors read what passport-jwt reads', () => {
  const req = { headers: { authorization: 'JWT abc', 'x-token': 'hdr' }, body: { auth_token: 'body' }, url: '/p?auth_token=q1&t=a&t=b' }
  expect(ExtractJwt.fromHeader('x-token')(req)).toBe('hdr')
  expect(ExtractJwt.fromBodyField('auth_token')(req)).toBe('body')
  expect(ExtractJwt.fromBodyField('__proto__')(req)).toBeNull()
  expect(ExtractJwt.fromUrlQueryParameter('t')(req)).toEqual(['a', 'b'])
  expect(ExtractJwt.fromAuthHeaderAsBearerToken()(req)).toBeNull()
  expect(ExtractJwt.fromAuthHeaderWithScheme('jwt')(req)).toBe('abc')
  expect(ExtractJwt.fromExtractors([ExtractJwt.fromHeader('none'), ExtractJwt.fromHeader('x-token')])(req)).toBe('hdr')
  expect(ExtractJwt.versionOneCompatibility({})(req)).toBe('abc')
  expect(() => ExtractJwt.fromExtractors('no')).toThrow(TypeError)
})
