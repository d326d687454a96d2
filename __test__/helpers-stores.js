'use strict'

// Fixtures for the store tests: where each store lives, how to fill it in bulk
// behind the store's back, and whether its server is reachable at all.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawnSync } = require('node:child_process')
const { sqlite, postgres, redis } = require('../lib/stores')
const { adapt } = require('../lib/stores/redis-client')

const PG_URL = process.env.REVOCABLE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REVOCABLE_TEST_REDIS_URL || 'redis://127.0.0.1:6379'
const REQUIRED = process.env.CI === 'true'

// The tests' own clients give up quickly, so that a missing server under
// CI=true fails each test at once instead of waiting out every Jest timeout.
const ioredisClient = (options) => new (require('ioredis'))(REDIS_URL, { maxRetriesPerRequest: 1, ...options })
const nodeRedisClient = () =>
  require('redis').createClient({ url: REDIS_URL, socket: { reconnectStrategy: false } }).on('error', () => {})

const run = crypto.randomBytes(4).toString('hex')
let serial = 0
/** A name no other test, run or concurrent Jest worker uses. */
const unique = (base) => `${base}_${run}_${process.pid}_${++serial}`

// Jest collects describe blocks synchronously, so the probe runs in a child
// process that we can wait for synchronously. It checks the protocol, not
// just the port: something else listening there should skip, not fail.
const PROBES = {
  postgres: `const { Client } = require('pg')
    const c = new Client({ connectionString: process.env.URL, connectionTimeoutMillis: 2000 })
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end())`,
  redis: `const Redis = require('ioredis')
    const r = new Redis(process.env.URL, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 2000 })
    r.on('error', () => {})
    r.connect().then(() => r.ping()).then(() => r.disconnect())`,
}
const URLS = { postgres: PG_URL, redis: REDIS_URL }
const probed = {}

/** Why `server` cannot be used, or null when it can (or when CI requires it). */
function unavailable(server) {
  if (!server || REQUIRED) return null
  if (!(server in probed)) {
    const script = `${PROBES[server]}.then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1) })`
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, URL: URLS[server] },
      timeout: 10_000,
      encoding: 'utf8',
    })
    const where = new URL(URLS[server]).host // never print a password from the URL
    probed[server] = child.status === 0 ? null : `no ${server} at ${where} (${(child.stderr || child.error || 'timeout').toString().trim()})`
  }
  return probed[server]
}

const warned = new Set()
function warnSkipped(what, why) {
  if (warned.has(what)) return
  warned.add(what)
  console.warn(`skipping the ${what} tests: ${why}; with CI=true they run and fail instead`)
}

/** Splits fixtures into those to run and those to skip, saying why each is skipped. */
function partition(fixtures) {
  const runnable = []
  const skipped = []
  for (const fixture of fixtures) {
    const why = unavailable(fixture.server)
    if (why) warnSkipped(`${fixture.name} store`, why)
    ;(why ? skipped : runnable).push(fixture)
  }
  return { runnable, skipped }
}

/** `describe` when `server` can be used (or CI requires it), else `describe.skip`, saying why. */
function describeWith(server) {
  const why = unavailable(server)
  if (!why) return describe
  warnSkipped(server, why)
  return describe.skip
}

const TOKEN_KEY = `'["https://issuer.example",' || i || ']'`

