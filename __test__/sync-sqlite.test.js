'use strict'

// Several processes on one host sharing a SQLite file: each sees the others'
// changes through the change log and PRAGMA data_version (lib/stores/sqlite-sync.js).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { sqlite } = require('../lib/stores')
const { unique } = require('./helpers-stores')
const { describeSync, start, tokenFor } = require('./helpers-sync')

jest.setTimeout(30_000)

let dir
const file = () => path.join(dir, 'revocations.db')
const table = unique('sync_sqlite')

describeSync('sqlite', {
  config: () => ({ kind: 'sqlite', file: file(), name: table }),
  start() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-sync-'))
  },
  stop() {
    fs.rmSync(dir, { recursive: true, force: true })
  },
  cut: null, // no connection to lose: the frozen process is the outage
  async forget() {
    const store = sqlite(file(), { table, logRetention: 0 })
    await store.open()
    await store.prune(Date.now() + 1000)
    await store.close()
  },
})

describe('sqlite: changes applied out of order', () => {
  let tmp
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-sync-order-'))
  })
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  test('a replayed or older change arriving late never loosens a cut-off', async () => {
    const dbFile = path.join(tmp, 'r.db')
    const name = unique('sync_order')
    const b = await start({ kind: 'sqlite', file: dbFile, name })
    try {
      const now = Date.now()
      const issued = (sub, ms) => require('..').sign({ sub }, require('./helpers-sync').secret, { expiresIn: 600, clock: () => ms })
      const old = issued('u', now - 2000)
      const fresh = issued('u', now + 500)
      // Written behind the Guards' backs, as another process would: the newer
      // cut-off, then that same change again, then an older one.
      const raw = new (require('better-sqlite3'))(dbFile)
      const log = raw.prepare(`INSERT INTO "${name}_log" (kind, key, at, expires_at, ts) VALUES ('user', 'u', ?, ?, ?)`)
      log.run(now, now + 3_600_000, now)
      expect(await b.call('whenRejected', { token: old, timeoutMs: 5000 })).not.toEqual({ at: null })
      log.run(now, now + 3_600_000, now)
      log.run(now - 5000, now + 3_600_000, now)
      raw.close()
      const last = async () => (await b.call('health')).sync.lastId
      // Log row 1 is the store's horizon, which b recorded when it opened (lib/guard/horizon.js).
      for (let i = 0; i < 100 && (await last()) !== '4'; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await last()).toBe('4')
      expect(await b.call('verify', { token: old })).toBe('ERR_JWT_REVOKED:user')
      expect(await b.call('verify', { token: fresh })).toBe('accepted')
      expect(await b.call('verify', { token: tokenFor('v') })).toBe('accepted')
    } finally {
      await b.stop()
    }
  })

  test('a change this version cannot apply is skipped, and the ones after it still arrive', async () => {
    const dbFile = path.join(tmp, 'skip.db')
    const name = unique('sync_skip')
    const b = await start({ kind: 'sqlite', file: dbFile, name })
    try {
      const token = tokenFor('after-unknown')
      const raw = new (require('better-sqlite3'))(dbFile)
      const log = raw.prepare(`INSERT INTO "${name}_log" (kind, key, at, expires_at, ts) VALUES (?, ?, ?, ?, ?)`)
      const now = Date.now()
      log.run('from-the-future', 'x', now, now + 3_600_000, now)
      log.run('user', 'after-unknown', now, now + 3_600_000, now)
      raw.close()
      expect((await b.call('whenRejected', { token, timeoutMs: 5000 })).at).not.toBeNull()
      // Log row 1 is the store's horizon, which b recorded when it opened (lib/guard/horizon.js).
      expect((await b.call('health')).sync).toMatchObject({ connected: true, lastId: '3' })
    } finally {
      await b.stop()
    }
  })
})
