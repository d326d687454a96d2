'use strict'

// The result cache answers a repeated token without calling into Rust, and
// must never answer one that a fresh verify would refuse.
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { open, sign, Verifier } = require('..')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'a-cache-test-secret-of-32-bytes!!'
const T0 = 1_800_000_000_000

async function guard(extra = {}) {
  const time = { now: T0 }
  const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), clock: () => time.now, ...extra })
  return { g, time }
}

const tokenAt = (ms, claims = {}, opts = {}) => sign({ sub: 'alice', ...claims }, secret, { expiresIn: '10m', clock: () => ms, ...opts })

/** A token is cached the second time it verifies (the first only marks it seen). */
function warm(v, token) {
  v.verify(token)
  v.verify(token)
}

/** Verifies and says whether the answer came from the cache. */
function verified(v, token) {
  const before = v.cacheStats().hits
  const claims = v.verify(token)
  return { claims, hit: v.cacheStats().hits === before + 1 }
}

describe('Verifier', () => {
  test('a repeated token is a hit, and each caller gets its own claims object', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0 })
    const token = tokenAt(T0, { roles: ['admin'] })
    const first = verified(v, token)
    expect(first.hit).toBe(false)
    expect(v.cacheStats().size).toBe(0) // seen once: not kept
    first.claims.sub = 'mallory'
    expect(verified(v, token).hit).toBe(false) // seen twice: kept
    const second = verified(v, token)
    expect(second).toMatchObject({ hit: true, claims: { sub: 'alice', roles: ['admin'] } })
    // Nested values are shared between callers, so they are frozen.
    expect(Object.isFrozen(second.claims.roles)).toBe(true)
  })

  test('a cached token still expires at exp + clockTolerance, and is not yet valid before nbf', () => {
    const time = { now: T0 }
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clockTolerance: 5, clock: () => time.now })
    const token = sign({ sub: 'a', nbf: T0 / 1000 }, secret, { expiresIn: 60, clock: () => T0 })
    warm(v, token)
    time.now = T0 + 64_999
    expect(verified(v, token).hit).toBe(true)
    time.now = T0 + 65_000
    expect(thrown(() => v.verify(token)).code).toBe('ERR_JWT_EXPIRED')
    // A clock moved back before nbf - tolerance refuses it again, cached or not.
    time.now = T0
    warm(v, token)
    time.now = T0 - 5001
    expect(thrown(() => v.verify(token)).code).toBe('ERR_JWT_NOT_BEFORE')
  })

  test('maxAge ends a cached result too', () => {
    const time = { now: T0 }
    const v = new Verifier({ algorithms: ['HS256'], key: secret, maxAge: 30, clock: () => time.now })
    const token = tokenAt(T0)
    warm(v, token)
    time.now = T0 + 29_999
    expect(verified(v, token).hit).toBe(true)
    time.now = T0 + 30_000
    expect(thrown(() => v.verify(token)).code).toBe('ERR_JWT_MAX_AGE')
  })

  test('a token differing in one character is never answered from the cache', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0 })
    const token = tokenAt(T0)
    warm(v, token)
    // 'A' and 'Q' both end a 32-byte signature canonically (its last character
    // carries 4 bits); 'B' would make it ERR_JWT_MALFORMED rather than forged.
    const last = token.at(-1) === 'A' ? 'Q' : 'A'
    expect(thrown(() => v.verify(token.slice(0, -1) + last)).code).toBe('ERR_JWT_SIGNATURE')
  })

  test('cache: 0 turns it off; a bad size is refused; the cache is bounded', () => {
    const off = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0, cache: 0 })
    const token = tokenAt(T0)
    warm(off, token)
    expect(verified(off, token).hit).toBe(false)
    expect(thrown(() => new Verifier({ algorithms: ['HS256'], key: secret, cache: -1 }))).toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', claim: 'cache' })
    const small = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0, cache: 2 })
    for (const sub of ['a', 'b', 'c']) warm(small, tokenAt(T0, { sub }))
    expect(small.cacheStats()).toMatchObject({ size: 2, max: 2 })
  })

  test('a token is kept only when it comes back within the next `cache` verifications', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0, cache: 2 })
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => tokenAt(T0, { sub }))
    for (const t of [a, b, c, a]) v.verify(t) // a came back after 3 others: as good as new
    expect(v.cacheStats().size).toBe(0)
    v.verify(a)
    expect(v.cacheStats().size).toBe(1)
    expect(verified(v, a).hit).toBe(true)
  })

  test('complete: true is not cached and still returns header and payload', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0 })
    const token = tokenAt(T0)
    warm(v, token)
    const before = v.cacheStats().hits
    expect(v.verify(token, { complete: true }).payload.sub).toBe('alice')
    expect(v.cacheStats().hits).toBe(before)
  })
})

