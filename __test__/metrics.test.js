'use strict'

// auth.metrics() and revocable/prometheus: counts after known traffic.
const request = require('supertest')
const revocable = require('..')
const { register } = require('../lib/prometheus')
const { createApp } = require('../examples/prometheus/app')
const { RESULTS } = require('../lib/metrics')

const secret = 'a-metrics-test-secret-of-32-bytes!'
const open = (options) => revocable.open({
  algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:'), ...options,
})
// Issued a second ago, so that a cut-off made now refuses it.
const tokenFor = (claims, options) => revocable.sign(claims, secret, { expiresIn: 600, clock: () => Date.now() - 1000, ...options })

describe('auth.metrics()', () => {
  let auth
  afterEach(() => auth?.close())

  test('counts verifications by result, revoked tokens by reason, revocations by kind, and reads the table', async () => {
    auth = await open()
    const alice = tokenFor({ sub: 'alice' })
    const laptop = tokenFor({ sub: 'bob', sid: 'laptop' })
    for (let i = 0; i < 3; i++) auth.verify(alice)
    await auth.revokeUser('alice')
    await auth.revokeSession('laptop')
    const refuse = (t) => expect(() => auth.verify(t)).toThrow()
    refuse(alice)
    refuse(alice)
    refuse(laptop)
    refuse('not-a-token')
    refuse(tokenFor({ sub: 'carol' }, { expiresIn: 1, clock: () => Date.now() - 10_000 }))
    refuse(42)

    const m = auth.metrics()
    expect(Object.keys(m.verifications)).toEqual(RESULTS)
    expect(m.verifications).toMatchObject({ ok: 3, ERR_JWT_REVOKED: 3, ERR_JWT_MALFORMED: 2, ERR_JWT_EXPIRED: 1, ERR_JWT_SIGNATURE: 0 })
    expect(m.revoked).toEqual({ user: 2, session: 1 })
    expect(m.revocations).toEqual({ user: 1, session: 1 })
    expect(m.cache.hits + m.cache.misses).toBeGreaterThanOrEqual(3)
    expect(m.cache.hits).toBeGreaterThanOrEqual(1) // alice's third verification at least
    expect(m.table).toMatchObject({ entries: { user: 1, session: 1, token: 0, allow: 0 }, global: false })
    expect(m.table.bytes).toBeGreaterThan(0)
    const { user, session, token, allow } = m.table.bytesByKind
    expect(user).toBeGreaterThan(0)
    expect(user + session + token + allow).toBe(m.table.bytes)
    expect(m.persistence).toEqual({ up: true, pending: 0, oldestPendingMs: 0 })
    expect(m.sync).toBeNull() // a private :memory: database has no other instance to follow
  })

  test('a store that is down shows as pending writes with the age of the oldest', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    // Only Date is faked: the queue's retries still run on real timers.
    jest.useFakeTimers({ now, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] })
    try {
      let failing = false // up while the Guard opens (it stores the store's horizon then)
      const store = { ...revocable.stores.sqlite(':memory:') }
      const { put, putMany } = store
      const down = () => Promise.reject(Object.assign(new Error('down'), { code: 'ERR_STORE' }))
      store.put = (r) => (failing ? down() : put(r))
      store.putMany = (records) => (failing ? down() : putMany(records)) // what the queue uses
      auth = await open({ store })
      failing = true
      const failed = new Promise((resolve) => auth.once('error', resolve))
      auth.on('error', () => {})
      const stored = auth.revokeUser('mallory')
      stored.catch(() => {}) // awaited below; a failed assertion before that must not leave it unhandled
      await failed
      jest.setSystemTime(now + 5000)
      const m = auth.metrics()
      expect(m.persistence).toEqual({ up: false, pending: 1, oldestPendingMs: 5000 })
      failing = false
      await stored
      expect(auth.metrics().persistence).toEqual({ up: true, pending: 0, oldestPendingMs: 0 })
    } finally {
      jest.useRealTimers()
    }
  })
})

