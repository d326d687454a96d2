'use strict'

const { invalidOption, attempt, refusal } = require('./errors')
const { metaSql, pendingMigrations, sharedAttempt } = require('./schema')
const { BATCH_SIZE, checkBatch, checkNow, loadPages } = require('./record')
const { tableName, timeoutMs, quote } = require('./options')
const { withDeadline } = require('./deadline')
const { logSql, watchLog } = require('./postgres-sync')
const { writeSql } = require('./postgres-write')
const { inspectSql, countsOf, infoOf } = require('./inspect')

const NAME = 'postgres'
const SCHEMA_VERSION = 2

// migrations[n] takes the schema from version n to n + 1. Times are double
// precision, like a JS number: exact for integer milliseconds, and a fractional
// `at` cannot make a put fail. COLLATE "C" makes (kind, key) order bytewise, so
// keyset paging in load is cheap and independent of the database's locale.
const migrations = [
  (t) => `
    CREATE TABLE ${quote(t)} (
      kind text COLLATE "C" NOT NULL,
      key text COLLATE "C" NOT NULL,
      at double precision NOT NULL,
      expires_at double precision,
      PRIMARY KEY (kind, key)
    );
    CREATE INDEX ${quote(`${t}_expires_at`)} ON ${quote(t)} (expires_at)`,
  // Version 2: the change log other instances follow (postgres-sync.js).
  // ts is the writer's clock, for lag; prune drops rows by it.
  (t) => `
    CREATE TABLE ${quote(`${t}_log`)} (
      id bigserial PRIMARY KEY,
      kind text COLLATE "C" NOT NULL,
      key text COLLATE "C" NOT NULL,
      at double precision NOT NULL,
      expires_at double precision,
      ts double precision NOT NULL
    );
    CREATE INDEX ${quote(`${t}_log_ts`)} ON ${quote(`${t}_log`)} (ts)`,
]

// SQLSTATE classes that refuse the values themselves (data exception, integrity
// constraint, program limit such as an index row too large): retrying cannot help.
const refused = (err) => typeof err.code === 'string' && /^(22|23|54)/.test(err.code)

/** Where the pool connects, as pg itself resolves it (options, connection string, PG* variables). */
function locate(pool) {
  let params = pool.options || {}
  if (typeof pool.Client === 'function') {
    try {
      params = new pool.Client(pool.options).connectionParameters || params
    } catch {
      // A custom Client that cannot be built without connecting: fall back to the raw options.
    }
  }
  return `${params.host || 'localhost'}:${params.port || 5432}/${params.database || params.user || ''}`
}

/**
 * Runs the pending migrations in one transaction, behind an advisory lock so
 * that instances starting together do not race on CREATE TABLE.
 */
async function migrate(query, table) {
  const meta = metaSql(table, (i) => `$${i}`)
  await query('SELECT pg_advisory_xact_lock(hashtext($1))', [`revocable:${table}`])
  await query(meta.create)
  const { rows } = await query(meta.read)
  const version = rows.length ? Number(rows[0].value) : 0
  for (const migration of pendingMigrations(NAME, `table ${table}`, version, migrations)) await query(migration(table))
  await query(meta.write, [String(SCHEMA_VERSION)])
}

/**
 * A table in the app's PostgreSQL database, reached through the app's `pg` Pool.
 * @param {object} options
 * @param {import('pg').Pool} options.pool the app's pool; close() leaves it open
 * @param {string} [options.table='revocable_revocations'] table name; a `<table>_meta` table holds the schema version
 * @param {number} [options.timeout=5000] ms allowed for each round trip (0 or Infinity: none)
 * @param {boolean} [options.sync=true] follow changes other instances make (LISTEN on a connection of
 *   its own, outside the pool, with application_name `revocable <pid> <table>`)
 * @param {number} [options.logRetention=3600000] ms the change log keeps a change; an instance
 *   disconnected for longer reloads everything when it reconnects
 */
