'use strict'

// Schema 1 (revocable 0.1: a key per record) to schema 2 (a hash per kind):
// the migration at open, a crash in the middle of it, a 0.1 instance still
// writing during a rolling upgrade, and a stream trimmed before its entries
// were folded. 0.1 is played by its own scripts (fixtures/redis-v1.js).
const { redis } = require('../lib/stores')
const { adapt } = require('../lib/stores/redis-client')
const { openV1, putV1 } = require('./fixtures/redis-v1')
const { unique, unlinkAll, describeWith, ioredisClient, nodeRedisClient } = require('./helpers-stores')

const HOUR = 3_600_000
const LIVE = Date.now() + HOUR

// Keys with the separators of the layout in them: ':' (member "<kind>:<key>"), '|' and a newline.
const V1_RECORDS = [
  { kind: 'user', key: 'u:1|x\ny', at: 1000, expiresAt: LIVE },
  { kind: 'session', key: JSON.stringify(['sid', 'ünï:cödé|*?']), at: 2000, expiresAt: LIVE + 1 },
  { kind: 'token', key: JSON.stringify(['https://iss', 'jti-1']), at: LIVE, expiresAt: LIVE },
  { kind: 'global', key: '', at: 1_700_000_000_000, expiresAt: null },
  { kind: 'group', key: '3/16', at: 3000, expiresAt: LIVE + 2 },
]

const byKey = (records) => records.slice().sort((a, b) => `${a.kind} ${a.key}`.localeCompare(`${b.kind} ${b.key}`))

async function loadAll(store) {
  const records = []
  await store.load((batch) => records.push(...batch))
  return byKey(records)
}

const setups = [
  ['ioredis', () => ioredisClient(), ''],
  ['ioredis with a keyPrefix', () => ioredisClient({ keyPrefix: `${unique('kp')}:` }), 'keyPrefix'],
  ['node-redis', async () => {
    const client = nodeRedisClient()
    await client.connect()
    return client
  }, ''],
]

