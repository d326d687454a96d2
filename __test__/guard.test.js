'use strict'

const { open, sign, decode } = require('..')
const { memoryStore } = require('./memory-store')
const { thrown, craft } = require('./helpers')

const secret = 'a-guard-test-secret-of-32-bytes!!'
const T0 = 1_800_000_000_000

/** A Guard with a controllable clock on a fresh in-memory store. */
async function guard(extra = {}) {
  const time = { now: T0 }
  const store = extra.store ?? memoryStore()
  const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store, clock: () => time.now, ...extra })
  return { g, time, store }
}

const tokenAt = (ms, claims = {}, opts = {}) => sign({ sub: 'u1', ...claims }, secret, { expiresIn: '10m', clock: () => ms, ...opts })
const reasonOf = (fn) => { const e = thrown(fn); return `${e.code}:${e.reason}` }
// The store's records but the horizon every Guard keeps there (its longest maxTokenLifetime).
const records = (store) => [...store.rows.values()].filter((r) => !r.key.startsWith('["revocable:horizon"'))

afterEach(() => jest.useRealTimers())

describe('user cut-off (logout everywhere, password change, ban)', () => {
  test('refuses tokens issued before it, to the millisecond, and accepts later ones', async () => {
    const { g } = await guard()
    await g.revokeUser('u1', { before: T0 })
    expect(reasonOf(() => g.verify(tokenAt(T0 - 1)))).toBe('ERR_JWT_REVOKED:user')
    expect(g.verify(tokenAt(T0)).sub).toBe('u1')
    expect(g.verify(tokenAt(T0 - 1, { sub: 'u2' })).sub).toBe('u2')
  })

  test('by default a token issued in the same millisecond, before the call, is refused; one signed after is not', async () => {
    const { g } = await guard()
    const sameMs = g.sign({ sub: 'u1' })
    await g.revokeUser('u1')
    expect(reasonOf(() => g.verify(sameMs))).toBe('ERR_JWT_REVOKED:user')
    const fresh = g.sign({ sub: 'u1' })
    expect(g.verify(fresh).sub).toBe('u1')
    expect(decode(fresh).iat * 1000).toBe(T0 + 1)
  })

  test('only moves forward: an older cut-off does not reopen tokens', async () => {
    const { g } = await guard()
    await g.revokeUser('u1', { before: T0 })
    await g.revokeUser('u1', { before: new Date(T0 - 60_000) })
    expect(reasonOf(() => g.verify(tokenAt(T0 - 30_000)))).toBe('ERR_JWT_REVOKED:user')
  })
})

describe('single token', () => {
  test('revoked by token string or by claims, other tokens unaffected', async () => {
    const { g } = await guard()
    const a = tokenAt(T0 - 5)
    const b = tokenAt(T0 - 5)
    await g.revokeToken(a)
    expect(reasonOf(() => g.verify(a))).toBe('ERR_JWT_REVOKED:token')
    expect(g.verify(b).sub).toBe('u1')
    await g.revokeToken(decode(b))
    expect(reasonOf(() => g.verify(b))).toBe('ERR_JWT_REVOKED:token')
  })

  test('a token without jti or exp cannot be revoked by id', async () => {
    const { g } = await guard()
    const noJti = await g.revokeToken({ sub: 'u1' }).catch((err) => err)
    expect([noJti.code, noJti.claim]).toEqual(['ERR_JWT_CLAIM', 'jti'])
    expect(noJti.message).toMatch(/revokeSession|revokeUser/)
    await expect(g.revokeToken({ jti: 'j' })).rejects.toMatchObject({ code: 'ERR_JWT_MALFORMED' })
  })
})

