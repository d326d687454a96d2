'use strict'

const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { storeError, invalidOption, attempt, refusal } = require('./errors')
const { BATCH_SIZE, checkBatch, checkNow, loadPages } = require('./record')
const { tableName, quote } = require('./options')
const { prepareLog, pruneLog, watchCounter } = require('./sqlite-sync')
const { inspectSql, countsOf, infoOf } = require('./inspect')
const { SCHEMA_VERSION, upgrade, whileBusy } = require('./sqlite-schema')
const { sharedAttempt } = require('./schema')

const NAME = 'sqlite'

function loadDriver() {
  try {
    return require('better-sqlite3')
  } catch (err) {
    const missing = err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('better-sqlite3')
    const why = missing
      ? 'better-sqlite3 is not installed; run `npm install better-sqlite3@12`'
      : 'better-sqlite3 could not be loaded (built for another Node.js version?); reinstall it with `npm install better-sqlite3@12`'
    throw storeError(NAME, 'open', err, why)
  }
}

// What SQLite refuses for the record itself, not for the moment: retrying cannot help.
const refused = (err) => typeof err.code === 'string' && /^SQLITE_(TOOBIG|CONSTRAINT|MISMATCH|RANGE)/.test(err.code)

function prepare(db, table) {
  const t = quote(table)
  return {
    // max() with a NULL argument is NULL in SQLite, and NULL means "never
    // expires", so a global record stays forever and max() is exactly right.
    put: db.prepare(`INSERT INTO ${t} (kind, key, at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, key) DO UPDATE SET
        at = max(at, excluded.at),
        expires_at = max(expires_at, excluded.expires_at)`),
    // Keyset pages rather than one open iterator: better-sqlite3 refuses any
    // other statement on a connection while an iterator is open, and puts must
    // keep working while the Guard awaits each batch.
    page: db.prepare(`SELECT kind, key, at, expires_at AS expiresAt FROM ${t}
      WHERE (kind, key) > (?, ?) AND (expires_at IS NULL OR expires_at >= ?)
      ORDER BY kind, key LIMIT ${BATCH_SIZE}`),
    prune: db.prepare(`DELETE FROM ${t} WHERE expires_at < ?`),
    log: prepareLog(db, table),
    inspect: inspectSql(table, { param: () => '?', bytes: (c) => `length(CAST(${c} AS BLOB))` }),
  }
}

/**
 * The embedded store: a table in a SQLite file next to the app.
 * @param {string} file path of the database file (relative to the working directory), or ':memory:'
 * @param {object} [options]
 * @param {string} [options.table='revocable_revocations'] table name; a `<table>_meta` table holds the schema version
 * @param {number} [options.busyTimeout=50] ms to wait for another process's write lock before failing;
 *   better-sqlite3 waits synchronously, on the event loop, so the wait is kept short and the
 *   Guard's queue retries with back-off instead
 * @param {number} [options.openTimeout=5000] ms open() keeps retrying the switch to WAL and a schema
 *   migration while another process holds the lock (a current schema is only read, and never waits)
 * @param {number} [options.syncInterval=20] ms between checks for changes other processes made to
 *   the file (a cheap counter read, off the hot path); 0 turns it off. Not used for ':memory:'
 * @param {number} [options.logRetention=3600000] ms the change log keeps a change; a process that
 *   was not checking for longer (suspended) reloads everything
 */
