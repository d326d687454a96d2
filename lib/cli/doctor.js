'use strict'

const fs = require('node:fs')
const { randomBytes } = require('node:crypto')
const { SCHEMA_VERSION: SQLITE_VERSION } = require('../stores/sqlite')
const { SCHEMA_VERSION: POSTGRES_VERSION } = require('../stores/postgres')
const { SCHEMA_VERSION: REDIS_VERSION } = require('../stores/redis')
const { oneLine } = require('./connect')
const { iso } = require('./time')

const VERSIONS = { sqlite: SQLITE_VERSION, postgres: POSTGRES_VERSION, redis: REDIS_VERSION }
// A store clock further off than this shifts every cut-off written from here.
const SKEW_WARN_MS = 2000
const LISTEN_WAIT_MS = 3000

/** Local clock minus the store's, correcting for half the round trip. */
async function skew(readMs) {
  const before = Date.now()
  const theirs = await readMs()
  const after = Date.now()
  return (before + after) / 2 - theirs
}

function clockCheck(ms) {
  const text = `${Math.abs(ms / 1000).toFixed(3)} s ${ms >= 0 ? 'ahead of' : 'behind'} the store's`
  return Math.abs(ms) > SKEW_WARN_MS
    ? ['warn', `this machine's clock is ${text}: cut-offs written from here are off by as much; fix the clock (NTP) on the machine that is wrong`]
    : ['ok', `clock: this machine is ${text}`]
}

/** CONFIG GET answers [name, value] (RESP2, ioredis) or { name: value } (a RESP3 map, node-redis). */
function configValue(reply, name) {
  if (Array.isArray(reply)) return reply.includes(name) ? String(reply[reply.indexOf(name) + 1]) : 'unknown'
  if (reply instanceof Map) return String(reply.get(name))
  return String(reply[name])
}

async function redisChecks(conn) {
  const out = []
  try {
    const policy = configValue(await conn.raw(['CONFIG', 'GET', 'maxmemory-policy']), 'maxmemory-policy')
    out.push(policy === 'noeviction'
      ? ['ok', 'eviction: maxmemory-policy is noeviction (Redis never drops a revocation to make room)']
      : ['warn', `eviction: maxmemory-policy is ${policy}: under memory pressure Redis silently deletes revocations (each kind is one hash: all of a kind at once), and revoked tokens pass again; set maxmemory-policy noeviction`])
  } catch (err) {
    out.push(['warn', `eviction: could not read maxmemory-policy (${oneLine(err)}); make sure it is noeviction`])
  }
  try {
    const info = String(await conn.raw(['INFO', 'persistence']))
    out.push(/aof_enabled:1/.test(info)
      ? ['ok', 'durability: the append-only file is on']
      : ['warn', 'durability: the append-only file is off: a Redis restart loses the revocations written since the last snapshot; set appendonly yes'])
  } catch (err) {
    out.push(['warn', `durability: could not read INFO persistence (${oneLine(err)})`])
  }
  out.push(clockCheck(await skew(async () => {
    const [s, us] = await conn.raw(['TIME'])
    return Number(s) * 1000 + Number(us) / 1000
  })))
  return out
}

/** LISTEN/NOTIFY round trip on a channel of its own (running apps are not woken). */
async function listenCheck(pool) {
  const client = await pool.connect()
  const channel = `revocable_doctor_${randomBytes(6).toString('hex')}`
  let timer
  try {
    const heard = new Promise((resolve) => {
      client.on('notification', (m) => m.channel === channel && resolve(true))
      timer = setTimeout(() => resolve(false), LISTEN_WAIT_MS)
    })
    await client.query(`LISTEN ${channel}`)
    await pool.query('SELECT pg_notify($1, $2)', [channel, 'ping'])
    return (await heard)
      ? ['ok', 'LISTEN/NOTIFY works: instances hear each other\'s changes at once']
      : ['fail', `LISTEN/NOTIFY: no notification within ${LISTEN_WAIT_MS} ms (a pooler in transaction mode, such as PgBouncer, drops them); instances then only catch up every 30 s; connect the apps directly or in session mode`]
  } catch (err) {
    return ['fail', `LISTEN/NOTIFY failed (${oneLine(err)}): instances will not hear each other's changes`]
  } finally {
    clearTimeout(timer)
    await client.query(`UNLISTEN ${channel}`).catch(() => {})
    client.release()
  }
}

async function storeChecks(conn) {
  if (conn.kind === 'redis') return redisChecks(conn)
  if (conn.kind === 'postgres') {
    const clock = await skew(async () => Number((await conn.pool.query('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now')).rows[0].now))
    return [await listenCheck(conn.pool), clockCheck(clock)]
  }
  try {
    fs.accessSync(conn.file, fs.constants.W_OK)
    return [['ok', `file: ${conn.file} is writable (${fs.statSync(conn.file).size} bytes); other processes on this host follow its change log`]]
  } catch (err) {
    return [['fail', `file: ${conn.file} is not writable (${err.code}): the apps cannot store revocations; fix its permissions`]]
  }
}

async function doctor(ctx) {
  const started = performance.now()
  const conn = await ctx.open()
  const checks = [['ok', `connected to ${conn.label} in ${(performance.now() - started).toFixed(0)} ms`]]
  const [info, kinds] = await Promise.all([conn.store.info(), conn.store.counts(ctx.now)])
  const want = VERSIONS[conn.kind]
  checks.push(info.schemaVersion === want
    ? ['ok', `schema: version ${want}, as this revocable expects`]
    : ['fail', `schema: version ${info.schemaVersion}, this revocable expects ${want}: upgrade the older side`])
  const entries = Object.values(kinds).reduce((n, k) => n + k.count, 0)
  const log = conn.kind === 'redis' ? 'change stream' : 'change log'
  checks.push(['ok', `${log}: ${info.changes.count} change(s), newest ${info.changes.newest === null ? 'none' : iso(info.changes.newest)}`])
  if (entries === 0 && info.changes.count === 0) {
    checks.push(['warn', `the store is empty and no change was ever written: is --${conn.kind === 'redis' ? 'prefix' : 'table'} the one your apps use?`])
  }
  checks.push(...(await storeChecks(conn)))
  const failed = checks.filter(([level]) => level !== 'ok').length
  ctx.report({ store: conn.label, checks: checks.map(([level, text]) => ({ level, text })), failed },
    [...checks.map(([level, text]) => `${level.padEnd(4)} ${text}`), failed ? `${failed} problem(s) found` : 'all good'].join('\n'))
  return failed ? 1 : 0
}

const commands = {
  doctor: {
    args: '', options: [],
    summary: 'check the store: connection, schema, change log, eviction and AOF (Redis), LISTEN (PostgreSQL), clocks',
    run: doctor,
  },
}

module.exports = { commands }
