'use strict'

// Several processes on one PostgreSQL table: NOTIFY wakes each, and the change
// log (read by id) makes a lost notification or a dropped connection lose nothing.
const { Pool } = require('pg')
const { postgres } = require('../lib/stores')
const { PG_URL, unique, describeWith } = require('./helpers-stores')
const { describeSync, start, tokenFor } = require('./helpers-sync')

jest.setTimeout(30_000)

const table = unique('sync_pg')
let pool

describeWith('postgres')('postgres sync', () => {
  beforeAll(() => {
    pool = new Pool({ connectionString: PG_URL, max: 2 })
  })
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
    await pool.end()
  })

  describeSync('postgres', {
    config: () => ({ kind: 'postgres', url: PG_URL, name: table }),
    start() {},
    stop() {},
    // Exactly that instance's LISTEN connection, found by its application_name.
    async cut(instance) {
      const { rows } = await pool.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`revocable ${instance.child.pid} ${table}`],
      )
      return rows.length
    },
    async forget() {
      await postgres({ pool, table, logRetention: 0 }).prune(Date.now() + 1000)
    },
  })

  test('a change too long to ride in its notification (8000 bytes) is read from the log', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => start({ kind: 'postgres', url: PG_URL, name: table })))
    try {
      // 2000 bytes, within the key bound (lib/records.js), but 12,000 once JSON escapes each one.
      const sub = '\u0001'.repeat(2000)
      const token = tokenFor(sub)
      const seen = b.call('whenRejected', { token, timeoutMs: 5000 })
      await a.call('revokeUser', { sub })
      expect((await seen).at).not.toBeNull()
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })

  test('a table made by schema version 1 gains the change log, and syncs', async () => {
    const old = unique('sync_pg_v1')
    try {
      await postgres({ pool, table: old }).open()
      // Back to what version 1 left behind.
      await pool.query(`DROP TABLE "${old}_log"`)
      await pool.query(`UPDATE "${old}_meta" SET value = '1' WHERE name = 'schema_version'`)
      const [a, b] = await Promise.all([0, 1].map(() => start({ kind: 'postgres', url: PG_URL, name: old })))
      try {
        const token = tokenFor('migrated')
        const seen = b.call('whenRejected', { token, timeoutMs: 5000 })
        await a.call('revokeUser', { sub: 'migrated' })
        expect((await seen).at).not.toBeNull()
      } finally {
        await Promise.all([a.stop(), b.stop()])
      }
      const { rows } = await pool.query(`SELECT value FROM "${old}_meta" WHERE name = 'schema_version'`)
      expect(rows).toEqual([{ value: '2' }])
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${old}", "${old}_meta", "${old}_log"`)
    }
  })
})