describe('session and device', () => {
  test('revokes one sid, leaving the user\'s other sessions', async () => {
    const { g } = await guard()
    const phone = tokenAt(T0 - 5, { sid: 's-phone' })
    const laptop = tokenAt(T0 - 5, { sid: 's-laptop' })
    await g.revokeSession('s-phone')
    expect(reasonOf(() => g.verify(phone))).toBe('ERR_JWT_REVOKED:session')
    expect(g.verify(laptop).sid).toBe('s-laptop')
  })

  test('any configured claim, such as a device id', async () => {
    const { g } = await guard({ sessionClaims: ['sid', 'did'] })
    const t = tokenAt(T0 - 5, { did: 'tablet-1' })
    await g.revokeSession('tablet-1', { claim: 'did' })
    expect(reasonOf(() => g.verify(t))).toBe('ERR_JWT_REVOKED:session')
    await expect(g.revokeSession('x', { claim: 'device' })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
  })
})

describe('global cut-off and allow-list', () => {
  test('revokeAll refuses everything issued before it', async () => {
    const { g } = await guard()
    await g.revokeAll({ before: T0 })
    expect(reasonOf(() => g.verify(tokenAt(T0 - 1, { sub: 'anyone' })))).toBe('ERR_JWT_REVOKED:global')
    expect(g.verify(tokenAt(T0)).sub).toBe('u1')
  })

  test('allow-list mode accepts only tokens the Guard signed', async () => {
    const { g, store } = await guard({ allowList: true })
    const mine = g.sign({ sub: 'u1' })
    expect(g.verify(mine).sub).toBe('u1')
    expect(reasonOf(() => g.verify(tokenAt(T0)))).toBe('ERR_JWT_REVOKED:not_allowed')
    await new Promise((r) => setImmediate(r))
    expect([...store.rows.values()].some((r) => r.kind === 'allow')).toBe(true)
  })
})

describe('bounded lifetimes make pruning safe', () => {
  test('tokens without iat or exp, or living longer than maxTokenLifetime, are refused', async () => {
    const { g } = await guard()
    const noIat = craft({ alg: 'HS256' }, { sub: 'u1', exp: T0 / 1000 + 60 }, secret)
    expect(thrown(() => g.verify(noIat))).toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'iat' })
    const noExp = craft({ alg: 'HS256' }, { sub: 'u1', iat: T0 / 1000 }, secret)
    expect(thrown(() => g.verify(noExp))).toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'exp' })
    const long = tokenAt(T0, {}, { expiresIn: '2h' })
    const err = thrown(() => g.verify(long))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'exp'])
  })

  test('a user entry stays until cut-off + 2 x maxTokenLifetime + tolerance, then goes', async () => {
    const { g, time } = await guard({ clockTolerance: 5 })
    await g.revokeUser('u1', { before: T0 })
    time.now = T0 + 2 * 3600_000 + 5_000
    expect(g.prune()).toBe(0)
    // The last token the entry could refuse expired by now: one minted (refresh, rotation)
    // up to a lifetime after the cut-off from a session begun before it, exp <= iat + 1h.
    const last = sign({ sub: 'u1', auth_time: (T0 - 1) / 1000 }, secret, { clock: () => T0 + 3600_000, expiresIn: '1h' })
    expect(thrown(() => g.verify(last)).code).toBe('ERR_JWT_EXPIRED')
    time.now += 1
    expect(g.prune()).toBe(1)
    expect(g.stats().users).toBe(0)
  })

  test('a token entry stays until its exp + tolerance', async () => {
    const { g, time } = await guard()
    const t = tokenAt(T0 - 1000, {}, { expiresIn: 60 })
    await g.revokeToken(t)
    time.now = decode(t).exp * 1000
    expect(g.prune()).toBe(0)
    time.now += 1000
    expect(g.prune()).toBe(1)
  })

  test('a forged far-future exp cannot pin an entry past maxTokenLifetime', async () => {
    const { g, store } = await guard()
    await g.revokeToken({ jti: 'x', exp: 4_000_000_000 })
    const [row] = records(store)
    expect(row.at).toBe(T0 + 3600_000 + 1000) // lifetime + tolerance (0) + the 1 s iat allowance
  })
})

