'use strict'

// The Guard's own middleware through real HTTP: a revocation takes effect on
// the very next request (Koa here; Express is covered by example-app.test.js).
const Koa = require('koa')
const request = require('supertest')
const { open } = require('..')
const { memoryStore } = require('./memory-store')

test('koa: claims on ctx.state.user until the user is revoked, then 401 ERR_JWT_REVOKED', async () => {
  const auth = await open({ algorithms: ['HS256'], key: 'a-koa-guard-secret-of-32-bytes!!', maxTokenLifetime: '1h', store: memoryStore() })
  const app = new Koa()
  app.use(auth.koa())
  app.use((ctx) => { ctx.body = { sub: ctx.state.user.sub } })
  const server = app.callback()
  const token = auth.sign({ sub: 'k1' })
  await request(server).get('/').set('Authorization', `Bearer ${token}`).expect(200, { sub: 'k1' })
  await auth.revokeUser('k1')
  const res = await request(server).get('/').set('Authorization', `Bearer ${token}`).expect(401)
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
  expect(res.body.code).toBe('ERR_JWT_REVOKED')
  await auth.close()
})
