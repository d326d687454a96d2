'use strict'

const { storeError } = require('./errors')
const { quote } = require('./options')

const BATCH = 1000

/**
 * Statements for the change log other processes on the host follow.
 * `<table>_log` holds every change under an AUTOINCREMENT id (never reused,
 * and SQLite has one writer at a time, so ids commit in order); `<table>_meta`
 * remembers the highest id pruned, so a reader behind it knows to reload.
 */
function prepareLog(db, table) {
  const t = quote(table)
  const log = quote(`${table}_log`)
  const meta = quote(`${table}_meta`)
  const pruned = `coalesce((SELECT CAST(value AS INTEGER) FROM ${meta} WHERE name = 'log_pruned_through'), 0)`
  return {
    // The winning row, as the upsert left it, is what other processes apply.
    append: db.prepare(`INSERT INTO ${log} (kind, key, at, expires_at, ts)
      SELECT kind, key, at, expires_at, ? FROM ${t} WHERE kind = ? AND key = ?`),
    position: db.prepare(`SELECT max(coalesce((SELECT max(id) FROM ${log}), 0), ${pruned}) AS id`),
    pruned: db.prepare(`SELECT ${pruned} AS id`),
    after: db.prepare(`SELECT id, kind, key, at, expires_at AS expiresAt, ts FROM ${log} WHERE id > ? ORDER BY id LIMIT ${BATCH}`),
    lastBefore: db.prepare(`SELECT max(id) AS id FROM ${log} WHERE ts < ?`),
    prune: db.prepare(`DELETE FROM ${log} WHERE id <= ?`),
    markPruned: db.prepare(`INSERT INTO ${meta} (name, value) VALUES ('log_pruned_through', ?)
      ON CONFLICT (name) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`),
  }
}

/** Drops log rows older than `before` (ms), remembering how far it went. */
function pruneLog(db, log, before) {
  db.transaction(() => {
    const { id } = log.lastBefore.get(before)
    if (id === null) return
    log.prune.run(id)
    log.markPruned.run(String(id))
  })()
}

/**
 * Polls `PRAGMA data_version` (a counter that moves when another connection
 * commits: microseconds, no I/O beyond the shared-memory index) on an unref'd
 * timer, and reads the log after the last id applied when it moved. Verifying
 * never waits on it.
 */
function watchCounter(connection, { intervalMs, from, onRecords, onGap, onState }) {
  let lastId = Number(from)
  let version = null
  let busy = false
  let failing = true // until the first check: it reports the starting state

  const catchUp = async (db, log) => {
    for (;;) {
      if (log.pruned.get().id > lastId) {
        // Taken before the reload: changes written during it are read again after.
        const { id } = log.position.get()
        await onGap()
        lastId = Math.max(lastId, id)
        continue
      }
      const rows = log.after.all(lastId)
      if (rows.length === 0) return
      lastId = rows[rows.length - 1].id
      onRecords(rows.map(({ kind, key, at, expiresAt, ts }) => ({ kind, key, at, expiresAt, ts })), String(lastId))
      if (rows.length < BATCH) return
    }
  }

  const tick = async () => {
    const open = connection()
    if (busy || !open) return
    busy = true
    try {
      const v = open.db.pragma('data_version', { simple: true })
      if (v === version) return
      await catchUp(open.db, open.log)
      version = v
      if (failing) {
        failing = false
        onState({ connected: true, error: null })
      }
    } catch (err) {
      failing = true
      onState({ connected: false, error: storeError('sqlite', 'sync', err) })
    } finally {
      busy = false
    }
  }

  const timer = setInterval(tick, intervalMs)
  timer.unref()
  tick()
  return {
    async close() {
      clearInterval(timer)
    },
  }
}

module.exports = { prepareLog, pruneLog, watchCounter }
