'use strict'

// Rotation every N uses through real HTTP (Express and Koa) on a real Guard.
// The Guard and the rotation share an injected clock, so the grace period is
// crossed without sleeping; one test lets the real timer fire and waits for
// the revocation it makes.
const express = require('express')
const Koa = require('koa')
const request = require('supertest')
const revocable = require('..')
const { expressMiddleware } = require('../lib/middleware')
const { memoryStore } = require('./memory-store')

const SECRET = 'a-rotate-test-secret-of-32-bytes!!!'

let auth
let now
const clock = () => now
beforeEach(async () => {
  now = Date.now()
  auth = await revocable.open({ algorithms: ['HS256'], secret: SECRET, maxTokenLifetime: '1h', clock, store: memoryStore() })
})
afterEach(() => auth.close())

function expressApp(middlewareOptions) {
  const app = express()
  app.use(auth.express(middlewareOptions))
  app.get('/me', (req, res) => res.json(req.auth))
  return app
}

const get = (app, token) => request(app).get('/me').set('Authorization', `Bearer ${token}`)

test('the Nth use gets a fresh token; the old one passes during the grace period and fails after it', async () => {
  const app = expressApp({ rotate: { every: 3, graceMs: 30_000, clock } })
  const old = auth.sign({ sub: 'alice', sid: 's1', role: 'user' }, { expiresIn: '15m' })
  for (let i = 0; i < 2; i++) expect((await get(app, old).expect(200)).headers['x-access-token']).toBeUndefined()
  const third = await get(app, old).expect(200)
  const fresh = third.headers['x-access-token']
  expect(third.headers['access-control-expose-headers']).toBe('x-access-token')
  const claims = (await get(app, fresh).expect(200)).body
  const before = revocable.decode(old)
  expect(claims).toMatchObject({ sub: 'alice', sid: 's1', role: 'user' })
  expect(claims.jti).not.toBe(before.jti)
  // The same lifetime, to the second (exp is whole seconds): never longer.
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(before.exp - before.iat + 1e-6)
  expect(claims.exp - claims.iat).toBeGreaterThan(before.exp - before.iat - 1)

  // In flight during the grace period: still accepted, and handed the same fresh token again.
  now += 29_000
  expect((await get(app, old).expect(200)).headers['x-access-token']).toBe(fresh)
  now += 1_000
  const res = await get(app, old).expect(401)
  expect(res.body).toEqual({ code: 'ERR_JWT_REVOKED', message: 'token revoked' })
  expect(() => auth.verify(old)).toThrow(expect.objectContaining({ reason: 'token' }))
  await get(app, fresh).expect(200)
})

test('the fresh token is counted anew and rotates in turn', async () => {
  const app = expressApp({ rotate: { every: 2, clock } })
  const first = auth.sign({ sub: 'bob' })
  await get(app, first).expect(200)
  const second = (await get(app, first).expect(200)).headers['x-access-token']
  expect((await get(app, second).expect(200)).headers['x-access-token']).toBeUndefined()
  const third = (await get(app, second).expect(200)).headers['x-access-token']
  expect(third).toEqual(expect.any(String))
  expect(third).not.toBe(second)
})

test('a cookie instead of a header: the fresh token is set as an HttpOnly cookie and read back from it', async () => {
  const app = expressApp({ cookie: 'at', rotate: { every: 2, header: false, cookie: { name: 'at', secure: true, sameSite: 'Strict' }, clock } })
  const old = auth.sign({ sub: 'carol' }, { expiresIn: 600 })
  await request(app).get('/me').set('Cookie', `at=${old}`).expect(200)
  const res = await request(app).get('/me').set('Cookie', `at=${old}`).expect(200)
  expect(res.headers['x-access-token']).toBeUndefined()
  const [cookie] = res.headers['set-cookie']
  expect(cookie).toMatch(/^at=[\w.-]+; Max-Age=(599|600); Path=\/; HttpOnly; Secure; SameSite=Strict$/)
  const fresh = cookie.slice(3, cookie.indexOf(';'))
  expect((await request(app).get('/me').set('Cookie', `at=${fresh}`).expect(200)).body.sub).toBe('carol')
})

