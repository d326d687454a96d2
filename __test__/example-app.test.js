'use strict'

// README's walk-through of `npm start`, through real HTTP: the example app on
// the embedded SQLite store, driven by supertest instead of curl.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const request = require('supertest')
const { createApp } = require('../examples/express-app/app')
const revocable = require('..')

let dir, app, auth
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-example-'))
  ;({ app, auth } = await createApp({ store: revocable.stores.sqlite(path.join(dir, 'revocable.db')) }))
})
afterAll(async () => {
  await auth.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const login = async (username, password) => (await request(app).post('/login').send({ username, password }).expect(200)).body.accessToken
const bearer = (t) => ({ Authorization: `Bearer ${t}` })

test('login, then the protected route answers with the claims', async () => {
  const token = await login('alice', 'wonderland')
  const me = await request(app).get('/me').set(bearer(token)).expect(200)
  expect(me.body).toMatchObject({ sub: 'alice', role: 'user' })
  await request(app).post('/login').send({ username: 'alice', password: 'nope' }).expect(401)
})

test('no token: 401 with a plain Bearer challenge', async () => {
  const res = await request(app).get('/me').expect(401)
  expect(res.headers['www-authenticate']).toBe('Bearer')
  expect(res.body.code).toBe('ERR_JWT_MISSING')
})

test('logout ends this session only', async () => {
  const laptop = await login('alice', 'wonderland')
  const phone = await login('alice', 'wonderland')
  await request(app).post('/logout').set(bearer(laptop)).expect(204)
  const res = await request(app).get('/me').set(bearer(laptop)).expect(401)
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
  expect(res.body).toEqual({ code: 'ERR_JWT_REVOKED', message: 'token revoked' })
  await request(app).get('/me').set(bearer(phone)).expect(200)
})

test('logout everywhere ends every session; a new login works', async () => {
  const a = await login('alice', 'wonderland')
  const b = await login('alice', 'wonderland')
  await request(app).post('/logout-everywhere').set(bearer(a)).expect(204)
  await request(app).get('/me').set(bearer(a)).expect(401)
  await request(app).get('/me').set(bearer(b)).expect(401)
  await request(app).get('/me').set(bearer(await login('alice', 'wonderland'))).expect(200)
})

test('a password change cuts off old tokens and returns a working one', async () => {
  const old = await login('alice', 'wonderland')
  const res = await request(app).post('/password').set(bearer(old)).send({ password: 'looking-glass' }).expect(200)
  await request(app).get('/me').set(bearer(old)).expect(401)
  await request(app).get('/me').set(bearer(res.body.accessToken)).expect(200)
  await request(app).post('/login').send({ username: 'alice', password: 'wonderland' }).expect(401)
  await login('alice', 'looking-glass')
})

test('an admin ban cuts the user off and stops new logins; non-admins cannot ban', async () => {
  const user = await login('alice', 'looking-glass')
  await request(app).post('/admin/ban/admin').set(bearer(user)).expect(403)
  const admin = await login('admin', 'admin')
  await request(app).post('/admin/ban/alice').set(bearer(admin)).expect(204)
  const res = await request(app).get('/me').set(bearer(user)).expect(401)
  expect(res.body.code).toBe('ERR_JWT_REVOKED')
  await request(app).post('/login').send({ username: 'alice', password: 'looking-glass' }).expect(401)
})