const sqliteFixture = {
  name: 'sqlite',
  server: null,
  async start() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-stores-'))
    const file = path.join(dir, 'revocations.db')
    const table = unique('revocations')
    let raw = null
    const db = () => (raw ??= new (require('better-sqlite3'))(file))
    return {
      id: `sqlite:${file}#${table}`,
      make: (options) => sqlite(file, { table, ...options }),
      async bulkInsert(n, at, expiresAt) {
        db().prepare(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
          INSERT INTO "${table}" SELECT 'token', ${TOKEN_KEY}, ?, ? FROM seq`).run(n, at, expiresAt)
      },
      async setSchemaVersion(v) {
        db().prepare(`UPDATE "${table}_meta" SET value = ? WHERE name = 'schema_version'`).run(String(v))
      },
      async appClientWorks() {
        return db().prepare(`SELECT count(*) AS n FROM "${table}"`).get().n >= 0
      },
      async stop() {
        if (raw) raw.close()
        fs.rmSync(dir, { recursive: true, force: true })
      },
    }
  },
  dead: () => ({ store: sqlite(path.join(os.tmpdir(), unique('no-such-dir'), 'r.db')), stop: async () => {} }),
}

const postgresFixture = {
  name: 'postgres',
  server: 'postgres',
  async start() {
    const { Pool } = require('pg')
    const pool = new Pool({ connectionString: PG_URL, max: 4 })
    const table = unique('revocable_test')
    const { hostname, port, pathname } = new URL(PG_URL)
    return {
      id: `postgres:${hostname}:${port || 5432}/${pathname.slice(1)}#${table}`,
      make: (options) => postgres({ pool, table, ...options }),
      async bulkInsert(n, at, expiresAt) {
        await pool.query(`INSERT INTO "${table}" (kind, key, at, expires_at)
          SELECT 'token', ${TOKEN_KEY}, $2, $3 FROM generate_series(1, $1) AS i`, [n, at, expiresAt])
      },
      async setSchemaVersion(v) {
        await pool.query(`UPDATE "${table}_meta" SET value = $1 WHERE name = 'schema_version'`, [String(v)])
      },
      async appClientWorks() {
        return (await pool.query('SELECT 1 AS one')).rows[0].one === 1
      },
      async stop() {
        try {
          await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
        } finally {
          await pool.end()
        }
      },
    }
  },
  dead() {
    const { Pool } = require('pg')
    const pool = new Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' })
    return { store: postgres({ pool, table: unique('dead'), timeout: 1000 }), stop: () => pool.end() }
  },
}

// Writes `n` token records server-side, in slices so Redis is never blocked for
// long, in the store's layout (lib/stores/redis-scripts.js): a field of the
// token hash and, expiring, a member of `<prefix>:x`.
const BULK = `for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local key = '["https://issuer.example",' .. i .. ']'
  redis.call('HSET', KEYS[1], key, ARGV[3] .. '|' .. ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[4], 'token:' .. key)
end`
const UNLINK_ALL = `local cursor = '0'
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = reply[1]
  if #reply[2] > 0 then redis.call('UNLINK', unpack(reply[2])) end
until cursor == '0'`

/** Deletes every key matching `pattern` (an ioredis keyPrefix is not added) through an ioredis or node-redis client. */
const unlinkAll = (client, pattern) => adapt('redis', client).eval(UNLINK_ALL, [], [pattern])

function redisFixture(library, connect, disconnect, deadClient) {
  return {
    name: `redis (${library})`,
    server: 'redis',
    async start() {
      const client = await connect()
      const prefix = unique('revocable-test')
      const raw = adapt('redis', client)
      const { hostname, port, pathname } = new URL(REDIS_URL)
      return {
        id: `redis:${hostname}:${port || 6379}/${pathname.slice(1) || 0}#${prefix}`,
        make: (options) => redis({ client, prefix, ...options }),
        async bulkInsert(n, at, expiresAt) {
          for (let from = 1; from <= n; from += 100_000) {
            const to = Math.min(n, from + 99_999)
            await raw.eval(BULK, [`${prefix}:h:token`, `${prefix}:x`], [String(from), String(to), String(at), String(expiresAt)])
          }
        },
        setSchemaVersion: (v) => raw.eval("return redis.call('SET', KEYS[1], ARGV[1])", [`${prefix}:schema`], [String(v)]),
        appClientWorks: async () => (await client.ping()) === 'PONG',
        async stop() {
          try {
            await unlinkAll(client, `${prefix}:*`)
          } finally {
            await disconnect(client)
          }
        },
      }
    },
    dead() {
      const client = deadClient()
      client.on('error', () => {}) // the app's listener; node-redis would crash without one
      return { store: redis({ client, prefix: unique('dead'), timeout: 1000 }), stop: () => disconnect(client) }
    },
  }
}

const ioredisFixture = redisFixture(
  'ioredis',
  async () => ioredisClient(),
  async (client) => client.disconnect(),
  // Default options on purpose: this client is already connecting (and would
  // queue a command for over a minute), so the store's own deadline must act.
  () => new (require('ioredis'))({ host: '127.0.0.1', port: 1 }),
)

const nodeRedisFixture = redisFixture(
  'node-redis',
  async () => {
    const client = nodeRedisClient()
    await client.connect()
    return client
  },
  async (client) => {
    if (client.isOpen) await client.quit()
  },
  // Not connected by the app: open() connects it, and must give it back disconnected.
  () => require('redis').createClient({ socket: { host: '127.0.0.1', port: 1 } }),
)

module.exports = {
  PG_URL,
  REDIS_URL,
  ioredisClient,
  nodeRedisClient,
  unique,
  unlinkAll,
  partition,
  describeWith,
  fixtures: [sqliteFixture, postgresFixture, ioredisFixture, nodeRedisFixture],
}
