'use strict'

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const Database = require('better-sqlite3')
const { sqlite } = require('../lib/stores')

const HOUR = 3_600_000
let dir
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-sqlite-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const thrown = (fn) => {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('sqlite store options', () => {
  test.each([
    ['file', () => sqlite()],
    ['file', () => sqlite('')],
    ['table', () => sqlite(':memory:', { table: 'revocations; DROP TABLE users' })],
    ['table', () => sqlite(':memory:', { table: 'x'.repeat(59) })],
    ['busyTimeout', () => sqlite(':memory:', { busyTimeout: -1 })],
  ])('an invalid `%s` throws ERR_STORE when the store is made', (name, make) => {
    const err = thrown(make)
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toContain(`invalid option \`${name}\``)
  })

  test('the id names the absolute path and the table', () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'r.db'))
    expect(sqlite(relative, { table: 'revs' }).id).toBe(`sqlite:${path.join(dir, 'r.db')}#revs`)
  })

  test('every in-memory database gets its own id, since none is shared', () => {
    expect(sqlite(':memory:').id).not.toBe(sqlite(':memory:').id)
  })
})

describe('sqlite store durability', () => {
  test('a file database is switched to WAL, and records outlive the store', async () => {
    const file = path.join(dir, 'revocations.db')
    const first = sqlite(file)
    await first.open()
    await first.put({ kind: 'user', key: 'u1', at: 1000, expiresAt: Date.now() + HOUR })
    await first.close()

    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()

    const second = sqlite(file)
    await second.open()
    const keys = []
    await second.load((batch) => keys.push(...batch.map((r) => r.key)))
    await second.close()
    expect(keys).toEqual(['u1'])
  })

  test('a table that exists without revocable\'s schema is refused, not altered', async () => {
    const file = path.join(dir, 'revocations.db')
    const raw = new Database(file)
    raw.exec('CREATE TABLE revocable_revocations (id INTEGER PRIMARY KEY)')
    raw.close()
    const err = await sqlite(file).open().catch((e) => e)
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toMatch(/^sqlite store: open failed: .*already exists/)
  })

  test('a missing directory rejects open with ERR_STORE and the driver error as cause', async () => {
    const err = await sqlite(path.join(dir, 'missing', 'r.db')).open().catch((e) => e)
    expect(err.code).toBe('ERR_STORE')
    expect(err.cause).toBeDefined()
  })
})

describe('sqlite store without better-sqlite3', () => {
  afterEach(() => {
    jest.dontMock('better-sqlite3')
    jest.resetModules()
  })

  test('open rejects with the command that installs it', async () => {
    jest.resetModules()
    jest.doMock('better-sqlite3', () => {
      const err = new Error("Cannot find module 'better-sqlite3'")
      err.code = 'MODULE_NOT_FOUND'
      throw err
    })
    const { sqlite: fresh } = require('../lib/stores')
    const store = fresh(':memory:') // making the store must not need the driver
    const err = await store.open().catch((e) => e)
    expect(err.code).toBe('ERR_STORE')
    expect(err.message).toBe('sqlite store: open failed: better-sqlite3 is not installed; run `npm install better-sqlite3@12`')
    expect(err.cause.code).toBe('MODULE_NOT_FOUND')
  })
})
