'use strict'

const { StoreError } = require('./errors')
const { quote } = require('./options')

/**
 * What the stores share around their schemas: the refusal to touch data a
 * newer revocable wrote, the SQL stores' `<table>_meta` version row and their
 * migration loop, and open() calls that share one attempt.
 */

/** `where` (e.g. "table x", "prefix y") holds schema `version`; this revocable knows up to `known`. */
function newerSchema(store, where, version, known) {
  return new StoreError(
    `${store} store: open failed: ${where} has schema version ${version}, written by a newer revocable ` +
      `(this one knows up to ${known}); upgrade revocable`,
    { store, operation: 'open' },
  )
}

/**
 * The SQL of the `<table>_meta` table that holds `schema_version`, for a
 * driver whose n-th parameter is written `param(n)`.
 */
function metaSql(table, param) {
  const meta = quote(`${table}_meta`)
  return {
    create: `CREATE TABLE IF NOT EXISTS ${meta} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    read: `SELECT value FROM ${meta} WHERE name = 'schema_version'`,
    write: `INSERT INTO ${meta} (name, value) VALUES ('schema_version', ${param(1)})
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
  }
}

/**
 * The migrations that take a schema from `version` to `migrations.length`
 * (`migrations[n]` goes from n to n + 1), in order; refuses a newer schema.
 * The caller runs them under whatever lock or transaction makes it atomic.
 */
function pendingMigrations(store, where, version, migrations) {
  if (version > migrations.length) throw newerSchema(store, where, version, migrations.length)
  return migrations.slice(version)
}

/**
 * `open` run once at a time: concurrent calls share the attempt in flight,
 * and a failed attempt can be retried. `reset()` forgets a finished one.
 */
function sharedAttempt(open) {
  let opening = null
  const shared = () => {
    if (!opening) {
      opening = open().catch((err) => {
        opening = null
        throw err
      })
    }
    return opening
  }
  shared.pending = () => opening
  shared.reset = () => {
    opening = null
  }
  return shared
}

module.exports = { newerSchema, metaSql, pendingMigrations, sharedAttempt }