describe('hostile revocation requests', () => {
  test('a forged token with a non-finite exp is refused and cannot jam the queue', async () => {
    const { g, store } = await guard()
    const b64 = (text) => Buffer.from(text).toString('base64url')
    const input = `${b64('{"alg":"HS256"}')}.${b64('{"jti":"x","iat":1,"exp":-1e400}')}`
    await expect(g.revokeToken(`${input}.AAAA`)).rejects.toMatchObject({ code: 'ERR_JWT_SIGNATURE' })
    const signed = `${input}.${require('node:crypto').createHmac('sha256', secret).update(input).digest('base64url')}`
    await expect(g.revokeToken(signed)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'exp' })
    await expect(g.revokeToken({ jti: 'x', exp: NaN })).rejects.toMatchObject({ code: 'ERR_JWT_MALFORMED' })
    await expect(g.revokeToken({ jti: 'x'.repeat(2000), exp: T0 / 1000 })).rejects.toMatchObject({ code: 'ERR_JWT_MALFORMED' })
    await g.revokeUser('victim', { before: T0 })
    expect(g.health()).toMatchObject({ store: 'ok', pending: 0 })
    expect(records(store)).toHaveLength(1)
  })

  test('a second revokeToken with an earlier exp cannot shorten the first', async () => {
    const { g, time } = await guard()
    const stolen = tokenAt(T0 - 1000, {}, { expiresIn: '10m' })
    await g.revokeToken(stolen)
    await g.revokeToken({ jti: decode(stolen).jti, exp: 1 })
    time.now = T0 + 60_000
    g.prune()
    expect(reasonOf(() => g.verify(stolen))).toBe('ERR_JWT_REVOKED:token')
  })

  test('a Guard with a short lifetime does not prune entries a longer-lived Guard on the same table needs', async () => {
    const store = memoryStore()
    const { g: long, time } = await guard({ store, maxTokenLifetime: '30d' })
    const { g: short } = await guard({ store, maxTokenLifetime: '5m', clock: () => time.now })
    const old = sign({ sub: 'u9' }, secret, { expiresIn: '20d', clock: () => T0 - 1000 })
    await long.revokeUser('u9', { before: T0 })
    time.now = T0 + 600_000
    short.prune()
    expect(reasonOf(() => long.verify(old))).toBe('ERR_JWT_REVOKED:user')
  })

  test('a session claim that is not a string is refused rather than never matching', async () => {
    const { g } = await guard()
    const err = thrown(() => g.verify(tokenAt(T0 - 5, { sid: 123 })))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'sid'])
  })

  test('a key no store can keep (U+0000) is refused up front, and the queue keeps flowing', async () => {
    const { g, store } = await guard()
    await expect(g.revokeUser('mallory\u0000')).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
    await g.revokeUser('bob')
    expect(g.health()).toMatchObject({ store: 'ok', pending: 0 })
    expect(records(store).map((r) => r.key)).toEqual(['bob'])
  })

  test('a record the store refuses for good is dropped with its promise rejected, not retried forever', async () => {
    const store = memoryStore()
    const put = store.put
    store.put = async (r) => {
      if (r.key === 'poison') throw Object.assign(new Error('refused'), { code: 'ERR_STORE', permanent: true })
      return put(r)
    }
    const { g } = await guard({ store })
    await expect(g.revokeUser('poison')).rejects.toMatchObject({ permanent: true })
    await g.revokeUser('bob')
    expect(g.health().pending).toBe(0)
  })

  test('sign lifts iat past a cut-off for the subject given as an option too', async () => {
    const { g } = await guard()
    await g.revokeUser('s1')
    expect(g.verify(g.sign({}, { subject: 's1' })).sub).toBe('s1')
  })
})

