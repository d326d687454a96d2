'use strict'

// revocable/client against a real server over real HTTP (Node's own fetch):
// the token attached, rotated tokens picked up, one refresh on expiry shared by
// concurrent requests, and a revoked user logged out with storage cleared.
const express = require('express')
const revocable = require('..')
const { createClient } = require('../lib/client')
const { memoryStore } = require('./memory-store')

let auth, server, base, now, refreshes
beforeEach(async () => {
  now = Date.now()
  refreshes = 0
  const clock = () => now
  auth = await revocable.open({
    algorithms: ['HS256'], secret: 'a-client-test-secret-of-32-bytes!!', maxTokenLifetime: '1d',
    refresh: { accessLifetime: '5m' }, clock, store: memoryStore(),
  })
  const app = express()
  app.use(express.json())
  app.post('/login', (req, res) => res.json(auth.issue(req.body.user)))
  app.post('/refresh', async (req, res) => {
    refreshes++
    try {
      res.json(await auth.refresh(req.body.refreshToken))
    } catch (err) {
      res.status(401).json({ code: err.code, reason: err.reason })
    }
  })
  app.post('/ban/:user', async (req, res) => {
    await auth.revokeUser(req.params.user)
    res.sendStatus(204)
  })
  app.use(auth.express({ rotate: { every: 3, clock } }))
  app.get('/me', (req, res) => res.json({ sub: req.auth.sub, jti: req.auth.jti }))
  await new Promise((resolve) => { server = app.listen(0, '127.0.0.1', resolve) })
  base = `http://127.0.0.1:${server.address().port}`
})
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve))
  await auth.close()
})

async function loggedIn(options = {}) {
  const events = []
  const client = createClient({ storage: 'memory', refresh: `${base}/refresh`, onLoggedOut: (e) => events.push(e), ...options })
  const res = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice' }) })
  client.setTokens(await res.json())
  return { client, events }
}

test('attaches the stored token and picks up a rotated one from the response header', async () => {
  const { client } = await loggedIn()
  const first = client.accessToken
  for (let i = 0; i < 2; i++) expect((await (await client.fetch(`${base}/me`)).json()).sub).toBe('alice')
  expect(client.accessToken).toBe(first)
  await client.fetch(`${base}/me`) // the third use: rotated
  expect(client.accessToken).not.toBe(first)
  const res = await client.fetch(`${base}/me`)
  expect((await res.json()).jti).toBe(revocable.decode(client.accessToken).jti)
})

test('an expired access token is refreshed once, shared by concurrent requests, and the requests retried', async () => {
  const { client, events } = await loggedIn()
  const before = client.refreshToken
  now += 6 * 60 * 1000 // past the 5 min access lifetime
  const results = await Promise.all([1, 2, 3].map(() => client.fetch(`${base}/me`)))
  expect(results.map((r) => r.status)).toEqual([200, 200, 200])
  expect(refreshes).toBe(1)
  expect(client.refreshToken).not.toBe(before)
  expect(events).toEqual([])
})

test('a revoked user is logged out: storage cleared, onLoggedOut told why', async () => {
  const { client, events } = await loggedIn()
  await client.fetch(`${base}/me`)
  await fetch(`${base}/ban/alice`, { method: 'POST' })
  const res = await client.fetch(`${base}/me`)
  expect(res.status).toBe(401)
  expect((await res.json()).code).toBe('ERR_JWT_REVOKED')
  expect(events).toEqual([{ code: 'ERR_JWT_REVOKED', reason: undefined }])
  expect([client.accessToken, client.refreshToken, client.loggedIn]).toEqual([null, null, false])
  expect(refreshes).toBe(0)
})

test('an expired token whose refresh is refused (user banned meanwhile) logs out', async () => {
  const { client, events } = await loggedIn()
  await fetch(`${base}/ban/alice`, { method: 'POST' })
  now += 6 * 60 * 1000
  const res = await client.fetch(`${base}/me`)
  expect(res.status).toBe(401)
  expect(refreshes).toBe(1)
  expect(events).toEqual([{ code: 'ERR_JWT_REVOKED', reason: 'user' }])
  expect(client.loggedIn).toBe(false)
})

test('without a token nothing is cleared; a request without credentials just gets its 401', async () => {
  const events = []
  const client = createClient({ storage: 'memory', onLoggedOut: (e) => events.push(e) })
  expect((await client.fetch(`${base}/me`)).status).toBe(401)
  expect(events).toEqual([])
})

test('storage options are checked', () => {
  expect(() => createClient({ storage: 'local' })).toThrow(/localStorage is not available/)
  expect(() => createClient({ storage: {} })).toThrow(/storage must be/)
})

// axios is optional here: the interceptor is tested when the package is installed.
let axios
try { axios = require('axios') } catch { axios = null }
;(axios ? test : test.skip)('axios: the interceptors attach, refresh once on expiry, and log out on revoked', async () => {
  const { client, events } = await loggedIn()
  const http = axios.create({ baseURL: base })
  const uninstall = client.axios(http)
  expect((await http.get('/me')).data.sub).toBe('alice')
  now += 6 * 60 * 1000
  expect((await http.get('/me')).status).toBe(200)
  expect(refreshes).toBe(1)
  await fetch(`${base}/ban/alice`, { method: 'POST' })
  await expect(http.get('/me')).rejects.toMatchObject({ response: { status: 401 } })
  expect(events).toEqual([{ code: 'ERR_JWT_REVOKED', reason: undefined }])
  expect(client.loggedIn).toBe(false)
  uninstall()
})