/** `name{labels} value` lines of a Prometheus text exposition, as { 'name{labels}': value }. */
function samples(text) {
  const out = {}
  for (const line of text.split('\n')) {
    const m = /^(revocable_[a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line)
    if (m) out[m[1]] = Number(m[2])
  }
  return out
}

describe('revocable/prometheus', () => {
  test('an Express app under a few requests: /metrics shows what happened', async () => {
    const { app, auth } = await createApp({ secret, store: revocable.stores.sqlite(':memory:') })
    try {
      const alice = tokenFor({ sub: 'alice' })
      for (let i = 0; i < 3; i++) await request(app).get('/me').set('Authorization', `Bearer ${alice}`).expect(200)
      await request(app).post('/logout-everywhere').set('Authorization', `Bearer ${alice}`).expect(204)
      await request(app).get('/me').set('Authorization', `Bearer ${alice}`).expect(401)
      await request(app).get('/me').set('Authorization', 'Bearer not.a.jwt').expect(401)
      await request(app).get('/me').expect(401) // no token: nothing to verify

      const res = await request(app).get('/metrics').expect(200)
      expect(res.headers['content-type']).toMatch(/^text\/plain/)
      expect(res.text).toContain('# TYPE revocable_verifications_total counter')
      expect(res.text).toContain('# TYPE revocable_table_entries gauge')
      const s = samples(res.text)
      expect(s).toMatchObject({
        'revocable_verifications_total{result="ok"}': 4,
        'revocable_verifications_total{result="ERR_JWT_REVOKED"}': 1,
        'revocable_verifications_total{result="ERR_JWT_MALFORMED"}': 1,
        'revocable_verifications_total{result="ERR_JWT_EXPIRED"}': 0,
        'revocable_revoked_tokens_total{reason="user"}': 1,
        'revocable_revocations_total{kind="user"}': 1,
        'revocable_table_entries{kind="user"}': 1,
        'revocable_table_entries{kind="session"}': 0,
        revocable_store_up: 1,
        revocable_store_pending: 0,
        revocable_store_oldest_pending_seconds: 0,
      })
      expect(s.revocable_cache_hits_total + s.revocable_cache_misses_total).toBeGreaterThanOrEqual(4)
      expect(s['revocable_table_bytes{kind="user"}']).toBeGreaterThan(0)
      expect(s['revocable_table_bytes{kind="token"}']).toBe(0)
      // A second scrape after more traffic moves the counters on, not from zero.
      await request(app).get('/me').set('Authorization', `Bearer ${alice}`).expect(401)
      const again = samples((await request(app).get('/metrics')).text)
      expect(again['revocable_verifications_total{result="ERR_JWT_REVOKED"}']).toBe(2)
    } finally {
      await auth.close()
    }
  })

  test('a scrape reads metrics() once, so its figures agree with each other; the next scrape reads again', async () => {
    const client = require('prom-client')
    const registry = new client.Registry()
    const auth = await open()
    try {
      const reads = jest.spyOn(auth, 'metrics')
      register(auth, { registry })
      await registry.metrics()
      expect(reads).toHaveBeenCalledTimes(1)
      await new Promise((resolve) => setImmediate(resolve))
      auth.verify(tokenFor({ sub: 'x' }))
      expect(samples(await registry.metrics())['revocable_verifications_total{result="ok"}']).toBe(1)
      expect(reads).toHaveBeenCalledTimes(2)
    } finally {
      await auth.close()
    }
  })

  test('register refuses what is not a Guard, and two Guards can share a registry under different prefixes', async () => {
    const client = require('prom-client')
    const registry = new client.Registry()
    expect(() => register({}, { registry })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
    const a = await open()
    const b = await open()
    try {
      register(a, { registry })
      const second = register(b, { registry, prefix: 'revocable_b_' })
      expect(() => register(b, { registry })).toThrow(/already been registered/)
      b.verify(tokenFor({ sub: 'x' }))
      const s = samples(await registry.metrics())
      expect(s['revocable_verifications_total{result="ok"}']).toBe(0)
      expect(s['revocable_b_verifications_total{result="ok"}']).toBe(1)
      second.unregister()
      expect(await registry.metrics()).not.toContain('revocable_b_')
    } finally {
      await a.close()
      await b.close()
    }
  })
})

describe('remote key sets', () => {
  const { provider, ecKey, setOf } = require('./helpers-jwks')
  let idp
  beforeEach(async () => { idp = await provider() })
  afterEach(() => idp.close())

  test('fetches, freshness and age of each key set are in metrics() and in Prometheus', async () => {
    const key = ecKey('k1')
    idp.json('/jwks', setOf(key))
    const auth = await revocable.open({
      algorithms: ['ES256'], maxTokenLifetime: '2h', store: revocable.stores.sqlite(':memory:'), jwks: { uri: `${idp.url}/jwks`, allowHttp: true },
    })
    try {
      expect(auth.metrics().jwks).toEqual([{ uri: `${idp.url}/jwks`, up: true, fetches: 1, ageMs: expect.any(Number) }])
      const registry = new (require('prom-client').Registry)()
      register(auth, { registry })
      const s = samples(await registry.metrics())
      expect(s[`revocable_jwks_fetches_total{uri="${idp.url}/jwks"}`]).toBe(1)
      expect(s[`revocable_jwks_up{uri="${idp.url}/jwks"}`]).toBe(1)
      expect(s[`revocable_jwks_age_seconds{uri="${idp.url}/jwks"}`]).toBeGreaterThanOrEqual(0)
    } finally {
      await auth.close()
    }
  })

  test('a Guard with a static key has no key set metrics', async () => {
    const auth = await open()
    expect(auth.metrics().jwks).toBeNull()
    await auth.close()
  })
})
