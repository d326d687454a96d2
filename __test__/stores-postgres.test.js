'use strict'

const { Pool } = require('pg')
const { postgres } = require('../lib/stores')
const { SCHEMA_VERSION } = require('../lib/stores/postgres')
const { PG_URL, unique, describeWith } = require('./helpers-stores')

describe('postgres store options', () => {
  const pool = new Pool({ connectionString: 'postgres://app:hunter2@db.internal:6543/shop' })
  afterAll(() => pool.end())

  test.each([
    ['pool', {}],
    ['pool', { pool: { query() {} } }],
    ['table', { pool, table: 'revocations"; DROP TABLE users; --' }],
    ['timeout', { pool, timeout: 'soon' }],
  ])('an invalid `%s` throws ERR_STORE when the store is made', (name, options) => {
    let err
    try {
      postgres(options)
    } catch (e) {
      err = e
    }
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toContain(`invalid option \`${name}\``)
  })

  test('the id names host, port, database and table, never the password', () => {
    expect(postgres({ pool, table: 'revs' }).id).toBe('postgres:db.internal:6543/shop#revs')
  })
})

describeWith('postgres')('postgres store on a live server', () => {
  let pool
  let table
  beforeEach(() => {
    pool = new Pool({ connectionString: PG_URL, max: 4 })
    table = unique('revocable_test')
  })
  afterEach(async () => {
    try {
      await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
    } finally {
      await pool.end()
    }
  })

  test('instances creating the schema at the same moment all succeed', async () => {
    const stores = Array.from({ length: 4 }, () => postgres({ pool, table }))
    await Promise.all(stores.map((s) => s.open()))
    const { rows } = await pool.query(`SELECT value FROM "${table}_meta" WHERE name = 'schema_version'`)
    expect(rows).toEqual([{ value: String(SCHEMA_VERSION) }])
  })

  test("a table that exists without revocable's schema is refused, not altered", async () => {
    await pool.query(`CREATE TABLE "${table}" (id int PRIMARY KEY)`)
    const err = await postgres({ pool, table }).open().catch((e) => e)
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toMatch(/^postgres store: open failed: .*already exists/)
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = $1`, [table])
    expect(rows[0].n).toBe(1)
  })

  test('a pool exhausted by the app makes open() reject within the timeout', async () => {
    const small = new Pool({ connectionString: PG_URL, max: 1 })
    const held = await small.connect()
    try {
      const err = await postgres({ pool: small, table, timeout: 200 }).open().catch((e) => e)
      expect(err.code).toBe('ERR_STORE')
      expect(err.message).toBe('postgres store: open failed: no answer within 200 ms')
    } finally {
      held.release()
      await small.end()
    }
  })
})
