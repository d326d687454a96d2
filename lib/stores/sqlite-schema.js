'use strict'

const { quote } = require('./options')
const { metaSql, newerSchema, pendingMigrations } = require('./schema')

const NAME = 'sqlite'
const SCHEMA_VERSION = 2

// migrations[n] takes the schema from version n to n + 1. WITHOUT ROWID keeps
// rows in (kind, key) order, which is the order load pages through.
const migrations = [
  (t) => `
    CREATE TABLE ${quote(t)} (
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      at INTEGER NOT NULL,
      expires_at INTEGER,
      PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE INDEX ${quote(`${t}_expires_at`)} ON ${quote(t)} (expires_at);`,
  // Version 2: the change log other processes on the host follow (sqlite-sync.js).
  (t) => `
    CREATE TABLE ${quote(`${t}_log`)} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      at INTEGER NOT NULL,
      expires_at INTEGER,
      ts INTEGER NOT NULL
    );
    CREATE INDEX ${quote(`${t}_log_ts`)} ON ${quote(`${t}_log`)} (ts);`,
]

/** The stored schema version (0: none yet), read without taking the write lock. */
function storedVersion(db, table) {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(`${table}_meta`)
  if (!exists) return 0
  const row = db.prepare(metaSql(table, () => '?').read).get()
  return row ? Number(row.value) : 0
}

/** Runs the pending migrations in one IMMEDIATE transaction, so two processes opening at once do not race. */
function migrate(db, table) {
  const meta = metaSql(table, () => '?')
  db.transaction(() => {
    db.exec(meta.create)
    const version = storedVersion(db, table)
    for (const migration of pendingMigrations(NAME, `table ${table}`, version, migrations)) db.exec(migration(table))
    db.prepare(meta.write).run(String(SCHEMA_VERSION))
  }).immediate()
}

const busy = (err) => err && typeof err.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(err.code)

/**
 * Runs `fn` until it does not find the database locked by another process,
 * pausing off the event loop between tries, until `deadline` (ms since the
 * epoch) has passed; then the lock error is thrown.
 */
async function whileBusy(fn, deadline) {
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    try {
      return fn()
    } catch (err) {
      if (!busy(err) || Date.now() >= deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
}

/**
 * Brings the schema up to date. A current schema is only read (WAL readers do
 * not wait for writers), so a restart while another process writes starts at
 * once; a migration that finds the write lock taken retries until `deadline`.
 */
function upgrade(db, table, deadline) {
  return whileBusy(() => {
    const version = storedVersion(db, table)
    if (version > SCHEMA_VERSION) throw newerSchema(NAME, `table ${table}`, version, SCHEMA_VERSION)
    if (version < SCHEMA_VERSION) migrate(db, table)
  }, deadline)
}

module.exports = { SCHEMA_VERSION, upgrade, whileBusy }
