'use strict'

const { storeError } = require('./errors')
const { withDeadline } = require('./deadline')
const { reconnecting } = require('./reconnect')
const { quote } = require('./options')

const BATCH = 1000
// A notification cannot be lost on a live connection, but a connection can die
// silently (a dropped network path): a catch-up this often notices it, off the hot path.
const CHECK_EVERY_MS = 30_000
// NOTIFY payloads stop at 8000 bytes: a change too long to carry whole sends its id only.
const MAX_PAYLOAD = 7900

/** The change log's names for `table`: the log, its meta table, the NOTIFY channel and the writers' lock. */
function logNames(table) {
  return { log: quote(`${table}_log`), meta: quote(`${table}_meta`), channel: `${table}_log`, lockKey: `revocable:${table}:log` }
}

/**
 * The watcher's SQL (the store's writes, which append to the log, are in
 * postgres-write.js). `<table>_log` holds every change with a bigserial id;
 * `<table>_meta` remembers the highest id pruned from it, so a reader behind
 * that point knows it has missed changes and must reload.
 */
function logSql(table) {
  const { log, meta, channel, lockKey } = logNames(table)
  const pruned = `coalesce((SELECT value::bigint FROM ${meta} WHERE name = 'log_pruned_through'), 0)`
  return {
    channel,
    lockKey,
    position: `SELECT GREATEST(coalesce((SELECT max(id) FROM ${log}), 0), ${pruned})::text AS id`,
    // One statement, one snapshot: the pruned mark and the rows agree.
    after: `SELECT p.pruned::text AS pruned, c.id::text AS id, c.kind, c.key, c.at, c.expires_at AS "expiresAt", c.ts
      FROM (SELECT ${pruned} AS pruned) p
      LEFT JOIN LATERAL (SELECT * FROM ${log} WHERE id > $1 ORDER BY id LIMIT ${BATCH}) c ON true`,
    prune: `WITH gone AS (DELETE FROM ${log} WHERE ts < $1 RETURNING id)
      INSERT INTO ${meta} AS m (name, value)
      SELECT 'log_pruned_through', max(id)::text FROM gone HAVING max(id) IS NOT NULL
      ON CONFLICT (name) DO UPDATE SET value = GREATEST(m.value::bigint, EXCLUDED.value::bigint)::text`,
  }
}

/**
 * Follows the log on a connection of its own (LISTEN; application_name
 * `name`): each notification, each reconnect and a slow safety timer read
 * every row after the last id applied, so a lost notification or a dropped
 * connection loses nothing. A reader whose last id was pruned reloads instead.
 */
function watchLog(pool, sql, { name, timeoutMs, from, onRecords, onGap, onState }) {
  let lastId = BigInt(from)

  const connect = async () => {
    const Client = pool.Client || require('pg').Client
    const client = new Client({ ...pool.options, application_name: name })
    const ended = new Promise((resolve, reject) => {
      client.on('error', reject)
      client.on('end', () => reject(new Error('connection ended')))
    })
    ended.catch(() => {})
    const close = () => client.end().catch(() => {})
    try {
      await client.connect()
    } catch (err) {
      await close()
      throw err
    }
    return { client, ended, close }
  }

  const follow = async ({ client, ended }, connected) => {
    const query = (text, values) => withDeadline(client.query(text, values), timeoutMs)
    const catchUp = async () => {
      for (;;) {
        const { rows } = await query(sql.after, [String(lastId)])
        if (BigInt(rows[0].pruned) > lastId) {
          // Taken before the reload: changes written during it are read again after.
          const { rows: [{ id }] } = await query(sql.position)
          await onGap()
          if (BigInt(id) > lastId) lastId = BigInt(id)
          continue
        }
        const changes = rows.filter((r) => r.id !== null)
        if (changes.length === 0) return
        lastId = BigInt(changes[changes.length - 1].id)
        onRecords(changes.map(({ kind, key, at, expiresAt, ts }) => ({ kind, key, at, expiresAt, ts })), String(lastId))
        if (changes.length < BATCH) return
      }
    }
    let timer
    let over = false
    try {
      await new Promise((resolve, reject) => {
        // Notifications that arrive during a catch-up fold into one more pass.
        let active = null
        let again = false
        const run = () => {
          if (active) {
            again = true
            return active
          }
          active = (async () => {
            try {
              do {
                again = false
                await catchUp()
              } while (again)
              return true
            } catch (err) {
              reject(err)
              return false
            } finally {
              active = null
            }
          })()
          return active
        }
        // Attached before LISTEN, so a change committed during the first
        // catch-up (its notification arriving meanwhile) runs it once more
        // instead of waiting for the safety timer. The notification carries the
        // change itself: when it is the very next id, apply it without a query
        // (one round trip less); otherwise read the log.
        client.on('notification', ({ payload }) => {
          const change = !active && payload && payload[0] === '[' ? JSON.parse(payload) : null
          if (!change || BigInt(change[0]) !== lastId + 1n) return run()
          const [id, kind, key, at, expiresAt, ts] = change
          lastId = BigInt(id)
          onRecords([{ kind, key, at, expiresAt, ts }], id)
        })
        ended.catch(reject)
        const start = async () => {
          await query(`LISTEN ${quote(sql.channel)}`)
          if (!(await run()) || over) return
          connected()
          timer = setInterval(run, CHECK_EVERY_MS)
        }
        start().catch(reject)
      })
    } finally {
      over = true
      clearInterval(timer)
    }
  }

  return reconnecting({ timeoutMs, onState, connect, follow, error: (err) => storeError('postgres', 'sync', err) })
}

module.exports = { logSql, logNames, watchLog, MAX_PAYLOAD }