describe('the store', () => {
  test('every change is persisted before the promise resolves, and reloaded by the next Guard', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    await g.revokeUser('u1', { before: T0 })
    await g.revokeSession('s1', { before: T0 })
    expect(records(store)).toHaveLength(2)
    await g.close()
    const { g: again } = await guard({ store: { ...store, id: `${store.id}-reopened` } })
    expect(reasonOf(() => again.verify(tokenAt(T0 - 1)))).toBe('ERR_JWT_REVOKED:user')
  })

  test('a store that is down: enforced at once, queued, reported, then persisted when it returns', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    const errors = []
    g.on('error', (e) => errors.push(e.code))
    const failed = new Promise((resolve) => g.once('error', resolve))
    store.failing = true
    let stored = false
    const pending = g.revokeUser('u1', { before: T0 }).then(() => { stored = true })
    pending.catch(() => {}) // awaited below; a failed assertion before that must not leave it unhandled
    expect(reasonOf(() => g.verify(tokenAt(T0 - 1)))).toBe('ERR_JWT_REVOKED:user')
    await failed // the first write failed and was reported: the change waits, queued
    expect(stored).toBe(false)
    expect(g.health()).toMatchObject({ store: 'down', pending: 1 })
    expect(errors[0]).toBe('ERR_STORE')
    store.failing = false
    await pending
    expect(g.health()).toEqual({ store: 'ok', pending: 0, lastError: 'store is down' })
    expect(records(store)).toHaveLength(1)
  })

  test('changes keep their order through an outage', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    g.on('error', () => {})
    const failed = new Promise((resolve) => g.once('error', resolve))
    store.failing = true
    const done = [g.revokeUser('a'), g.revokeUser('b'), g.revokeAll()]
    expect(g.health().pending).toBe(3)
    await failed
    store.failing = false
    await Promise.all(done)
    expect(records(store).map((r) => r.key)).toEqual(['a', 'b', ''])
  })

  test('a \'revoked\' listener that throws cannot keep the change from the store', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    g.on('revoked', () => { throw new Error('listener failed') })
    // The caller hears of the listener's failure, as EventEmitter has it...
    await expect(g.revokeUser('u-heard', { before: T0 })).rejects.toThrow('listener failed')
    // ...and the change is in force here and stored all the same.
    expect(reasonOf(() => g.verify(tokenAt(T0 - 1, { sub: 'u-heard' })))).toBe('ERR_JWT_REVOKED:user')
    expect(await g.close()).toEqual({ pending: 0 })
    expect(records(store).map((r) => r.key)).toEqual(['u-heard'])
  })

  test('close waits for a write still in flight: a revocation nobody awaited is stored, not rejected', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    const put = store.put
    let release
    store.put = (r) => new Promise((resolve) => { release = () => resolve(put(r)) })
    const outcome = g.revokeUser('u-late', { before: T0 }).then(() => 'stored', (err) => err.code)
    const closed = g.close({ timeout: 5000 })
    await new Promise((resolve) => setImmediate(resolve)) // the write has started
    release()
    expect(await closed).toEqual({ pending: 0 })
    expect(await outcome).toBe('stored')
    expect(records(store).map((r) => r.key)).toEqual(['u-late'])
  })

  test('close waits for the queue, up to a timeout it reports', async () => {
    const store = memoryStore()
    const { g } = await guard({ store })
    g.on('error', () => {})
    store.failing = true
    const unstored = g.revokeUser('u9')
    expect(await g.close({ timeout: 100 })).toEqual({ pending: 1 })
    // The promise settles: the change was never stored, and the caller hears so.
    await expect(unstored).rejects.toMatchObject({ code: 'ERR_STORE' })
    await expect(g.revokeUser('u10')).rejects.toMatchObject({ code: 'ERR_STORE' })
  })

  test('open fails closed when the store cannot be read', async () => {
    const store = memoryStore()
    store.failing = true
    await expect(open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store })).rejects.toMatchObject({ code: 'ERR_STORE' })
  })

  test('loadUserCutoffs reads the app\'s own table at start-up', async () => {
    async function* loadUserCutoffs() {
      yield { sub: 'u1', at: new Date(T0) }
      yield { sub: 'u2', at: T0 - 10_000 }
    }
    const loaded = []
    const store = memoryStore()
    await store.put({ kind: 'user', key: 'u3', at: T0, expiresAt: Date.now() + 3600_000 })
    const g = await open({
      algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store, clock: () => T0, loadUserCutoffs,
      on: { loaded: (e) => loaded.push(e) },
    })
    expect(loaded).toEqual([
      { source: 'memory', count: 1, done: false },
      { source: 'memory', count: 1, done: true },
      { source: 'loadUserCutoffs', count: 2, done: true },
    ])
    expect(reasonOf(() => g.verify(tokenAt(T0 - 1)))).toBe('ERR_JWT_REVOKED:user')
    expect(g.verify(tokenAt(T0 - 1, { sub: 'u2' })).sub).toBe('u2')
    expect(g.stats().users).toBe(3)
  })
})

describe('one table per process per store', () => {
  test('Guards on the same store share revocations; other stores do not', async () => {
    const store = memoryStore()
    const { g: a } = await guard({ store })
    const { g: b } = await guard({ store })
    const { g: other } = await guard()
    await a.revokeUser('u1', { before: T0 })
    expect(reasonOf(() => b.verify(tokenAt(T0 - 1)))).toBe('ERR_JWT_REVOKED:user')
    expect(other.verify(tokenAt(T0 - 1)).sub).toBe('u1')
  })
})

describe('options', () => {
  test('maxTokenLifetime is required and unknown options are refused', async () => {
    await expect(open({ algorithms: ['HS256'], key: secret, store: memoryStore() })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
    await expect(open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), maxLifetime: 5 })).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION' })
  })

  test('sign defaults exp to maxTokenLifetime and carries sid through', async () => {
    const { g } = await guard()
    const claims = decode(g.sign({ sub: 'u1', sid: 's1' }))
    expect(claims.exp - claims.iat).toBeCloseTo(3600, 0)
    expect(claims.sid).toBe('s1')
  })
})
