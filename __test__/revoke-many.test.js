'use strict'

// Guard#revokeMany: the bulk call scripts and the CLI use.
const { open, sign } = require('..')
const { memoryStore } = require('./memory-store')

const secret = 'a-revoke-many-secret-of-32-bytes!'
const T0 = 1_700_000_000_000

async function guard(store = memoryStore()) {
  const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store, clock: () => T0 })
  return { g, store }
}
// The store's records but the horizon every Guard keeps there (its longest maxTokenLifetime).
const revocations = (store) => [...store.rows.values()].filter((r) => !r.key.startsWith('["revocable:horizon"'))
const tokenAt = (ms, claims) => sign(claims, secret, { expiresIn: '10m', clock: () => ms })
const verdict = (g, token) => {
  try {
    g.verify(token)
    return 'accepted'
  } catch (err) {
    return `${err.code}:${err.reason}`
  }
}

test('every kind of record is in force at once and stored in one batch', async () => {
  const store = memoryStore()
  const batches = []
  store.putMany = async (records) => {
    batches.push(records.length)
    for (const r of records) await store.put(r)
  }
  const { g } = await guard(store)
  batches.length = 0 // open() stored the store's horizon (lib/guard/horizon.js)
  const tok = tokenAt(T0 - 1000, { sub: 'carol', jti: 'j1' })
  const done = g.revokeMany([
    { type: 'user', sub: 'alice' },
    { type: 'session', value: 's-1' },
    { type: 'token', token: tok },
    { type: 'all', before: T0 - 60_000 },
  ])
  expect(verdict(g, tokenAt(T0 - 1000, { sub: 'alice' }))).toBe('ERR_JWT_REVOKED:user')
  expect(verdict(g, tokenAt(T0 - 1000, { sub: 'bob', sid: 's-1' }))).toBe('ERR_JWT_REVOKED:session')
  expect(verdict(g, tok)).toBe('ERR_JWT_REVOKED:token')
  expect(verdict(g, tokenAt(T0 - 120_000, { sub: 'dave' }))).toBe('ERR_JWT_REVOKED:global')
  expect(await done).toEqual({ stored: 4, failed: [] })
  expect(batches).toEqual([4])
  expect(revocations(store)).toHaveLength(4)
})

test('invalid records are listed by index with their code; the others are stored', async () => {
  const { g, store } = await guard()
  const result = await g.revokeMany([
    { type: 'user', sub: 'ok-1' },
    { type: 'nope' },
    null,
    { type: 'user', sub: '' },
    { type: 'token', token: 'not.a.token' },
    { type: 'user', sub: 'forever', before: Infinity },
    { type: 'user', sub: 'ok-2' },
  ])
  expect(result.stored).toBe(3)
  expect(result.failed.map((f) => [f.index, f.code])).toEqual([
    [1, 'ERR_JWT_INVALID_OPTION'],
    [2, 'ERR_JWT_INVALID_OPTION'],
    [3, 'ERR_JWT_INVALID_OPTION'],
    [4, 'ERR_JWT_MALFORMED'],
  ])
  expect(revocations(store).map((r) => r.key).sort()).toEqual(['forever', 'ok-1', 'ok-2'])
  // A ban forever is kept at the end of the Date range, and never expires.
  expect(store.rows.get('user\0forever')).toMatchObject({ at: 8.64e15, expiresAt: null })
})

test('a record the store refuses is listed, and does not hold the others back', async () => {
  const store = memoryStore()
  const put = store.put
  store.put = async (r) => {
    if (r.key === 'poison') throw Object.assign(new Error('refused'), { permanent: true })
    return put(r)
  }
  const { g } = await guard(store)
  const errors = []
  g.on('error', (e) => errors.push(e.code))
  const subs = Array.from({ length: 50 }, (_, i) => (i === 20 ? 'poison' : `u${i}`))
  const result = await g.revokeMany(subs.map((sub) => ({ type: 'user', sub })))
  expect(result).toEqual({ stored: 49, failed: [{ index: 20, code: 'ERR_STORE_REFUSED', message: expect.any(String) }] })
  expect(errors).toEqual(['ERR_STORE_REFUSED'])
  expect(g.health()).toMatchObject({ store: 'ok', pending: 0 })
})

test('anything but an array is refused at once', async () => {
  const { g } = await guard()
  expect(() => g.revokeMany({ type: 'user', sub: 'x' })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
})
