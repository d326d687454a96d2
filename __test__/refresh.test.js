'use strict'

// Refresh tokens through real HTTP: an Express app with login, refresh and ban
// routes on a real Guard, its clock injected so the reuse interval is crossed
// without sleeping.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const express = require('express')
const request = require('supertest')
const revocable = require('..')
const { memoryStore } = require('./memory-store')

const SECRET = 'a-refresh-test-secret-of-32-bytes!!'

async function setup({ store = memoryStore(), refresh = { accessLifetime: '5m', reuseInterval: '5s' }, ...rest } = {}) {
  let now = Date.now()
  const auth = await revocable.open({
    algorithms: ['HS256'], secret: SECRET, maxTokenLifetime: '30d', refresh, clock: () => now, store, ...rest,
  })
  const app = express()
  app.use(express.json())
  app.post('/login', (req, res) => res.json(auth.issue({ sub: req.body.user, role: 'user' })))
  app.post('/refresh', async (req, res, next) => {
    try {
      res.json(await auth.refresh(req.body.refreshToken))
    } catch (err) {
      if (!String(err.code).startsWith('ERR_JWT')) return next(err)
      res.status(401).json({ code: err.code, reason: err.reason })
    }
  })
  app.post('/ban/:user', async (req, res) => {
    await auth.revokeUser(req.params.user)
    res.sendStatus(204)
  })
  app.use(auth.express())
  app.get('/me', (req, res) => res.json(req.auth))
  app.post('/logout', async (req, res) => {
    await auth.revokeSession(req.auth.sid)
    res.sendStatus(204)
  })
  return { app, auth, advance: (ms) => { now += ms } }
}

const login = async (app, user = 'alice') => (await request(app).post('/login').send({ user }).expect(200)).body
const refresh = (app, refreshToken) => request(app).post('/refresh').send({ refreshToken })
const me = (app, token) => request(app).get('/me').set('Authorization', `Bearer ${token}`)

let ctx
afterEach(async () => {
  if (ctx) await ctx.auth.close()
  ctx = undefined
})

test('login returns a pair; refresh rotates both tokens in the same family and keeps the claims', async () => {
  ctx = await setup()
  const { app } = ctx
  const first = await login(app)
  expect(first).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), session: expect.any(String), expiresIn: 300 })
  expect((await me(app, first.accessToken).expect(200)).body).toMatchObject({ sub: 'alice', role: 'user', sid: first.session })
  ctx.advance(1000)
  const second = (await refresh(app, first.refreshToken).expect(200)).body
  expect(second.session).toBe(first.session)
  expect(second.refreshToken).not.toBe(first.refreshToken)
  const claims = (await me(app, second.accessToken).expect(200)).body
  expect(claims).toMatchObject({ sub: 'alice', role: 'user', sid: first.session })
  expect(claims.exp - claims.iat).toBeGreaterThan(299)
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(300)
  // The refresh token rotated, so the next refresh uses the new one.
  await refresh(app, second.refreshToken).expect(200)
})

test('a refresh token is not an access token, and an access token does not refresh', async () => {
  ctx = await setup()
  const pair = await login(ctx.app)
  const res = await me(ctx.app, pair.refreshToken).expect(401)
  expect(res.body.code).toBe('ERR_JWT_SIGNATURE')
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
  // Refused on its header already: an access token is not `typ: rt+jwt`.
  expect((await refresh(ctx.app, pair.accessToken).expect(401)).body.code).toBe('ERR_JWT_CLAIM')
})

