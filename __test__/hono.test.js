'use strict'

// revocable/hono through app.request() and, for the second-instance case,
// real HTTP through @hono/node-server.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Hono } = require('hono')
const { serve } = require('@hono/node-server')
const jsonwebtoken = require('jsonwebtoken')
const revocable = require('..')
const { jwt } = require('../lib/hono')
const { memoryStore } = require('./memory-store')
const { start, secret: syncSecret } = require('./helpers-sync')

const secret = 'a-hono-test-secret-of-at-least-32-bytes'
const openGuard = (extra = {}) => revocable.open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), ...extra })

function app(options, setup = () => {}) {
  const hono = new Hono()
  setup(hono)
  hono.use('/auth/*', jwt(options))
  hono.get('/auth/me', (c) => c.json({ sub: c.get('jwtPayload')?.sub ?? null }))
  return hono
}
const get = (hono, token, headers = {}) => hono.request('/auth/me', { headers: token ? { Authorization: `Bearer ${token}`, ...headers } : headers })

describe('backed by a Guard', () => {
  let auth
  beforeAll(async () => { auth = await openGuard() })
  afterAll(() => auth.close())

  test('claims at c.get(\'jwtPayload\'); a revoked token gets a 401 with a challenge and a stable code', async () => {
    const hono = app({ guard: auth })
    const token = auth.sign({ sub: 'hana' })
    const ok = await get(hono, token)
    expect([ok.status, await ok.json()]).toEqual([200, { sub: 'hana' }])
    await auth.revokeUser('hana')
    const refused = await get(hono, token)
    expect([refused.status, refused.headers.get('www-authenticate'), (await refused.json()).code])
      .toEqual([401, 'Bearer error="invalid_token"', 'ERR_JWT_REVOKED'])
    const none = await get(hono)
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Bearer'])
  })

  test('failures reach app.onError as HTTPException with the core\'s error as cause', async () => {
    const seen = []
    const hono = app({ guard: auth }, (h) => h.onError((err, c) => { seen.push([err.status, err.cause.code]); return c.text('mine', err.status) }))
    const res = await get(hono, 'x.y.z')
    expect([res.status, await res.text(), seen]).toEqual([401, 'mine', [[401, 'ERR_JWT_MALFORMED']]])
  })

  test('hostile headers: wrong scheme, two tokens, huge, control characters', async () => {
    const hono = app({ guard: auth })
    for (const authorization of ['Bearer a b', `Bearer ${'a'.repeat(50_000)}`, 'Bearer \u0001', 'Basic dTpw', 'Bearer']) {
      const res = await hono.request('/auth/me', { headers: { Authorization: authorization } })
      expect(res.status).toBe(401)
    }
  })

  test('cookie tokens, a custom header name, and credentials-optional mode', async () => {
    const token = auth.sign({ sub: 'ivan' })
    const byCookie = app({ guard: auth, cookie: 'access' })
    expect(await (await byCookie.request('/auth/me', { headers: { Cookie: `x=1; access=${token}` } })).json()).toEqual({ sub: 'ivan' })
    const byHeader = app({ guard: auth, headerName: 'X-Auth' })
    expect(await (await byHeader.request('/auth/me', { headers: { 'X-Auth': `Bearer ${token}` } })).json()).toEqual({ sub: 'ivan' })
    const optional = app({ guard: auth, credentialsRequired: false })
    expect(await (await optional.request('/auth/me')).json()).toEqual({ sub: null })
    expect((await get(optional, 'nope')).status).toBe(401)
  })

  test('rotation appends the fresh token to the handler\'s response', async () => {
    const hono = app({ guard: auth, rotate: { every: 1, graceMs: 1000 } })
    const res = await get(hono, auth.sign({ sub: 'jo' }))
    expect(auth.verify(res.headers.get('x-access-token')).sub).toBe('jo')
    expect(res.headers.get('access-control-expose-headers')).toBe('x-access-token')
  })
})

test('group slow path: a pass gets a fresh token, a refusal a 401', async () => {
  const live = new Set(['s1'])
  const auth = await openGuard({ groups: { count: 8, check: async (claims) => live.has(claims.sid) } })
  const hono = app({ guard: auth })
  const kept = auth.sign({ sub: 'kim', sid: 's1' }, { clock: () => Date.now() - 1000 })
  const ended = auth.sign({ sub: 'kim', sid: 's2' }, { clock: () => Date.now() - 1000 })
  // Issued a second before the mark; a fresh token is issued after it.
  await auth.markGroup('kim', { before: Date.now() - 500 })
  const passed = await get(hono, kept)
  expect(passed.status).toBe(200)
  expect(auth.verify(passed.headers.get('x-access-token')).sid).toBe('s1')
  const refused = await get(hono, ended)
  expect([refused.status, (await refused.json()).code]).toEqual([401, 'ERR_JWT_REVOKED'])
  await auth.close()
})

test('hono/jwt\'s own options: secret, alg, verification', async () => {
  const hono = app({ secret, alg: 'HS256', verification: { iss: 'me' } })
  expect((await get(hono, jsonwebtoken.sign({ sub: 'l', iss: 'me' }, secret))).status).toBe(200) // no exp needed, as in hono/jwt
  expect((await get(hono, jsonwebtoken.sign({ sub: 'l', iss: 'you' }, secret))).status).toBe(401)
  expect(() => jwt({ secret })).toThrow('"alg"')
  expect(() => jwt({ secret, alg: 'HS256', verification: { nbf: false } })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
})

test('over real HTTP: a token revoked by another instance is refused once the change arrives', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-hono-'))
  const file = path.join(tmp, 'r.db')
  const name = `hono_${process.pid}`
  const auth = await revocable.open({ algorithms: ['HS256'], secret: syncSecret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(file, { table: name, syncInterval: 10 }) })
  const server = await new Promise((resolve) => { const s = serve({ fetch: app({ guard: auth }).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s)) })
  const other = await start({ kind: 'sqlite', file, name, syncInterval: 10 })
  try {
    const url = `http://127.0.0.1:${server.address().port}/auth/me`
    const token = auth.sign({ sub: 'max' }, { clock: () => Date.now() - 1000 })
    expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200)
    const arrived = new Promise((resolve) => auth.on('synced', ({ records }) => { if (records.some((r) => r.key === 'max')) resolve() }))
    await other.call('revokeUser', { sub: 'max' })
    await arrived
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
    expect([res.status, (await res.json()).code]).toEqual([401, 'ERR_JWT_REVOKED'])
  } finally {
    await other.stop()
    await new Promise((resolve) => server.close(resolve))
    await auth.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  }
})