test('koa: the header carries the fresh token and the old one is refused after the grace period', async () => {
  const app = new Koa()
  app.use(auth.koa({ rotate: { every: 1, graceMs: 1000, header: 'X-Fresh-Token', clock } }))
  app.use((ctx) => { ctx.body = { sub: ctx.state.user.sub } })
  const server = app.callback()
  const old = auth.sign({ sub: 'dave' })
  const res = await request(server).get('/').set('Authorization', `Bearer ${old}`).expect(200)
  const fresh = res.headers['x-fresh-token']
  expect(auth.verify(fresh).sub).toBe('dave')
  now += 1000
  expect((await request(server).get('/').set('Authorization', `Bearer ${old}`).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  await request(server).get('/').set('Authorization', `Bearer ${fresh}`).expect(200, { sub: 'dave' })
})

test('the grace timer revokes the old token without any further request', async () => {
  const app = expressApp({ rotate: { every: 1, graceMs: 20 } }) // the real clock and timer
  const old = auth.sign({ sub: 'erin' })
  const revoked = new Promise((resolve) => auth.once('revoked', resolve))
  await get(app, old).expect(200)
  expect(auth.verify(old).sub).toBe('erin')
  now = Date.now() + 60_000 // the Guard's clock only; the rotation's timer runs on real time
  expect(await revoked).toMatchObject({ kind: 'token' }) // the timer fired
  expect(() => auth.verify(old)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED', reason: 'token' }))
})

test('options are checked when the middleware is built', () => {
  const bad = (rotate) => () => auth.express({ rotate })
  expect(bad({ every: 0 })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION', claim: 'rotate.every' }))
  expect(bad({ every: 1.5 })).toThrow(expect.objectContaining({ claim: 'rotate.every' }))
  expect(bad({ every: 5, grace: 10 })).toThrow(expect.objectContaining({ claim: 'rotate.grace' }))
  expect(bad({ every: 5, graceMs: -1 })).toThrow(expect.objectContaining({ claim: 'rotate.graceMs' }))
  expect(bad({ every: 5, header: 'bad header' })).toThrow(expect.objectContaining({ claim: 'rotate.header' }))
  expect(bad({ every: 5, header: false })).toThrow(expect.objectContaining({ claim: 'rotate' }))
  expect(bad({ every: 5, cookie: { name: 'at', path: '/; Domain=evil' } })).toThrow(expect.objectContaining({ claim: 'rotate.cookie.path' }))
  // A plain Verifier can neither sign nor revoke.
  const verifier = new revocable.Verifier({ algorithms: ['HS256'], key: SECRET })
  expect(() => expressMiddleware(verifier, { rotate: { every: 5 } })).toThrow(expect.objectContaining({ claim: 'rotate' }))
})

test('rotating again and again never shortens the lifetime', async () => {
  const app = expressApp({ rotate: { every: 1, clock } })
  let token = auth.sign({ sub: 'frank' }, { expiresIn: 600 })
  for (let i = 0; i < 20; i++) {
    now += 993 // a new iat each time, its milliseconds falling: the case where flooring would lose a second
    token = (await get(app, token).expect(200)).headers['x-access-token']
  }
  const { exp, iat } = revocable.decode(token)
  expect(exp - iat).toBeGreaterThan(599)
})

test('with group epochs, a token sent to the slow path is still rechecked when rotation is on', async () => {
  const grouped = await revocable.open({
    algorithms: ['HS256'], secret: SECRET, maxTokenLifetime: '1h', clock, store: memoryStore(),
    groups: { count: 16, check: async () => true },
  })
  try {
    const app = express()
    app.use(grouped.express({ rotate: { every: 100, clock } }))
    app.get('/me', (req, res) => res.json({ sub: req.auth.sub }))
    const token = grouped.sign({ sub: 'gina' })
    now += 5
    await grouped.markGroup('gina')
    const res = await get(app, token).expect(200, { sub: 'gina' })
    expect(res.headers['x-access-token']).toEqual(expect.any(String))
  } finally {
    await grouped.close()
  }
})
