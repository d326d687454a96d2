'use strict'

const fs = require('node:fs')
const path = require('node:path')
const stores = require('../stores')
const { UsageError, CliError } = require('./errors')

// Round trips from the command line are bounded: an unreachable store is an answer, not a hang.
const TIMEOUT_MS = 5000

/** Which store `url` names: sqlite:<path> or a bare path, postgres(ql)://…, redis(s)://… */
function parseStoreUrl(url) {
  if (typeof url !== 'string' || url === '') {
    throw new UsageError('no store: pass --store sqlite:./revocations.db, postgres://… or redis://… (or set REVOCABLE_STORE)')
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url }
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'redis', url }
  if (scheme === 'sqlite') return { kind: 'sqlite', file: url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') }
  if (scheme && scheme.length > 1) throw new UsageError(`--store: unknown scheme ${scheme}: (use sqlite:, postgres:// or redis://)`)
  return { kind: 'sqlite', file: url }
}

function driver(name) {
  try {
    return require(name)
  } catch {
    throw new CliError(`${name} is not installed here: run \`npm install ${name}\` next to revocable`)
  }
}

function redisClient(url) {
  let Redis = null
  try {
    Redis = require('ioredis')
  } catch {
    // node-redis below
  }
  if (Redis) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: TIMEOUT_MS })
    // ioredis fails a command with "Connection is closed."; the socket's own error says why.
    let socketError = null
    client.on('error', (err) => { socketError = err })
    return { client, raw: (args) => client.call(...args), end: () => (client.status === 'end' ? undefined : client.quit().catch(() => client.disconnect())), why: () => socketError }
  }
  const client = driver('redis').createClient({ url, socket: { reconnectStrategy: false, connectTimeout: TIMEOUT_MS } })
  let socketError = null
  client.on('error', (err) => { socketError = err })
  return { client, raw: (args) => client.sendCommand(args.map(String)), end: () => (client.isOpen ? client.quit() : undefined), why: () => socketError }
}

/** Whether revocable's schema is already there; a typo in --store or --table must not create an empty one. */
async function schemaExists(target, options, conn) {
  if (target.kind === 'sqlite') {
    if (!fs.existsSync(target.file)) return false
    const db = new (driver('better-sqlite3'))(target.file, { readonly: true, fileMustExist: true })
    try {
      return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`${options.table}_meta`)
    } finally {
      db.close()
    }
  }
  if (target.kind === 'postgres') {
    const { rows } = await conn.pool.query('SELECT to_regclass($1) AS t', [`"${options.table}_meta"`])
    return rows[0].t !== null
  }
  return Number(await conn.raw(['EXISTS', `${options.prefix}:schema`])) === 1
}

/** The store object (and its client) for `target`; nothing is connected yet. */
function makeStore(conn, target, { table, prefix }) {
  if (target.kind === 'postgres') {
    const { Pool } = driver('pg')
    conn.pool = new Pool({ connectionString: target.url, max: 2, connectionTimeoutMillis: TIMEOUT_MS })
    conn.pool.on('error', () => {})
    conn.end = () => conn.pool.end()
    conn.store = stores.postgres({ pool: conn.pool, table, sync: false, timeout: TIMEOUT_MS })
  } else if (target.kind === 'redis') {
    const r = redisClient(target.url)
    Object.assign(conn, { raw: r.raw, end: r.end, client: r.client, why: r.why })
    conn.store = stores.redis({ client: r.client, prefix, sync: false, timeout: TIMEOUT_MS })
  } else {
    conn.file = path.resolve(target.file)
    conn.store = stores.sqlite(target.file, { table, syncInterval: 0 })
  }
}

/**
 * Opens the store `url` through the same store module and schema the Guard
 * uses (without following changes). Resolves to `{ store, kind, label, raw,
 * pool, close }`; `raw(args)` sends a Redis command, `pool` is the pg Pool.
 */
async function connect(url, { table = 'revocable_revocations', prefix = 'revocable', create = false } = {}) {
  const target = parseStoreUrl(url)
  const conn = { kind: target.kind, raw: null, pool: null, end: async () => {} }
  try {
    makeStore(conn, target, { table, prefix })
  } catch (err) {
    await conn.end()
    // A table or prefix the store refuses (not a plain identifier, glob characters) is bad usage.
    if (err.operation === 'configure') throw new UsageError(oneLine(err))
    throw err
  }
  conn.label = conn.store.id
  conn.close = async () => {
    await conn.store.close().catch(() => {})
    await conn.end()
  }
  try {
    if (target.kind === 'redis') await (conn.client.connect ? connectRedis(conn.client) : null)
    if (!create && !(await schemaExists(target, { table, prefix }, conn))) {
      const where = target.kind === 'redis' ? `prefix ${prefix}` : `table ${table}`
      throw new CliError(`${conn.label}: no revocable ${where} there: check --store and --${target.kind === 'redis' ? 'prefix' : 'table'} (or pass --create to make an empty one)`)
    }
    await conn.store.open()
  } catch (err) {
    await conn.close()
    if (err instanceof CliError) throw err
    const why = conn.why?.() ?? err
    throw new CliError(`${conn.label}: cannot open the store (${oneLine(why)}): check that it is running and that --store is right`, { cause: err })
  }
  return conn
}

async function connectRedis(client) {
  if (client.status === 'wait') await client.connect()
  else if (client.isOpen === false) await client.connect()
}

const oneLine = (err) => String((err && err.message) || err).split('\n')[0]

module.exports = { connect, oneLine }
