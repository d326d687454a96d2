'use strict'

// Group epochs with a slow path, through real HTTP: the app keeps its own
// session state; marking a group sends that group's older tokens to the app's
// check, which either refuses them or earns them a fresh token.
const express = require('express')
const Koa = require('koa')
const request = require('supertest')
const { open } = require('..')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'a-groups-test-secret-of-32-bytes!'
// One injected clock for the Guards below: a mark lands strictly after the
// tokens signed before it by moving the clock, not by sleeping.
let now = Date.now()
const clock = () => now
const later = () => { now += 5 }

/** The app's own state: live sessions, and a log of what the slow path asked. */
async function setup(store = memoryStore()) {
  const live = new Set(['s1', 's2', 's3'])
  const asked = []
  const auth = await open({
    algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store, clock,
    groups: { count: 1024, check: async (claims) => { asked.push(claims.sid); return live.has(claims.sid) } },
  })
  return { auth, live, asked, store }
}

function expressApp(auth) {
  const app = express()
  app.use(auth.express())
  app.get('/me', (req, res) => res.json({ sub: req.auth.sub, sid: req.auth.sid }))
  return app
}

const get = (app, token) => request(app).get('/me').set('Authorization', `Bearer ${token}`)

test('express: only tokens older than their group\'s mark reach check; a pass earns a fresh token, a refusal a 401', async () => {
  const { auth, live, asked, store } = await setup()
  const app = expressApp(auth)
  const alice1 = auth.sign({ sub: 'alice', sid: 's1' })
  const alice2 = auth.sign({ sub: 'alice', sid: 's2' })
  const bob = auth.sign({ sub: 'bob', sid: 's3' })
  await get(app, alice1).expect(200, { sub: 'alice', sid: 's1' })
  expect(asked).toEqual([])

  // The app ends session s1 in its own state, then marks alice's group.
  live.delete('s1')
  later()
  await auth.markGroup('alice')
  later() // the fresh token below is signed after the mark (in the mark's millisecond it would be checked again)
  expect([...store.rows.values()].map((r) => r.kind)).toEqual(['session', 'group']) // the store's horizon, the mark

  const refused = await get(app, alice1).expect(401)
  expect(refused.body.code).toBe('ERR_JWT_REVOKED')
  const passed = await get(app, alice2).expect(200, { sub: 'alice', sid: 's2' })
  expect(asked).toEqual(['s1', 's2'])
  const fresh = passed.headers['x-access-token']
  expect(typeof fresh).toBe('string')
  expect(passed.headers['access-control-expose-headers']).toBe('x-access-token')

  // The fresh token takes the fast path; so does a token of a user in another group.
  await get(app, fresh).expect(200, { sub: 'alice', sid: 's2' })
  const bobGroup = auth.recheck(bob)
  await expect(bobGroup).resolves.toMatchObject({ claims: { sub: 'bob' }, token: undefined })
  expect(asked).toEqual(['s1', 's2'])
  await auth.close()
})

test('koa: the same slow path, and a real revocation is never sent to check', async () => {
  const { auth, live, asked } = await setup()
  const app = new Koa()
  app.use(auth.koa())
  app.use((ctx) => { ctx.body = { sid: ctx.state.user.sid } })
  const server = app.callback()
  const t1 = auth.sign({ sub: 'carol', sid: 's1' })
  const t2 = auth.sign({ sub: 'carol', sid: 's2' })
  live.delete('s1')
  later()
  await auth.markGroup('carol')
  await request(server).get('/').set('Authorization', `Bearer ${t1}`).expect(401)
  const ok = await request(server).get('/').set('Authorization', `Bearer ${t2}`).expect(200, { sid: 's2' })
  expect(ok.headers['x-access-token']).toBeDefined()
  await auth.revokeUser('carol')
  const res = await request(server).get('/').set('Authorization', `Bearer ${t2}`).expect(401)
  expect(res.body.code).toBe('ERR_JWT_REVOKED')
  expect(asked).toEqual(['s1', 's2'])
  await auth.close()
})

test('verify() refuses a token past its group\'s mark with reason group; the mark is loaded at start-up', async () => {
  const { auth, store } = await setup()
  const token = auth.sign({ sub: 'dave', sid: 's1' })
  expect(auth.verify(token).sub).toBe('dave')
  later()
  await auth.markGroup('dave')
  expect(thrown(() => auth.verify(token))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'group' })
  await auth.close()
  // A new process (a store of the same rows under another id): the mark comes back.
  const copy = memoryStore()
  for (const [k, r] of store.rows) copy.rows.set(k, r)
  const { auth: again } = await setup(copy)
  expect(thrown(() => again.verify(token))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'group' })
  await again.close()
})

test('options: groups must be well formed, and markGroup needs them', async () => {
  const base = { algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore() }
  await expect(open({ ...base, groups: { count: 1000, check: () => true } })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'groups.count' })
  await expect(open({ ...base, groups: { count: 64 } })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'groups.check' })
  const plain = await open(base)
  await expect(plain.markGroup('x')).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'groups' })
  await plain.close()
})

test('a revocation made while check is pending still refuses the token, and no fresh token is issued', async () => {
  let release
  const pending = new Promise((resolve) => { release = resolve })
  const auth = await open({
    algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), clock,
    groups: { count: 1024, check: () => pending },
  })
  const token = auth.sign({ sub: 'erin', sid: 's1' })
  later()
  await auth.markGroup('erin')
  const rechecking = auth.recheck(token)
  await auth.revokeSession('s1')
  release(true)
  await expect(rechecking).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'session' })
  await auth.close()
})

test('the fresh token ends when the old one would have, and a replayed old token gets the same one', async () => {
  const time = { now: Date.now() }
  const auth = await open({
    algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), clock: () => time.now,
    groups: { count: 1024, check: async () => true },
  })
  const old = auth.sign({ sub: 'gina' }, { expiresIn: 600 })
  time.now += 5
  await auth.markGroup('gina')
  time.now += 300_000
  const first = await auth.recheck(old)
  const again = await auth.recheck(old)
  expect(again.token).toBe(first.token)
  const { decode } = require('..')
  expect(decode(first.token).exp).toBeLessThanOrEqual(decode(old).exp)
  expect(decode(first.token).exp).toBeGreaterThan(time.now / 1000)
  await auth.close()
})
