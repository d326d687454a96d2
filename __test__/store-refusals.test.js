'use strict'

// Which server errors a store treats as a refusal of the record itself
// (permanent: that record's promise rejects, the queue moves on) and which as
// the moment's trouble (retried). Real errors from real servers; record.js
// bounds every field first, so these are the backstop.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { PG_URL, ioredisClient, nodeRedisClient, unique, describeWith } = require('./helpers-stores')
const { refused: sqliteRefused } = require('../lib/stores/sqlite')
const { refused: postgresRefused } = require('../lib/stores/postgres')
const { refused: redisRefused } = require('../lib/stores/redis-scripts')
const { StoreError } = require('../lib/stores/errors')

const caught = async (fn) => {
  try {
    await fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

test('SQLite: a constraint or an oversized value is a refusal; a busy database is not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-refusals-'))
  const Database = require('better-sqlite3')
  const file = path.join(dir, 'r.db')
  const a = new Database(file)
  const b = new Database(file, { timeout: 0 })
  try {
    a.exec('CREATE TABLE t (x TEXT CHECK (length(x) < 3))')
    expect(sqliteRefused(await caught(() => a.prepare('INSERT INTO t VALUES (?)').run('long')))).toBe(true)
    a.exec('BEGIN IMMEDIATE')
    expect(sqliteRefused(await caught(() => b.exec('BEGIN IMMEDIATE')))).toBe(false)
    a.exec('ROLLBACK')
  } finally {
    a.close()
    b.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

describeWith('postgres')('PostgreSQL', () => {
  test('data exceptions and program limits are refusals; a missing table or a dead server is not', async () => {
    const { Pool } = require('pg')
    const pool = new Pool({ connectionString: PG_URL, max: 1 })
    const dead = new Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' })
    const table = unique('refusals')
    const zero = await caught(() => pool.query('SELECT 1 / 0'))
    expect([zero.code, postgresRefused(zero)]).toEqual(['22012', true])
    try {
      await pool.query(`CREATE TABLE "${table}" (k text COLLATE "C" PRIMARY KEY)`)
      // 5 KB that does not compress, in one key: over the btree row limit (54000).
      const key = require('node:crypto').randomBytes(4000).toString('base64')
      const big = await caught(() => pool.query(`INSERT INTO "${table}" VALUES ($1)`, [key]))
      expect([big.code, postgresRefused(big)]).toEqual(['54000', true])
      const missing = await caught(() => pool.query('SELECT * FROM "no_such_table_revocable"'))
      expect([missing.code, postgresRefused(missing)]).toEqual(['42P01', false])
      expect(postgresRefused(await caught(() => dead.query('SELECT 1')))).toBe(false)
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${table}"`)
      await Promise.all([pool.end(), dead.end()])
    }
  })
})

describeWith('redis')('Redis', () => {
  test.each([['ioredis', ioredisClient], ['node-redis', nodeRedisClient]])('%s: an ERR reply is a refusal; OOM, BUSY or READONLY replies are not', async (_, make) => {
    const client = make()
    if (typeof client.connect === 'function' && !client.options?.lazyConnect && client.isOpen === false) await client.connect()
    const evalReply = (message) => (typeof client.mGet === 'function'
      ? client.eval('return redis.error_reply(ARGV[1])', { keys: [], arguments: [message] })
      : client.eval('return redis.error_reply(ARGV[1])', 0, message))
    try {
      const key = unique('refusals')
      const pexpire = typeof client.mGet === 'function'
        ? () => client.sendCommand(['PEXPIREAT', key, '9300000000000000000'])
        : () => client.pexpireat(key, '9300000000000000000')
      expect(redisRefused(await caught(pexpire))).toBe(true)
      expect(redisRefused(await caught(() => evalReply('ERR value is not an integer or out of range')))).toBe(true)
      for (const transient of ['OOM command not allowed when used memory > maxmemory', 'BUSY Redis is busy running a script', 'READONLY You can\'t write against a read only replica', 'ERR max number of clients reached']) {
        expect(redisRefused(await caught(() => evalReply(transient)))).toBe(false)
      }
      expect(redisRefused(new Error('Connection is closed.'))).toBe(false)
    } finally {
      await (client.quit ? client.quit() : client.disconnect())
    }
  })
})

test('a StoreError caused by a refusal carries ERR_STORE_REFUSED and permanent; any other ERR_STORE', () => {
  const refusal = new StoreError('x', { cause: Object.assign(new Error('no'), { permanent: true }) })
  expect([refusal.code, refusal.permanent]).toEqual(['ERR_STORE_REFUSED', true])
  const transient = new StoreError('x', { cause: new Error('down') })
  expect([transient.code, transient.permanent]).toEqual(['ERR_STORE', false])
})
