'use strict'

const Redis = require('ioredis')
const { createClient } = require('redis')
const { redis } = require('../lib/stores')
const { unique, unlinkAll, describeWith, ioredisClient, nodeRedisClient } = require('./helpers-stores')

const HOUR = 3_600_000

describe('redis store options', () => {
  test.each([
    ['client', {}],
    ['client', { client: { get() {} } }],
    ['prefix', { client: new Redis({ lazyConnect: true }), prefix: 'app:*' }],
    ['prefix', { client: new Redis({ lazyConnect: true }), prefix: '' }],
    ['timeout', { client: new Redis({ lazyConnect: true }), timeout: -5 }],
  ])('an invalid `%s` throws ERR_STORE when the store is made', (name, options) => {
    let err
    try {
      redis(options)
    } catch (e) {
      err = e
    }
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toContain(`invalid option \`${name}\``)
  })

  test('the id names host, port, database and prefix, never the password', () => {
    const io = new Redis('redis://:hunter2@cache.internal:6380/3', { lazyConnect: true })
    const nr = createClient({ url: 'redis://user:hunter2@cache.internal:6380/3' })
    expect(redis({ client: io, prefix: 'p' }).id).toBe('redis:cache.internal:6380/3#p')
    expect(redis({ client: nr, prefix: 'p' }).id).toBe('redis:cache.internal:6380/3#p')
  })

  test("an ioredis keyPrefix is part of the id, since the keys really start with it", () => {
    const io = new Redis({ lazyConnect: true, keyPrefix: 'app:' })
    expect(redis({ client: io, prefix: 'p' }).id).toBe('redis:localhost:6379/0#app:p')
  })
})

const clients = [
  ['ioredis', ioredisClient, (c) => c.disconnect()],
  ['node-redis', nodeRedisClient, (c) => (c.isOpen ? c.quit() : undefined)],
]

describeWith('redis').each(clients)('redis store with %s', (library, makeClient, dispose) => {
  let client
  let prefix
  afterEach(async () => {
    try {
      await unlinkAll(client, `${prefix}:*`)
    } finally {
      await dispose(client)
    }
  })

  test('open() connects a client the app has not connected yet', async () => {
    client = library === 'ioredis' ? makeClient({ lazyConnect: true }) : makeClient()
    prefix = unique('revocable-test')
    const store = redis({ client, prefix })
    await store.open()
    await store.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: Date.now() + HOUR })
    expect(await store.load(() => {})).toBe(1)
    await store.close()
  })

  test('concurrent puts on one key keep the largest at (the compare-and-set is atomic)', async () => {
    client = makeClient()
    if (library === 'node-redis') await client.connect()
    prefix = unique('revocable-test')
    const stores = [redis({ client, prefix }), redis({ client, prefix })]
    await Promise.all(stores.map((s) => s.open()))
    const expiresAt = Date.now() + HOUR
    const ats = Array.from({ length: 200 }, (_, i) => 1_000_000 + ((i * 7919) % 200))
    await Promise.all(ats.map((at, i) => stores[i % 2].put({ kind: 'session', key: 'u1', at, expiresAt: expiresAt + at })))
    const records = []
    await stores[0].load((batch) => records.push(...batch))
    expect(records).toEqual([{ kind: 'session', key: 'u1', at: 1_000_199, expiresAt: expiresAt + 1_000_199 }])
  })
})

describeWith('redis')('redis store with an ioredis keyPrefix', () => {
  test('records are written and loaded under the keyPrefix', async () => {
    const keyPrefix = `${unique('app')}:`
    const client = ioredisClient({ keyPrefix })
    const plain = ioredisClient()
    try {
      const store = redis({ client, prefix: 'p' })
      await store.open()
      await store.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: Date.now() + HOUR })
      expect(await plain.hexists(`${keyPrefix}p:h:user`, 'u1')).toBe(1)
      const keys = []
      await store.load((batch) => keys.push(...batch.map((r) => `${r.kind}:${r.key}`)))
      expect(keys).toEqual(['user:u1'])
    } finally {
      client.disconnect()
      await unlinkAll(plain, `${keyPrefix}p:*`).finally(() => plain.disconnect())
    }
  })
})

describeWith('redis')('redis store hashes: load and prune', () => {
  let client
  let prefix
  beforeEach(() => {
    client = ioredisClient()
    prefix = unique('prune')
  })
  afterEach(async () => {
    await unlinkAll(client, `${prefix}:*`)
    client.disconnect()
  })

  test('a field holding U+0000 (written behind the store\'s back) loads with the rest of its page', async () => {
    const store = redis({ client, prefix })
    await store.open()
    const expiresAt = Date.now() + HOUR
    await store.putMany(['a', 'b'].map((key) => ({ kind: 'user', key, at: 1, expiresAt })))
    await client.hset(`${prefix}:h:user`, 'nul\u0000key', `2|${expiresAt}`)
    const records = []
    await store.load((batch) => records.push(...batch))
    expect(records.map((r) => r.key).sort()).toEqual(['a', 'b', 'nul\u0000key'])
    expect(records.find((r) => r.at === 2)).toEqual({ kind: 'user', key: 'nul\u0000key', at: 2, expiresAt })
  })

  test('deletes the hash fields that expired and their `<prefix>:x` members, keeping a record whose expiry was extended', async () => {
    const store = redis({ client, prefix })
    await store.open()
    const now = Date.now()
    await store.putMany([
      { kind: 'token', key: 'gone', at: now, expiresAt: now + 60_000 },
      { kind: 'user', key: 'extended', at: now, expiresAt: now + 60_000 },
      { kind: 'global', key: '', at: now, expiresAt: null },
    ])
    await store.put({ kind: 'user', key: 'extended', at: now, expiresAt: now + HOUR })
    expect(await store.prune(now + 120_000)).toBe(1)
    expect(await client.hexists(`${prefix}:h:token`, 'gone')).toBe(0)
    expect(await client.zrange(`${prefix}:x`, 0, -1)).toEqual(['user:extended'])
    expect(await store.get('user', 'extended')).toMatchObject({ expiresAt: now + HOUR })
  })

  test("the hash's expiry decides: a member whose score fell behind is put back in step, not deleted", async () => {
    const store = redis({ client, prefix })
    await store.open()
    const now = Date.now()
    await store.put({ kind: 'session', key: 's:1|x', at: now, expiresAt: now + HOUR })
    await client.zadd(`${prefix}:x`, now - 1, 'session:s:1|x')
    await client.zadd(`${prefix}:x`, now - 1, 'session:no-such-field')
    expect(await store.prune(now)).toBe(0)
    expect(await client.zrange(`${prefix}:x`, 0, -1, 'WITHSCORES')).toEqual(['session:s:1|x', String(now + HOUR)])
    expect(await store.get('session', 's:1|x')).toMatchObject({ at: now, expiresAt: now + HOUR })
  })

  test('prunes past one script call, and a nowMs that is not a finite number is refused', async () => {
    const store = redis({ client, prefix })
    await store.open()
    const now = Date.now()
    await store.putMany(Array.from({ length: 2500 }, (_, i) => ({ kind: 'token', key: `t${i}`, at: now, expiresAt: now + 1000 })))
    await expect(store.prune(NaN)).rejects.toMatchObject({ code: 'ERR_STORE', message: expect.stringMatching(/prune failed: nowMs/) })
    await expect(store.prune('later')).rejects.toMatchObject({ code: 'ERR_STORE' })
    expect(await store.prune(now + 2000)).toBe(2500)
    expect(await client.exists(`${prefix}:h:token`, `${prefix}:x`)).toBe(0)
  })
})
