'use strict'

// A Guard on remote key sets: one issuer or several, the middleware's wait for
// an unknown kid's refetch, and open() failing closed.
const request = require('supertest')
const express = require('express')
const Koa = require('koa')
const { open } = require('..')
const { NOW } = require('./helpers')
const { memoryStore } = require('./memory-store')
const { provider, ecKey, setOf } = require('./helpers-jwks')

let idp
let time
const clock = () => time
const [a1, a2, b1] = [ecKey('a1'), ecKey('a2'), ecKey('b1')]
const thrown = (fn) => { try { fn() } catch (err) { return err } throw new Error('did not throw') }
const base = { algorithms: ['ES256'], maxTokenLifetime: '2h', clock }

beforeEach(async () => {
  time = NOW
  idp = await provider()
  idp.json('/a/jwks', setOf(a1))
  idp.json('/b/jwks', setOf(b1))
  idp.json('/b/.well-known/openid-configuration', { issuer: `${idp.url}/b`, jwks_uri: `${idp.url}/b/jwks` })
})
afterEach(() => idp.close())

const issuers = () => ({
  'https://a.example': { jwks: { uri: `${idp.url}/a/jwks`, allowHttp: true } },
  [`${idp.url}/b`]: { jwks: { issuer: `${idp.url}/b`, allowHttp: true } },
})

test('several issuers: each token is checked with its own issuer\'s keys, picked by iss', async () => {
  const g = await open({ ...base, store: memoryStore(), issuers: issuers() })
  expect(g.verify(a1.sign({ iss: 'https://a.example' })).sub).toBe('u1')
  expect(g.verify(b1.sign({ iss: `${idp.url}/b` })).sub).toBe('u1')
  // B's key claiming to be A's token (kid unknown to A): a key error, never B's key.
  expect(thrown(() => g.verify(b1.sign({ iss: 'https://a.example' }))).code).toBe('ERR_JWT_KEY')
  expect(thrown(() => g.verify(a1.sign({ iss: 'https://c.example' })))).toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'iss' })
  expect(thrown(() => g.verify(a1.sign({})))).toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'iss' })
  // Revocation is shared: one table whatever the issuer.
  await g.revokeUser('u1')
  expect(thrown(() => g.verify(b1.sign({ iss: `${idp.url}/b` }))).code).toBe('ERR_JWT_REVOKED')
  expect(Object.keys(g.health().jwks)).toEqual(['https://a.example', `${idp.url}/b`])
  await g.close()
})

test('several issuers: back-channel logout is refused (cut-offs are not scoped by issuer)', async () => {
  const g = await open({ ...base, store: memoryStore(), issuers: issuers() })
  try {
    expect(thrown(() => g.backchannelLogout({ issuer: 'https://a.example', audience: 'api' })))
      .toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', message: expect.stringContaining('several issuers') })
  } finally {
    await g.close()
  }
})

test('open() fails closed when a key set cannot be fetched', async () => {
  idp.route('/a/jwks', (req, res) => res.writeHead(500).end())
  await expect(open({ ...base, store: memoryStore(), issuers: issuers() })).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH' })
  await expect(open({ ...base, store: memoryStore(), jwks: { uri: `${idp.url}/a/jwks`, allowHttp: true } })).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH' })
})

test('a refetch failure reaches the Guard\'s error listeners and health()', async () => {
  const g = await open({ ...base, store: memoryStore(), jwks: { uri: `${idp.url}/a/jwks`, allowHttp: true } })
  const errors = []
  g.on('error', (err) => errors.push(err.code))
  idp.route('/a/jwks', (req, res) => res.writeHead(502).end())
  time += 60_000
  await expect(g.verifyAsync(a2.sign())).rejects.toMatchObject({ code: 'ERR_JWT_KEY' })
  expect(errors).toEqual(['ERR_JWKS_FETCH'])
  expect(g.health().jwks[`${idp.url}/a/jwks`].status).toBe('stale')
  expect(g.verify(a1.sign()).sub).toBe('u1')
  await g.close()
})

test('Express and Koa middleware wait for the one refetch of a rotated-in kid', async () => {
  const g = await open({ ...base, store: memoryStore(), jwks: { uri: `${idp.url}/a/jwks`, allowHttp: true } })
  const app = express()
  app.use(g.express())
  app.get('/me', (req, res) => res.json(req.auth))
  const koa = new Koa()
  koa.use(g.koa())
  koa.use((ctx) => { ctx.body = ctx.state.user })
  idp.json('/a/jwks', setOf(a1, a2))
  time += 30_000
  const res = await request(app).get('/me').set('Authorization', `Bearer ${a2.sign()}`)
  expect(res.status).toBe(200)
  expect(res.body.sub).toBe('u1')
  const k = await request(koa.callback()).get('/').set('Authorization', `Bearer ${a2.sign({ sub: 'u2' })}`)
  expect(k.status).toBe(200)
  expect(k.body.sub).toBe('u2')
  // A kid the provider never published: one refetch at most, then 401.
  const forged = ecKey('nope').sign()
  const before = idp.hits('/a/jwks')
  for (let i = 0; i < 5; i++) expect((await request(app).get('/me').set('Authorization', `Bearer ${forged}`)).status).toBe(401)
  expect(idp.hits('/a/jwks')).toBe(before)
  await g.close()
})