describe('Guard: every revocation invalidates the results it should, and no others', () => {
  test('revokeUser refuses the cached token of that user; another user stays cached', async () => {
    const { g } = await guard()
    const alice = tokenAt(T0 - 10)
    const bob = tokenAt(T0 - 10, { sub: 'bob' })
    warm(g, alice)
    warm(g, bob)
    expect(verified(g, alice).hit).toBe(true)
    await g.revokeUser('alice')
    expect(thrown(() => g.verify(alice))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
    expect(verified(g, bob).hit).toBe(true)
  })

  test('revokeToken, revokeSession and revokeAll each refuse a cached token', async () => {
    const { g } = await guard()
    const t1 = tokenAt(T0 - 10, { sid: 's1' })
    const t2 = tokenAt(T0 - 10, { sid: 's2' })
    const t3 = tokenAt(T0 - 10, { sub: 'carol' })
    for (const t of [t1, t2, t3]) warm(g, t)
    await g.revokeToken(t1)
    expect(thrown(() => g.verify(t1)).reason).toBe('token')
    expect(verified(g, t2).hit).toBe(true)
    await g.revokeSession('s2')
    expect(thrown(() => g.verify(t2)).reason).toBe('session')
    expect(verified(g, t3).hit).toBe(true)
    await g.revokeAll()
    expect(thrown(() => g.verify(t3)).reason).toBe('global')
  })

  test('a token entry with exp 0 (a record already past its time) still refuses a cached token', async () => {
    const { g } = await guard()
    const token = tokenAt(T0 - 10)
    warm(g, token)
    await g.revokeToken({ jti: require('..').decode(token).jti, exp: 0 })
    expect(thrown(() => g.verify(token)).reason).toBe('token')
  })

  test('a cut-off that does not reach the token leaves it valid (re-verified, then cached again)', async () => {
    const { g } = await guard()
    const token = tokenAt(T0 - 10)
    warm(g, token)
    await g.revokeUser('alice', { before: T0 - 20 })
    expect(g.verify(token).sub).toBe('alice')
    expect(verified(g, token).hit).toBe(true)
  })

  test('a revocation made in a worker thread invalidates this thread\'s cached result', async () => {
    const name = `cache-${process.pid}-${Date.now()}`
    const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(name) })
    const token = sign({ sub: 'dave' }, secret, { expiresIn: 60, clock: () => Date.now() - 1000 })
    const other = sign({ sub: 'erin' }, secret, { expiresIn: 60, clock: () => Date.now() - 1000 })
    warm(g, token)
    warm(g, other)
    expect(verified(g, token).hit).toBe(true)
    const code = `
      const { parentPort, workerData } = require('node:worker_threads')
      const { open } = require(${JSON.stringify(path.join(__dirname, '..'))})
      const { memoryStore } = require(${JSON.stringify(path.join(__dirname, 'memory-store.js'))})
      open({ algorithms: ['HS256'], key: workerData.secret, maxTokenLifetime: '1h', store: memoryStore(workerData.name) })
        .then((g) => g.revokeUser('dave'))
        .then(() => parentPort.postMessage('done'), (e) => parentPort.postMessage(e.message))
    `
    const reply = await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { name, secret } })
      w.once('message', (m) => { resolve(m); w.terminate() })
      w.once('error', reject)
    })
    expect(reply).toBe('done')
    expect(thrown(() => g.verify(token))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
    expect(verified(g, other).hit).toBe(true)
  })
})
