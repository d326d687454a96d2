'use strict'

const { quote } = require('./options')

/**
 * Read-only SQL for the command line (`status`, `show`, `check`, `doctor`),
 * shared by the SQLite and PostgreSQL stores. `param(i)` spells the i-th
 * placeholder (`?` or `$i`), `bytes` a text column's size in bytes. Nothing
 * here is on the Guard's path.
 */
function inspectSql(table, { param, bytes }) {
  const t = quote(table)
  return {
    get: `SELECT kind, key, at, expires_at AS "expiresAt" FROM ${t} WHERE kind = ${param(1)} AND key = ${param(2)}`,
    // Live rows only, as load sees them: 16 bytes of times per row plus the key.
    counts: `SELECT kind, count(*) AS count, sum(${bytes('key')} + 16) AS bytes FROM ${t}
      WHERE expires_at IS NULL OR expires_at >= ${param(1)} GROUP BY kind`,
    version: `SELECT value FROM ${quote(`${table}_meta`)} WHERE name = 'schema_version'`,
    changes: `SELECT count(*) AS count, max(ts) AS newest FROM ${quote(`${table}_log`)}`,
  }
}

/** `{ user: { count, bytes }, … }` from the counts query's rows. */
function countsOf(rows) {
  const out = {}
  for (const r of rows) out[r.kind] = { count: Number(r.count), bytes: Number(r.bytes) }
  return out
}

/** What `info()` answers, from the version and changes queries' rows. */
function infoOf(versionRows, changeRows) {
  const c = changeRows[0] || {}
  return {
    schemaVersion: versionRows.length ? Number(versionRows[0].value) : null,
    changes: { count: Number(c.count || 0), newest: c.newest == null ? null : Number(c.newest) },
  }
}

module.exports = { inspectSql, countsOf, infoOf }