describeWith('redis').each(setups)('redis schema 1 to 2 with %s', (library, makeClient) => {
  let client
  let c
  let admin
  let prefix
  let full // the prefix as stored, after any keyPrefix
  const opened = []
  const store = (options) => {
    const s = redis({ client, prefix, ...options })
    opened.push(s)
    return s
  }
  const legacyKeys = async () => (await admin.keys(`${full}:r:*`)).length

  beforeEach(async () => {
    client = await makeClient()
    c = adapt('redis', client)
    admin = ioredisClient()
    prefix = unique('fold')
    full = `${c.keyPrefix}${prefix}`
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()))
    await unlinkAll(admin, `${full}:*`)
    admin.disconnect()
    if (library === 'node-redis') await client.quit()
    else client.disconnect()
  })

  test('open() moves schema 1 records into the hashes, with what 0.1 wrote behind its stream', async () => {
    expect(await openV1(c, prefix)).toBe(1)
    await putV1(c, prefix, V1_RECORDS)
    await putV1(c, prefix, [{ kind: 'user', key: 'u:1|x\ny', at: 500, expiresAt: LIVE + 5 }]) // older at, later expiry
    // A record with no stream entry (0.1's own load benchmark filled keys so).
    await admin.set(`${full}:r:user:bulk`, `7|${LIVE}`, 'PXAT', LIVE)
    const s = store()
    await s.open()
    expect(await admin.get(`${full}:schema`)).toBe('2')
    expect(await legacyKeys()).toBe(0)
    expect(await admin.exists(`${full}:migrating`)).toBe(0)
    expect(await admin.get(`${full}:folded`)).toBe('6')
    const expected = byKey([
      ...V1_RECORDS.slice(1),
      { kind: 'user', key: 'u:1|x\ny', at: 1000, expiresAt: LIVE + 5 },
      { kind: 'user', key: 'bulk', at: 7, expiresAt: LIVE },
    ])
    expect(await loadAll(s)).toEqual(expected)
    // The never-expiring record has no member in `<prefix>:x`: nothing for prune to find.
    expect(await admin.zcard(`${full}:x`)).toBe(expected.length - 1)
    expect(await s.get('user', 'u:1|x\ny')).toEqual({ kind: 'user', key: 'u:1|x\ny', at: 1000, expiresAt: LIVE + 5 })
  })

  test('0.1 cannot open a prefix once it is migrated', async () => {
    await openV1(c, prefix)
    await store().open()
    expect(await openV1(c, prefix)).toBe(2) // 0.1 throws "upgrade revocable" above 1
  })

  test('what a 0.1 instance still running writes after the migration, a fresh open loads', async () => {
    await openV1(c, prefix)
    await putV1(c, prefix, V1_RECORDS.slice(0, 2))
    const v2 = store()
    await v2.open()
    await v2.put({ kind: 'user', key: 'from-v2', at: 10, expiresAt: LIVE })
    // The 0.1 instance writes to its own keys: a new record, and a later cut-off on a moved one.
    await putV1(c, prefix, [{ kind: 'token', key: 'from-v1', at: 20, expiresAt: LIVE }, { ...V1_RECORDS[0], at: 9000 }])
    await v2.put({ kind: 'user', key: 'from-v2-again', at: 30, expiresAt: LIVE })
    expect(await legacyKeys()).toBe(2)
    // Read-only: the command line's `show` sees the 0.1 key before anything folded it.
    expect(await v2.get('user', V1_RECORDS[0].key)).toMatchObject({ at: 9000 })

    const fresh = store()
    await fresh.open()
    const keys = (await loadAll(fresh)).map((r) => `${r.key}@${r.at}`)
    expect(keys.sort()).toEqual([`${V1_RECORDS[1].key}@2000`, 'from-v1@20', 'from-v2-again@30', 'from-v2@10', `${V1_RECORDS[0].key}@9000`].sort())
    expect(await legacyKeys()).toBe(0)
    const info = await admin.xinfo('STREAM', `${full}:changes`)
    const last = info[info.indexOf('last-generated-id') + 1]
    expect(`0-${await admin.get(`${full}:folded`)}`).toBe(last)
    // Every entry is folded again: the next write moves `folded` with it.
    await fresh.put({ kind: 'user', key: 'later', at: 40, expiresAt: LIVE })
    expect(await admin.get(`${full}:folded`)).toBe(String(Number(last.slice(2)) + 1))
  })

  test('a stream trimmed before 0.1 writes were folded sweeps the 0.1 keys instead', async () => {
    await openV1(c, prefix)
    const v2 = store()
    await v2.open()
    await putV1(c, prefix, [{ kind: 'session', key: 's-trimmed', at: 5, expiresAt: LIVE }])
    await v2.put({ kind: 'user', key: 'v2', at: 6, expiresAt: LIVE })
    await admin.xtrim(`${full}:changes`, 'MAXLEN', 0)
    expect((await loadAll(store())).map((r) => r.key)).toEqual(['s-trimmed', 'v2'])
    expect(await legacyKeys()).toBe(0)
    expect(await admin.get(`${full}:folded`)).toBe('2')
  })

  test("folding a 0.1 entry takes its key's latest value: a later entry for that key may be lost before it is folded", async () => {
    await openV1(c, prefix)
    const v2 = store()
    await v2.open()
    await putV1(c, prefix, [{ kind: 'user', key: 'k', at: 1, expiresAt: LIVE }])
    await putV1(c, prefix, [{ kind: 'user', key: 'k', at: 2, expiresAt: LIVE }])
    await admin.xdel(`${full}:changes`, '0-2') // entry 0-1 is folded, then 0-2 is found missing
    expect(await loadAll(v2)).toEqual([{ kind: 'user', key: 'k', at: 2, expiresAt: LIVE }])
    expect(await legacyKeys()).toBe(0)
  })

  test('a stream deleted and started again below `folded` sweeps, and `folded` follows the new stream', async () => {
    await openV1(c, prefix)
    const v2 = store()
    await v2.open()
    await v2.putMany([1, 2, 3].map((i) => ({ kind: 'user', key: `v2-${i}`, at: i, expiresAt: LIVE })))
    await admin.del(`${full}:changes`)
    await putV1(c, prefix, [{ kind: 'user', key: 'after-reset', at: 5, expiresAt: LIVE }]) // entry 0-1 again
    expect((await loadAll(v2)).map((r) => r.key)).toEqual(['after-reset', 'v2-1', 'v2-2', 'v2-3'])
    expect(await admin.get(`${full}:folded`)).toBe('1')
    await v2.put({ kind: 'user', key: 'v2-4', at: 6, expiresAt: LIVE })
    expect(await admin.get(`${full}:folded`)).toBe('2')
  })

  test('a migration cut short (the connection lost mid-sweep) is finished by the next open', async () => {
    await openV1(c, prefix)
    const many = Array.from({ length: 3000 }, (_, i) => ({ kind: 'token', key: `t${i}`, at: i, expiresAt: LIVE }))
    for (let i = 0; i < many.length; i += 1000) await putV1(c, prefix, many.slice(i, i + 1000))
    // The app's client, failing every script after the first move of a page of 0.1 keys.
    let moves = 0
    const failing = new Proxy(client, {
      get(target, name) {
        const value = target[name]
        if (name !== 'eval' && name !== 'evalsha') return typeof value === 'function' ? value.bind(target) : value
        return (script, ...rest) => {
          if (String(script).includes('local strip') && ++moves > 1) return Promise.reject(new Error('connection lost'))
          return value.call(target, script, ...rest)
        }
      },
    })
    const cut = redis({ client: failing, prefix })
    await expect(cut.open()).rejects.toMatchObject({ code: 'ERR_STORE', message: expect.stringMatching(/open failed: connection lost/) })
    const left = await legacyKeys()
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThan(many.length)
    expect(await admin.exists(`${full}:migrating`)).toBe(1)
    expect(await openV1(c, prefix)).toBe(2) // already fenced off
    // Meanwhile a 0.1 instance still running writes; its entry is after the migration's mark.
    await putV1(c, prefix, [{ kind: 'user', key: 'during', at: 1, expiresAt: LIVE }])

    const s = store()
    await s.open()
    expect(await legacyKeys()).toBe(0)
    expect(await admin.exists(`${full}:migrating`)).toBe(0)
    const records = await loadAll(s)
    expect(records).toHaveLength(many.length + 1)
    expect(records.find((r) => r.key === 't2999')).toEqual(many[2999])
    expect(await admin.get(`${full}:folded`)).toBe('3001')
  })
})
