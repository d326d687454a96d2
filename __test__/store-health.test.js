'use strict'

// Issue 12, point 8 (store parts): health() tells a Redis outage at once, and
// a SQLite open() does not need the write lock when the schema is current.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { describeWith } = require('./helpers-stores')
const { privateRedis, stopServer } = require('./helpers-servers')
const revocable = require('..')

const base = { algorithms: ['HS256'], secret: 'a-health-test-secret-of-32-bytes!', maxTokenLifetime: '1h' }
const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve))

const clients = {
  // Default options: ioredis reconnects and queues commands offline, so a write would wait, not fail.
  ioredis: (port) => {
    const client = new (require('ioredis'))({ host: '127.0.0.1', port })
    client.on('error', () => {})
    return { client, lost: () => once(client, 'close'), back: () => once(client, 'ready'), end: () => client.disconnect() }
  },
  'node-redis': (port) => {
    const client = require('redis').createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: () => 50 } })
    client.on('error', () => {})
    return { client, lost: () => once(client, 'reconnecting'), back: () => once(client, 'ready'), end: () => client.destroy() }
  },
}

describeWith('redis')('health() during a Redis outage', () => {
  test.each(Object.keys(clients))('%s: says down as soon as the connection is lost, ok once the queue drained', async (kind) => {
    let { server, port } = await privateRedis()
    const { client, lost, back, end } = clients[kind](port)
    if (kind === 'node-redis') await client.connect()
    const auth = await revocable.open({ ...base, store: revocable.stores.redis({ client, prefix: 'health', sync: false }) })
    auth.on('error', () => {})
    try {
      expect(auth.health().store).toBe('ok')
      const gone = lost()
      await stopServer(server)
      await gone
      // No write has failed yet (it would wait up to the 5 s timeout): the client's state says it.
      const persisted = auth.revokeUser('during-outage')
      persisted.catch(() => {}) // awaited below; a failed assertion before that must not leave it unhandled
      persisted.catch(() => {}) // awaited below; close() rejects it if an expectation fails first
      expect(auth.health()).toMatchObject({ store: 'down', pending: 1 })
      const returned = back()
      ;({ server } = await privateRedis({ port }))
      await returned
      await persisted
      expect(auth.health()).toMatchObject({ store: 'ok', pending: 0 })
    } finally {
      await auth.close({ timeout: 1000 })
      end()
      await stopServer(server)
    }
  }, 30_000)
})

describe('SQLite open() while another process writes', () => {
  let dir
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-open-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  test('a current schema is only read: open succeeds while the write lock is held', async () => {
    const file = path.join(dir, 'r.db')
    const first = revocable.stores.sqlite(file)
    await first.open()
    await first.close()
    const other = new (require('better-sqlite3'))(file)
    other.exec('BEGIN IMMEDIATE') // another instance in the middle of a write
    try {
      const store = revocable.stores.sqlite(file)
      await store.open()
      expect(await store.load(() => {})).toBe(0)
      await store.close()
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })

  test('a migration waits for the write lock instead of failing', async () => {
    const file = path.join(dir, 'r.db')
    const other = new (require('better-sqlite3'))(file)
    other.pragma('journal_mode = WAL')
    other.exec('CREATE TABLE unrelated (x); BEGIN IMMEDIATE; INSERT INTO unrelated VALUES (1)')
    const store = revocable.stores.sqlite(file)
    // The first attempt runs now and finds the lock taken; the retry comes after a timer.
    const opening = store.open()
    other.exec('COMMIT')
    other.close()
    await opening
    await store.put({ kind: 'user', key: 'u', at: 1, expiresAt: null })
    await store.close()
  })

  test('a new file another process holds locked (it is switching it to WAL) is waited for, not refused as locked', async () => {
    const file = path.join(dir, 'r.db')
    const other = new (require('better-sqlite3'))(file) // still in rollback-journal mode: its lock keeps readers out
    other.exec('CREATE TABLE unrelated (x); BEGIN EXCLUSIVE; INSERT INTO unrelated VALUES (1)')
    const store = revocable.stores.sqlite(file) // busyTimeout 50 ms: the lock outlasts it
    const opening = store.open()
    await new Promise((resolve) => setTimeout(resolve, 300))
    other.exec('COMMIT')
    other.close()
    await opening
    await store.put({ kind: 'user', key: 'u', at: 1, expiresAt: null })
    expect(await store.load(() => {})).toBe(1)
    await store.close()
  })
})