function postgres({ pool, table = 'revocable_revocations', timeout, sync = true, logRetention = 3_600_000 } = {}) {
  if (!pool || typeof pool.query !== 'function' || typeof pool.connect !== 'function') {
    throw invalidOption(NAME, 'pool', 'must be a `pg` Pool')
  }
  tableName(NAME, table)
  const ms = timeoutMs(NAME, timeout)
  if (typeof logRetention !== 'number' || !(logRetention >= 0)) {
    throw invalidOption(NAME, 'logRetention', 'must be a number of milliseconds')
  }
  const t = quote(table)
  const log = logSql(table)
  const write = writeSql(table)
  const inspect = inspectSql(table, { param: (i) => `$${i}`, bytes: (c) => `octet_length(${c})` })
  // Keyset pages over the primary key: a plain query would buffer every row in
  // memory, and a cursor would pin a pooled connection while the Guard works.
  const pageSql = `SELECT kind, key, at, expires_at AS "expiresAt" FROM ${t}
    WHERE (kind, key) > ($1, $2) AND (expires_at IS NULL OR expires_at >= $3)
    ORDER BY kind, key LIMIT ${BATCH_SIZE}`
  let closed = false

  const query = (operation, text, values) =>
    attempt(NAME, operation, () => {
      if (closed) throw new Error('store is closed')
      // query_timeout makes pg itself give up and release the connection, so an
      // abandoned query cannot keep one of the app's pool connections checked out.
      const config = ms > 0 && ms !== Infinity ? { text, values, query_timeout: ms } : { text, values }
      return withDeadline(pool.query(config), ms).catch((err) => {
        throw refusal(err, refused)
      })
    })

  const openSchema = () =>
    attempt(NAME, 'open', async () => {
      const connecting = pool.connect()
      const client = await withDeadline(connecting, ms).catch((err) => {
        // If the connection arrives after the deadline, hand it back to the pool.
        connecting.then((late) => late.release(), () => {})
        throw err
      })
      let broken
      try {
        await withDeadline(client.query('BEGIN'), ms)
        await migrate((text, values) => withDeadline(client.query(text, values), ms), table)
        await withDeadline(client.query('COMMIT'), ms)
      } catch (err) {
        // Destroying the connection (release with an error) rolls back whatever
        // the transaction did, even if a statement is still running.
        broken = err
        throw err
      } finally {
        client.release(broken)
      }
    })

  const opening = sharedAttempt(openSchema)

  const putMany = async (records) => {
    const rows = await attempt(NAME, 'put', () => checkBatch(records))
    if (rows.length === 0) return
    const now = Date.now()
    if (rows.length === 1) {
      const [r] = rows
      await query('put', write.put, [r.kind, r.key, r.at, r.expiresAt, log.lockKey, now, log.channel])
      return
    }
    const column = (name) => rows.map((r) => r[name])
    const values = [column('kind'), column('key'), column('at'), column('expiresAt'), log.lockKey, now, log.channel]
    await query('put', write.putMany, values)
  }

  return {
    name: NAME,
    id: `${NAME}:${locate(pool)}#${table}`,

    open() {
      closed = false
      return opening()
    },

    async put(record) {
      return putMany([record])
    },

    /** Writes every record in one statement (one transaction); resolves once all are committed. */
    putMany,

    async load(onBatch) {
      return loadPages(async (kind, key, now) => (await query('load', pageSql, [kind, key, now])).rows, onBatch)
    },

    async prune(nowMs) {
      await attempt(NAME, 'prune', () => checkNow(nowMs))
      const { rowCount } = await query('prune', `DELETE FROM ${t} WHERE expires_at < $1`, [nowMs])
      await query('prune', log.prune, [nowMs - logRetention])
      return rowCount
    },

    // For the command line (lib/cli): one record, live counts per kind, schema and change log.
    async get(kind, key) {
      return (await query('get', inspect.get, [kind, key])).rows[0] ?? null
    },
    async counts(nowMs) {
      await attempt(NAME, 'status', () => checkNow(nowMs))
      return countsOf((await query('status', inspect.counts, [nowMs])).rows)
    },
    async info() {
      const [version, changes] = await Promise.all([query('status', inspect.version), query('status', inspect.changes)])
      return infoOf(version.rows, changes.rows)
    },

    /** Where the change log ends now: watch() from here misses nothing written after it. */
    async position() {
      return (await query('sync', log.position)).rows[0].id
    },

    /** Follows the change log from `from` (see postgres-sync.js); null when `sync` is off. */
    watch({ from, onRecords, onGap, onState }) {
      if (!sync) return null
      const name = `revocable ${process.pid} ${table}`
      return watchLog(pool, log, { name, timeoutMs: ms, from, onRecords, onGap, onState })
    },

    /** The pool belongs to the app: it stays open. */
    async close() {
      closed = true
      opening.reset()
    },
  }
}

module.exports = { postgres, SCHEMA_VERSION, refused }
