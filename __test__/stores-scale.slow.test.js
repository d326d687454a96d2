'use strict'

// The store contract at scale (slow suite): a million-record table loads in
// bounded batches on every store.

const { fixtures, partition } = require('./helpers-stores')

const LIVE = () => Date.now() + 3_600_000

function scale(fixture) {
  let env
  let store
  beforeEach(async () => { env = await fixture.start() })
  afterEach(async () => {
    if (store) await store.close()
    store = null
    if (env) await env.stop()
  }, 60_000)

  test('load streams 1,000,000 records in batches of at most 10,000', async () => {
    store = env.make()
    await store.open()
    await env.bulkInsert(1_000_000, 1000, LIVE())
    let batches = 0
    let largest = 0
    let seen = 0
    const total = await store.load(async (batch) => {
      batches++
      largest = Math.max(largest, batch.length)
      seen += batch.length
    })
    expect(total).toBe(1_000_000)
    expect(seen).toBe(1_000_000)
    expect(largest).toBeLessThanOrEqual(10_000)
    expect(batches).toBeGreaterThanOrEqual(100)
  }, 120_000)
}

const { runnable, skipped } = partition(fixtures)
describe.each(runnable)('$name store', scale)
if (skipped.length) describe.skip.each(skipped)('$name store', scale)