function sqlite(file, { table = 'revocable_revocations', busyTimeout = 50, openTimeout = 5000, syncInterval = 20, logRetention = 3_600_000 } = {}) {
  if (typeof file !== 'string' || file === '') throw invalidOption(NAME, 'file', 'must be a path or ":memory:"')
  tableName(NAME, table)
  if (typeof busyTimeout !== 'number' || !(busyTimeout >= 0)) {
    throw invalidOption(NAME, 'busyTimeout', 'must be a number of milliseconds')
  }
  for (const [name, value] of [['syncInterval', syncInterval], ['logRetention', logRetention], ['openTimeout', openTimeout]]) {
    if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
      throw invalidOption(NAME, name, 'must be a finite number of milliseconds')
    }
  }
  const memory = file === ':memory:'
  // The native table is shared per id across the whole process, while this module
  // is loaded once per worker thread (and per Jest test file): a counter would
  // repeat there, and two private databases would share one table.
  const location = memory ? `:memory:${randomUUID()}` : path.resolve(file)
  let db = null
  let sql = null

  const openConnection = async () => {
    const Database = loadDriver()
    await attempt(NAME, 'open', async () => {
      const conn = new Database(memory ? ':memory:' : location, { timeout: busyTimeout })
      try {
        // Another process opening a new file at the same moment holds it
        // locked while it switches it to WAL and creates the schema: both
        // steps wait for it, up to openTimeout.
        const deadline = Date.now() + openTimeout
        // WAL lets readers in other processes run during a write; FULL makes
        // each commit fsync the WAL, so a resolved put survives power loss.
        // Switching to WAL takes the write lock: only done when not in WAL yet.
        await whileBusy(() => {
          if (conn.pragma('journal_mode', { simple: true }) !== 'wal') conn.pragma('journal_mode = WAL')
        }, deadline)
        conn.pragma('synchronous = FULL')
        await upgrade(conn, table, deadline)
        sql = prepare(conn, table)
        db = conn
      } catch (err) {
        conn.close()
        throw err
      }
    })
  }

  const opening = sharedAttempt(openConnection)

  const openDb = () => {
    if (!db) throw new Error('store is not open')
    return sql
  }

  const putMany = async (records) => {
    return attempt(NAME, 'put', () => {
      const rows = checkBatch(records)
      const s = openDb()
      const now = Date.now()
      try {
        // One transaction: no change is stored without being logged for other processes.
        db.transaction(() => {
          for (const { kind, key, at, expiresAt } of rows) {
            s.put.run(kind, key, at, expiresAt)
            s.log.append.run(now, kind, key)
          }
        })()
      } catch (err) {
        throw refusal(err, refused)
      }
    })
  }

  return {
    name: NAME,
    // Each ':memory:' database is private to its connection, so each gets its own id.
    id: `${NAME}:${location}#${table}`,

    // Concurrent calls share one attempt, so they cannot open two connections.
    open: () => opening(),

    async put(record) {
      return putMany([record])
    },

    /** Writes every record in one transaction (one fsync); resolves once all are durable. */
    putMany,

    async load(onBatch) {
      return loadPages((kind, key, now) => attempt(NAME, 'load', () => openDb().page.all(kind, key, now)), onBatch)
    },

    async prune(nowMs) {
      return attempt(NAME, 'prune', () => {
        const s = openDb()
        const changes = s.prune.run(checkNow(nowMs)).changes
        pruneLog(db, s.log, nowMs - logRetention)
        return changes
      })
    },

    // For the command line (lib/cli): one record, live counts per kind, schema and change log.
    async get(kind, key) {
      return attempt(NAME, 'get', () => db.prepare(openDb().inspect.get).get(kind, key) ?? null)
    },
    async counts(nowMs) {
      return attempt(NAME, 'status', () => countsOf(db.prepare(openDb().inspect.counts).all(checkNow(nowMs))))
    },
    async info() {
      return attempt(NAME, 'status', () => {
        const q = openDb().inspect
        return infoOf(db.prepare(q.version).all(), db.prepare(q.changes).all())
      })
    },

    /** Where the change log ends now: watch() from here misses nothing written after it. */
    async position() {
      return attempt(NAME, 'sync', () => String(openDb().log.position.get().id))
    },

    /** Polls for other processes' changes (see sqlite-sync.js); null for ':memory:' or syncInterval 0. */
    watch({ from, onRecords, onGap, onState }) {
      if (memory || syncInterval === 0) return null
      const connection = () => (db ? { db, log: sql.log } : null)
      return watchCounter(connection, { intervalMs: syncInterval, from, onRecords, onGap, onState })
    },

    async close() {
      await opening.pending()?.catch(() => {})
      if (!db) return
      const conn = db
      db = null
      sql = null
      opening.reset()
      await attempt(NAME, 'close', () => conn.close())
    },
  }
}

module.exports = { sqlite, SCHEMA_VERSION, refused }
