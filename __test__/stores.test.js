'use strict'

// One contract, every store: the Guard relies on exactly these behaviours.

const { fixtures, partition } = require('./helpers-stores')

const HOUR = 3_600_000
const LIVE = () => Date.now() + HOUR
const PAST = () => Date.now() - HOUR

const rejection = (promise) => promise.then(
  () => { throw new Error('expected a rejection') },
  (err) => err,
)

/** Loads everything, checking that the resolved total matches what arrived. */
async function loadAll(store) {
  const records = []
  const total = await store.load(async (batch) => {
    records.push(...batch)
  })
  expect(total).toBe(records.length)
  return records.sort((a, b) => `${a.kind} ${a.key}`.localeCompare(`${b.kind} ${b.key}`))
}

function contract(fixture) {
  let env
  let opened = []
  const make = (options) => {
    const store = env.make(options)
    opened.push(store)
    return store
  }

  beforeEach(async () => {
    env = null
    env = await fixture.start()
  })
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()))
    opened = []
    if (env) await env.stop()
  }, 60_000)

  test('names itself and its location; stores on one location share an id', () => {
    const store = make()
    expect(store.name).toBe(fixture.name.split(' ')[0])
    expect(store.id).toBe(env.id)
    expect(make().id).toBe(store.id)
  })

  test('opening twice, or from a second store, is idempotent', async () => {
    const first = make()
    await Promise.all([first.open(), first.open()])
    await first.open()
    await first.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: LIVE() })
    const second = make()
    await second.open()
    expect((await loadAll(second)).map((r) => r.key)).toEqual(['u1'])
  })

  test('refuses a schema written by a newer version', async () => {
    await make().open()
    await env.setSchemaVersion(99)
    const err = await rejection(make().open())
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toMatch(/open failed: .*schema version 99, written by a newer revocable/)
  })

  test('put then load returns every kind of record as it was written', async () => {
    const store = make()
    await store.open()
    const expiresAt = LIVE()
    const written = [
      { kind: 'allow', key: JSON.stringify(['https://iss', 'jti-2']), at: expiresAt, expiresAt },
      { kind: 'global', key: '', at: 1_700_000_000_000, expiresAt: null },
      { kind: 'session', key: JSON.stringify(['sid', 'ünï:cödé|*?']), at: 1_700_000_000_123, expiresAt },
      { kind: 'token', key: JSON.stringify(['https://iss', 'jti-1']), at: expiresAt, expiresAt },
      { kind: 'user', key: 'user:42', at: 1_700_000_000_000.5, expiresAt },
    ]
    for (const record of written) await store.put(record)
    expect(await loadAll(store)).toEqual(written)
  })

  test('put with an older at keeps the newer one, and the later expiry', async () => {
    const store = make()
    await store.open()
    const expiresAt = LIVE()
    await store.put({ kind: 'user', key: 'u1', at: 2000, expiresAt })
    await store.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: expiresAt + 5000 })
    expect(await loadAll(store)).toEqual([{ kind: 'user', key: 'u1', at: 2000, expiresAt: expiresAt + 5000 }])
  })

  test('put with a newer at replaces the older one', async () => {
    const store = make()
    await store.open()
    const expiresAt = LIVE()
    await store.put({ kind: 'session', key: 's1', at: 1000, expiresAt })
    await store.put({ kind: 'session', key: 's1', at: 3000, expiresAt: expiresAt - 5000 })
    expect(await loadAll(store)).toEqual([{ kind: 'session', key: 's1', at: 3000, expiresAt }])
  })

  test('a record that never expires stays so when a finite expiry is put over it', async () => {
    const store = make()
    await store.open()
    await store.put({ kind: 'global', key: '', at: 1000, expiresAt: null })
    await store.put({ kind: 'global', key: '', at: 2000, expiresAt: PAST() })
    expect(await loadAll(store)).toEqual([{ kind: 'global', key: '', at: 2000, expiresAt: null }])
  })

  test('load skips expired records', async () => {
    const store = make()
    await store.open()
    await store.put({ kind: 'user', key: 'gone', at: 1000, expiresAt: PAST() })
    await store.put({ kind: 'user', key: 'kept', at: 1000, expiresAt: LIVE() })
    await env.bulkInsert(50, 1000, PAST())
    expect((await loadAll(store)).map((r) => r.key)).toEqual(['kept'])
  })

  test('prune deletes the records that expired before nowMs', async () => {
    const store = make()
    await store.open()
    const now = Date.now()
    // Both tokens outlive the test, so only prune (never the clock) can remove one.
    await store.put({ kind: 'token', key: 'soon', at: now + 60_000, expiresAt: now + 60_000 })
    await store.put({ kind: 'token', key: 'later', at: now + HOUR, expiresAt: now + HOUR })
    await store.put({ kind: 'global', key: '', at: now, expiresAt: null })
    const pruned = await store.prune(now + 120_000)
    expect(pruned).toBe(1)
    expect((await loadAll(store)).map((r) => r.key)).toEqual(['', 'later'])
    expect(await store.prune(now + 120_000)).toBe(0)
  })

  test('load hands out batches of at most 10,000 and awaits each one', async () => {
    const store = make()
    await store.open()
    await env.bulkInsert(25_000, 1000, LIVE())
    const sizes = []
    let busy = false
    const total = await store.load(async (batch) => {
      expect(busy).toBe(false)
      busy = true
      sizes.push(batch.length)
      await new Promise((resolve) => setTimeout(resolve, 5))
      busy = false
    })
    expect(total).toBe(25_000)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25_000)
    // The SQL stores page by 10,000; Redis hands each HSCAN page (about 1,000) over while it reads the next.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000)
    expect(sizes.length).toBeGreaterThanOrEqual(3)
  })

  test('puts still work while load awaits a batch', async () => {
    const store = make()
    await store.open()
    await env.bulkInsert(15_000, 1000, LIVE())
    await store.load(() => store.put({ kind: 'user', key: 'during-load', at: 1, expiresAt: LIVE() }))
    expect((await loadAll(store)).some((r) => r.key === 'during-load')).toBe(true)
  })

  test("load rejects with the callback's own error", async () => {
    const store = make()
    await store.open()
    await store.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: LIVE() })
    const mine = new Error('the guard failed')
    await expect(store.load(async () => { throw mine })).rejects.toBe(mine)
  })

  test("close leaves the app's client usable, and the store refuses further work", async () => {
    const store = make()
    await store.open()
    await store.close()
    await expect(env.appClientWorks()).resolves.toBe(true)
    const err = await rejection(store.put({ kind: 'user', key: 'u1', at: 1, expiresAt: LIVE() }))
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toMatch(/store: put failed: store is (closed|not open)/)
  })

  test('a record no store can hold is refused for good (ERR_STORE_REFUSED) before reaching the server', async () => {
    const store = make()
    await store.open()
    const invalid = [
      null,
      { kind: 'nope', key: 'k', at: 1, expiresAt: 1 },
      { kind: 'user', key: 'k', at: NaN, expiresAt: 1 },
      // Past int64 ms for Redis, past the Date range for everyone.
      { kind: 'token', key: 'k', at: -1e303, expiresAt: -1e303 },
      { kind: 'user', key: 'k', at: Number.MAX_VALUE, expiresAt: Number.MAX_VALUE },
      // 3 KB of UTF-8 in 1,024 characters: over PostgreSQL's btree row limit.
      { kind: 'token', key: JSON.stringify(['', '\u6f22'.repeat(1024)]), at: 1, expiresAt: LIVE() },
      { kind: 'user', key: 'lone \ud800 surrogate', at: 1, expiresAt: LIVE() },
    ]
    for (const record of invalid) {
      const err = await rejection(store.put(record))
      expect([err.code, err.permanent]).toEqual(['ERR_STORE_REFUSED', true])
      expect(err.message).toMatch(/put failed: invalid record/)
    }
    // One bad record in a batch refuses the batch before anything is written.
    const err = await rejection(store.putMany([{ kind: 'user', key: 'fine', at: 1, expiresAt: LIVE() }, invalid[3]]))
    expect(err.code).toBe('ERR_STORE_REFUSED')
    await store.put({ kind: 'user', key: 'after', at: 1, expiresAt: LIVE() })
    expect((await loadAll(store)).map((r) => r.key)).toEqual(['after'])
  })

  test('putMany writes a batch at once, folding repeats of one key as put would', async () => {
    const store = make()
    await store.open()
    const live = LIVE()
    const batch = Array.from({ length: 2500 }, (_, i) => ({ kind: 'token', key: `t${i}`, at: 1000 + i, expiresAt: live }))
    batch.push({ kind: 'user', key: 'u', at: 5, expiresAt: live }, { kind: 'user', key: 'u', at: 9, expiresAt: live + 1 })
    batch.push({ kind: 'global', key: '', at: 3, expiresAt: null }, { kind: 'global', key: '', at: 2, expiresAt: 7 })
    await store.putMany(batch)
    // Redis's HSCAN may return a field twice when the hash is resized mid-scan
    // (lib/stores/redis-hashes.js): count distinct records.
    const rows = [...new Map((await loadAll(store)).map((r) => [`${r.kind} ${r.key}`, r])).values()]
    expect(rows).toHaveLength(2502)
    expect(rows.find((r) => r.kind === 'user')).toEqual({ kind: 'user', key: 'u', at: 9, expiresAt: live + 1 })
    expect(rows.find((r) => r.kind === 'global')).toEqual({ kind: 'global', key: '', at: 3, expiresAt: null })
    expect(rows.find((r) => r.key === 't2499')).toMatchObject({ at: 3499 })
  })

  test('the edges of the Date range are stored and read back exactly', async () => {
    const store = make()
    await store.open()
    await store.putMany([
      { kind: 'user', key: 'forever', at: 8.64e15, expiresAt: null },
      { kind: 'token', key: JSON.stringify(['', 'ancient']), at: -8.64e15, expiresAt: 8.64e15 },
    ])
    const rows = await loadAll(store)
    expect(rows).toEqual([
      { kind: 'token', key: JSON.stringify(['', 'ancient']), at: -8.64e15, expiresAt: 8.64e15 },
      { kind: 'user', key: 'forever', at: 8.64e15, expiresAt: null },
    ])
  })
}

const { runnable, skipped } = partition(fixtures)
describe.each(runnable)('$name store', contract)
if (skipped.length) describe.skip.each(skipped)('$name store', contract)

// Nothing listens on port 1 (and SQLite gets a missing directory): these run everywhere.
describe.each(fixtures)('$name store whose server or storage is unreachable', (fixture) => {
  test('open() and put() reject with ERR_STORE, naming the store and the operation', async () => {
    const { store, stop } = fixture.dead()
    try {
      const name = fixture.name.split(' ')[0]
      const opened = await rejection(store.open())
      expect(opened.code).toBe('ERR_STORE')
      expect(opened.message).toMatch(new RegExp(`^${name} store: open failed: `))
      const put = await rejection(store.put({ kind: 'user', key: 'u1', at: 1, expiresAt: Date.now() + HOUR }))
      expect(put.code).toBe('ERR_STORE')
      expect(put.message).toMatch(new RegExp(`^${name} store: put failed: `))
    } finally {
      await stop()
    }
  }, 15_000)
})
