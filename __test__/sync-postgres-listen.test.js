'use strict'

// Issue 12, point 7: the PostgreSQL watcher listens before its first catch-up,
// so a change committed during that catch-up is applied at once, not after the
// 30 s safety timer.
const { Pool, Client } = require('pg')
const { postgres } = require('../lib/stores')
const { PG_URL, unique, describeWith } = require('./helpers-stores')

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve))

describeWith('postgres')('postgres sync: listen first', () => {
  const table = unique('sync_pg_listen')
  let writerPool
  let watchPool
  let during = null // what the hooked client does after its next catch-up query

  // The watcher's connection: after the first catch-up query has read the log
  // (and before the watcher sees the rows), another instance commits a change,
  // and its notification reaches this connection.
  class HookedClient extends Client {
    query(...args) {
      const text = typeof args[0] === 'string' ? args[0] : args[0] && args[0].text
      const result = super.query(...args)
      if (!during || typeof text !== 'string' || !text.includes('LEFT JOIN LATERAL')) return result
      const hook = during
      during = null
      return result.then(async (rows) => {
        await hook(this)
        return rows
      })
    }
  }

  beforeAll(() => {
    writerPool = new Pool({ connectionString: PG_URL, max: 2 })
    watchPool = new Pool({ connectionString: PG_URL, max: 2, Client: HookedClient })
  })
  afterAll(async () => {
    await writerPool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
    await Promise.all([writerPool.end(), watchPool.end()])
  })

  test('a change committed during the first catch-up is applied without waiting for the safety timer', async () => {
    const writer = postgres({ pool: writerPool, table })
    const watcher = postgres({ pool: watchPool, table })
    await writer.open()
    await watcher.open()
    const from = await watcher.position()
    during = async (client) => {
      const heard = once(client, 'notification')
      await writer.put({ kind: 'user', key: 'during-catch-up', at: Date.now(), expiresAt: null })
      await heard
    }
    let settle
    const applied = new Promise((resolve) => { settle = resolve })
    const handle = watcher.watch({
      from,
      onRecords: (records) => {
        if (records.some((r) => r.key === 'during-catch-up')) settle(true)
      },
      onGap: async () => {},
      onState: () => {},
    })
    // Far below the 30 s safety timer that would otherwise find the change.
    const timer = setTimeout(() => settle(false), 10_000)
    const found = await applied
    clearTimeout(timer)
    await handle.close()
    expect(during).toBeNull() // the hook ran
    expect(found).toBe(true)
  }, 20_000)
})