test('reuse after the interval revokes the whole family, access and refresh tokens alike; other sessions live on', async () => {
  ctx = await setup()
  const { app } = ctx
  const other = await login(app)
  const first = await login(app)
  const second = (await refresh(app, first.refreshToken).expect(200)).body
  ctx.advance(5001)
  expect((await refresh(app, first.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'reuse' })
  // The legitimate holder's newer tokens die with the family.
  expect((await refresh(app, second.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'session' })
  expect((await me(app, second.accessToken).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  expect((await me(app, first.accessToken).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  await me(app, other.accessToken).expect(200)
  await refresh(app, other.refreshToken).expect(200)
})

test('within the reuse interval a used refresh token gets a sibling pair, and the family stays alive', async () => {
  ctx = await setup()
  const { app } = ctx
  const first = await login(app)
  const [a, b] = await Promise.all([refresh(app, first.refreshToken), refresh(app, first.refreshToken)])
  expect([a.status, b.status]).toEqual([200, 200])
  expect(a.body.refreshToken).not.toBe(b.body.refreshToken)
  ctx.advance(4000)
  const c = (await refresh(app, first.refreshToken).expect(200)).body
  for (const pair of [a.body, b.body, c]) {
    expect(pair.session).toBe(first.session)
    await me(app, pair.accessToken).expect(200)
    await refresh(app, pair.refreshToken).expect(200)
  }
})

test('a reused family is revoked before the \'reuse\' listeners run: one that throws cannot keep it alive', async () => {
  ctx = await setup()
  const { app, auth } = ctx
  const first = await login(app)
  const second = (await refresh(app, first.refreshToken).expect(200)).body
  ctx.advance(5001)
  const seen = [] // what the listener finds: the family already revoked
  auth.on('reuse', () => {
    try {
      auth.verify(second.accessToken)
      seen.push('passes')
    } catch (err) {
      seen.push(`${err.code}:${err.reason}`)
    }
    throw new Error('listener failed')
  })
  await expect(auth.refresh(first.refreshToken)).rejects.toThrow('listener failed')
  expect(seen).toEqual(['ERR_JWT_REVOKED:session'])
  expect((await me(app, second.accessToken).expect(401)).body.code).toBe('ERR_JWT_REVOKED')
  expect((await refresh(app, second.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'session' })
})

test('the reuse interval is an option', async () => {
  ctx = await setup({ refresh: { reuseInterval: 0 } })
  const first = await login(ctx.app)
  await refresh(ctx.app, first.refreshToken).expect(200)
  ctx.advance(1)
  expect((await refresh(ctx.app, first.refreshToken).expect(401)).body.reason).toBe('reuse')
})

test('a banned (cut-off) user cannot refresh, even inside the reuse interval; a later login can', async () => {
  ctx = await setup()
  const { app } = ctx
  const first = await login(app)
  const second = (await refresh(app, first.refreshToken).expect(200)).body
  await request(app).post('/ban/alice').expect(204)
  expect((await refresh(app, second.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'user' })
  // The used one, inside the interval: refused as revoked, no sibling pair.
  expect((await refresh(app, first.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'user' })
  const again = await login(app)
  await refresh(app, again.refreshToken).expect(200)
})

test('logout (revoking the session) ends refreshing for that family', async () => {
  ctx = await setup()
  const pair = await login(ctx.app)
  await request(ctx.app).post('/logout').set('Authorization', `Bearer ${pair.accessToken}`).expect(204)
  expect((await refresh(ctx.app, pair.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'session' })
})

test('an expired refresh token is refused as expired', async () => {
  ctx = await setup({ refresh: { lifetime: '1h', accessLifetime: '5m' } })
  const pair = await login(ctx.app)
  ctx.advance(3600 * 1000)
  expect((await refresh(ctx.app, pair.refreshToken).expect(401)).body.code).toBe('ERR_JWT_EXPIRED')
})

test('options: the refresh lifetime may not exceed maxTokenLifetime; unknown names and refresh: false', async () => {
  const base = { algorithms: ['HS256'], secret: SECRET, maxTokenLifetime: '1h' }
  await expect(revocable.open({ ...base, store: memoryStore(), refresh: { lifetime: '30d' } }))
    .rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'refresh.lifetime' })
  await expect(revocable.open({ ...base, store: memoryStore(), refresh: { lifetme: '1h' } }))
    .rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'refresh.lifetme' })
  await expect(revocable.open({ ...base, store: memoryStore(), refresh: { accessLifetime: '2h' } }))
    .rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'refresh.accessLifetime' })
  const off = await revocable.open({ ...base, store: memoryStore(), refresh: false })
  expect(() => off.issue('alice')).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
  await off.close()
})

test('an ES256 Guard issues refresh tokens the access path refuses by algorithm', async () => {
  const { generateKeyPairSync } = require('node:crypto')
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const auth = await revocable.open({
    algorithms: ['ES256'], key: publicKey, signingKey: privateKey, maxTokenLifetime: '1d', store: memoryStore(),
  })
  const pair = auth.issue('alice')
  expect(auth.verify(pair.accessToken).sub).toBe('alice')
  expect(() => auth.verify(pair.refreshToken)).toThrow(expect.objectContaining({ code: 'ERR_JWT_ALGORITHM' }))
  const next = await auth.refresh(pair.refreshToken)
  expect(auth.verify(next.accessToken).sid).toBe(pair.session)
  await auth.close()
})

test('refresh state is persisted: a new process on the same SQLite file detects the reuse', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `revocable-refresh-${process.pid}-`))
  const file = path.join(dir, 'revocable.db')
  try {
    ctx = await setup({ store: revocable.stores.sqlite(file), refresh: { reuseInterval: 0 } })
    const first = await login(ctx.app)
    const second = (await refresh(ctx.app, first.refreshToken).expect(200)).body
    await ctx.auth.close()
    ctx = undefined
    const script = `
      const revocable = require(${JSON.stringify(path.join(__dirname, '..'))})
      ;(async () => {
        const auth = await revocable.open({ algorithms: ['HS256'], secret: ${JSON.stringify(SECRET)}, maxTokenLifetime: '30d',
          refresh: { reuseInterval: 0 }, store: revocable.stores.sqlite(${JSON.stringify(file)}) })
        const out = []
        for (const t of [${JSON.stringify(first.refreshToken)}, ${JSON.stringify(second.refreshToken)}]) {
          try { await auth.refresh(t); out.push('ok') } catch (err) { out.push(err.code + ':' + err.reason) }
        }
        await auth.close()
        console.log(out.join(' '))
      })()`
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()
    expect(out).toBe('ERR_JWT_REVOKED:reuse ERR_JWT_REVOKED:session')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a session holds two table entries however often it refreshes', async () => {
  ctx = await setup()
  let pair = await login(ctx.app)
  for (let i = 0; i < 30; i++) {
    ctx.advance(60_000)
    pair = (await refresh(ctx.app, pair.refreshToken).expect(200)).body
  }
  // rfam (last use) and rfam.last (the iat it used), beside the store's horizon (lib/guard/horizon.js)
  expect(ctx.auth.stats().sessions).toBe(3)
  await me(ctx.app, pair.accessToken).expect(200)
})

test('an older, superseded refresh token is a reuse even inside the interval of the latest refresh', async () => {
  ctx = await setup()
  const { app } = ctx
  const first = await login(app)
  ctx.advance(60_000)
  const second = (await refresh(app, first.refreshToken).expect(200)).body
  ctx.advance(60_000)
  await refresh(app, second.refreshToken).expect(200)
  // One second after that refresh: `second` would pass as concurrent, `first` must not.
  ctx.advance(1000)
  expect((await refresh(app, first.refreshToken).expect(401)).body).toEqual({ code: 'ERR_JWT_REVOKED', reason: 'reuse' })
})
