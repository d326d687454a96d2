'use strict'

// The NestJS example (examples/nestjs) end to end through @nestjs/testing and
// supertest: login, a protected route behind AuthGuard('jwt'), and logout
// routes that revoke one session or every session of the user.
const { Test } = require('@nestjs/testing')
const request = require('supertest')
const revocable = require('..')
const { appModule } = require('../examples/nestjs/app')
const { memoryStore } = require('./memory-store')

let auth, app, http
beforeAll(async () => {
  auth = await revocable.open({ algorithms: ['HS256'], secret: 'a-nestjs-test-secret-of-32-bytes!!', maxTokenLifetime: '15m', store: memoryStore() })
  const moduleRef = await Test.createTestingModule({ imports: [appModule(auth)] }).compile()
  app = moduleRef.createNestApplication({ logger: false })
  await app.init()
  http = app.getHttpServer()
})
afterAll(async () => {
  await app.close()
  await auth.close()
})

const login = async (user) => (await request(http).post('/login').send({ user }).expect(201)).body.token
const me = (token) => request(http).get('/me').set('Authorization', `Bearer ${token}`)

test('a logged-in user reaches the guarded route; no token or a forged one gets 401', async () => {
  const token = await login('alice')
  const res = await me(token).expect(200)
  expect(res.body).toEqual({ sub: 'alice', sid: auth.verify(token).sid })
  await request(http).get('/me').expect(401)
  await me(token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')).expect(401)
})

test('logout revokes that session only; logout everywhere revokes every session of the user', async () => {
  const laptop = await login('bob')
  const phone = await login('bob')
  const other = await login('carol')
  await request(http).post('/logout').set('Authorization', `Bearer ${laptop}`).expect(204)
  await me(laptop).expect(401)
  await me(phone).expect(200)
  await request(http).post('/logout-everywhere').set('Authorization', `Bearer ${phone}`).expect(204)
  await me(phone).expect(401)
  await me(other).expect(200)
})
