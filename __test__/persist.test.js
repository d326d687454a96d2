'use strict'

// The write queue on its own: group commit, order, refusals, retries.
const { PersistQueue, BATCH_MAX } = require('../lib/persist')
const { StoreError } = require('../lib/stores/errors')

/** A store whose putMany calls are recorded and held until released. */
function heldStore() {
  const calls = []
  return {
    name: 'held',
    calls,
    putMany(records) {
      return new Promise((resolve, reject) => calls.push({ records, resolve, reject }))
    },
    async until(n) {
      while (calls.length < n) await new Promise((resolve) => setImmediate(resolve))
      return calls[n - 1]
    },
  }
}

const token = (i) => ({ kind: 'token', key: `t${i}`, at: i, expiresAt: i })
const user = (sub) => ({ kind: 'user', key: sub, at: 1, expiresAt: 2 })
const refusal = () => new StoreError('held store: put failed: refused', { store: 'held', operation: 'put', cause: Object.assign(new Error('refused'), { permanent: true }) })

describe('group commit', () => {
  test('records pushed together are written in one call, and each resolves only once it is stored', async () => {
    const store = heldStore()
    const q = new PersistQueue(store)
    const settled = []
    const promises = [0, 1, 2].map((i) => q.push(token(i)).then(() => settled.push(i)))
    const first = await store.until(1)
    expect(first.records.map((r) => r.key)).toEqual(['t0', 't1', 't2'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toEqual([])
    expect(q.pending).toBe(3)
    first.resolve()
    await Promise.all(promises)
    expect(q.pending).toBe(0)
    expect(store.calls).toHaveLength(1)
  })

  test('records queued during a write go out together in the next one, at most BATCH_MAX at a time', async () => {
    const store = heldStore()
    const q = new PersistQueue(store)
    const all = [q.push(token(-1))]
    const first = await store.until(1)
    for (let i = 0; i < BATCH_MAX + 10; i++) all.push(q.push(token(i)))
    first.resolve()
    const second = await store.until(2)
    expect(second.records).toHaveLength(BATCH_MAX)
    second.resolve()
    const third = await store.until(3)
    expect(third.records).toHaveLength(10)
    third.resolve()
    await Promise.all(all)
  })

  test('a cut-off queued behind thousands of token entries goes out in the very next write', async () => {
    const store = heldStore()
    const q = new PersistQueue(store)
    const all = [q.push(token(-1))]
    const first = await store.until(1)
    for (let i = 0; i < 5000; i++) all.push(q.push(token(i)))
    all.push(q.push(user('banned')), q.push({ kind: 'global', key: '', at: 1, expiresAt: null }))
    first.resolve()
    const second = await store.until(2)
    expect(second.records.slice(0, 2).map((r) => r.kind)).toEqual(['user', 'global'])
    second.resolve()
    for (let n = 3; n <= 7; n++) (await store.until(n)).resolve()
    await Promise.all(all)
  })
})

describe('a record the store refuses for good', () => {
  test('is found by halving its batch: its promise alone rejects, every other record is stored', async () => {
    const stored = []
    const refused = []
    const store = {
      name: 'picky',
      calls: 0,
      async putMany(records) {
        store.calls++
        if (records.some((r) => r.key === 't37')) throw refusal()
        stored.push(...records.map((r) => r.key))
      },
    }
    const q = new PersistQueue(store, { onRefused: (err, record) => refused.push([err.code, record.key]) })
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => q.push(token(i))))
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason.code)).toEqual(['ERR_STORE_REFUSED'])
    expect(results[37].status).toBe('rejected')
    expect(stored.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `t${i}`).filter((k) => k !== 't37').sort())
    expect(refused).toEqual([['ERR_STORE_REFUSED', 't37']])
    expect(store.calls).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)))
    expect(q.down).toBe(false)
  })

  test('a store without putMany is written one put at a time, with the same isolation', async () => {
    const stored = []
    const store = {
      name: 'plain',
      async put(r) {
        if (r.key === 't1') throw Object.assign(new Error('refused'), { permanent: true })
        stored.push(r.key)
      },
    }
    const q = new PersistQueue(store)
    const results = await Promise.allSettled([0, 1, 2].map((i) => q.push(token(i))))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(results[1].reason).toMatchObject({ code: 'ERR_STORE_REFUSED', permanent: true })
    expect([...new Set(stored)].sort()).toEqual(['t0', 't2'])
  })
})

/** A store whose first `failures` writes fail; `writes` lists the keys of each one that succeeded. */
function flakyStore(failures) {
  const writes = []
  const store = {
    name: 'flaky',
    async putMany(records) {
      if (failures-- > 0) throw Object.assign(new Error('down'), { code: 'ERR_STORE' })
      writes.push(records.map((r) => r.key))
    },
  }
  return { store, writes }
}

describe('transient failures', () => {
  test('a failed write is retried whole, in order, and reported; nothing is dropped', async () => {
    const errors = []
    const { store, writes } = flakyStore(2)
    const recovered = []
    const q = new PersistQueue(store, { onError: (e) => errors.push(e.message), onRecover: () => recovered.push(true) })
    await Promise.all([q.push(token(0)), q.push(user('u')), q.push(token(1))])
    expect(writes).toEqual([['u', 't0', 't1']])
    expect(errors).toEqual(['down', 'down'])
    expect(recovered).toEqual([true])
  })

  test('a listener that throws neither stops the queue nor fails a stored write; its error is thrown on its own turn', async () => {
    const { store, writes } = flakyStore(1)
    const thrown = []
    const q = new PersistQueue(store, {
      onError: () => { throw new Error('onError listener') },
      onRecover: () => { throw new Error('onRecover listener') },
      uncaught: (err) => thrown.push(err.message),
    })
    await Promise.all([q.push(token(0)), q.push(user('u'))])
    expect(writes).toEqual([['u', 't0']])
    expect(thrown).toEqual(['onError listener', 'onRecover listener'])
  })

  test('a write that times out is retried in smaller batches, so a slow store still drains', async () => {
    const sizes = []
    const store = {
      name: 'slow',
      putMany(records) {
        sizes.push(records.length)
        // Anything over 100 records never answers in time.
        return records.length > 100 ? new Promise(() => {}) : Promise.resolve()
      },
    }
    const q = new PersistQueue(store, { attemptTimeoutMs: 5 })
    await Promise.all(Array.from({ length: 400 }, (_, i) => q.push(token(i))))
    expect(sizes.slice(0, 3)).toEqual([400, 200, 100])
    expect(q.pending).toBe(0)
  })

  test('stop rejects what is queued and what is being written', async () => {
    const store = heldStore()
    const q = new PersistQueue(store)
    const first = q.push(token(0))
    await store.until(1)
    const second = q.push(token(1))
    q.stop()
    await expect(first).rejects.toMatchObject({ code: 'ERR_STORE' })
    await expect(second).rejects.toMatchObject({ code: 'ERR_STORE' })
    expect(q.pending).toBe(0)
  })
})
