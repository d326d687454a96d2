'use strict'

const { invalidOption, attempt, refusal } = require('./errors')
const { newerSchema, sharedAttempt } = require('./schema')
const { BATCH_SIZE, checkBatch, checkNow } = require('./record')
const { KINDS } = require('../records')
const { timeoutMs } = require('./options')
const { withDeadline } = require('./deadline')
const { adapt } = require('./redis-client')
const { watchStream, streamPosition } = require('./redis-sync')
const { redisInfo, redisCounts } = require('./redis-inspect')
const { PUT_MANY, PUT_CHUNK, OPEN, refused } = require('./redis-scripts')

const NAME = 'redis'
const SCHEMA_VERSION = 1
const SCAN_COUNT = 1000

const PREFIX = /^[A-Za-z0-9_.:{}@/-]{1,100}$/

/** Settles with the client's first 'error' event: a refused connection is an answer, not a wait. */
function firstError(client) {
  let listener
  const promise = new Promise((resolve, reject) => {
    listener = reject
    client.on('error', listener)
  })
  return { promise, stop: () => client.off('error', listener) }
}

/** The `wait` option: null, or { replicas, timeoutMs } checked. */
function waitOption(wait) {
  if (wait === undefined || wait === null) return null
  const { replicas, timeoutMs: ms = 1000 } = typeof wait === 'object' ? wait : {}
  if (!Number.isSafeInteger(replicas) || replicas < 1) throw invalidOption(NAME, 'wait.replicas', 'must be a positive integer')
  if (!Number.isSafeInteger(ms) || ms < 1) throw invalidOption(NAME, 'wait.timeoutMs', 'must be a positive integer of milliseconds')
  return { replicas, timeoutMs: ms }
}

/** Resolves once `replicas` replicas have every write made so far on this connection; throws (a retry) when fewer did in time. */
async function waitForReplicas(c, { replicas, timeoutMs: ms }) {
  const acked = Number(await c.wait(replicas, ms))
  if (acked < replicas) throw new Error(`only ${acked} of ${replicas} replica(s) acknowledged the write within ${ms} ms`)
}

function parse(strip, name, value) {
  const rest = String(name).slice(strip)
  const colon = rest.indexOf(':')
  const bar = value.indexOf('|')
  const kind = rest.slice(0, colon)
  if (colon < 0 || bar < 0 || !KINDS.has(kind)) return null
  const exp = value.slice(bar + 1)
  return { kind, key: rest.slice(colon + 1), at: Number(value.slice(0, bar)), expiresAt: exp === '' ? null : Number(exp) }
}

/**
 * Keys in the app's Redis, reached through the app's ioredis or node-redis client.
 * The app owns the client: close() leaves it connected. ioredis and node-redis
 * queue commands while the server is unreachable, so every round trip is bounded
 * by `timeout`, and open() fails at the first connection error.
 * @param {object} options
 * @param {object} options.client an ioredis or node-redis (v4 or later) client, not a cluster client
 * @param {string} [options.prefix='revocable'] prefix of every key; `<prefix>:schema` holds the schema version
 * @param {number} [options.timeout=5000] ms allowed for each round trip (0 or Infinity: none)
 * @param {boolean} [options.sync=true] follow the `<prefix>:changes` stream, so that changes made by
 *   other instances reach this one (on a connection of its own, named `revocable:<pid>:<prefix>`)
 * @param {number} [options.streamLength=100000] entries the stream keeps (about); an instance
 *   disconnected for longer than that many changes reloads everything when it reconnects
 * @param {{ replicas: number, timeoutMs?: number }} [options.wait] a write counts as stored only once
 *   `replicas` replicas have it (Redis WAIT, up to `timeoutMs`, default 1000, per attempt; fewer is a
 *   failed attempt, retried): a failover to a replica then cannot lose an acknowledged revocation
 */
function redis({ client, prefix = 'revocable', timeout, sync = true, streamLength = 100_000, wait } = {}) {
  const c = adapt(NAME, client)
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw invalidOption(NAME, 'prefix', 'must be 1 to 100 letters, digits or _.:{}@/- (no glob characters)')
  }
  const ms = timeoutMs(NAME, timeout)
  if (!Number.isSafeInteger(streamLength) || streamLength < 1) {
    throw invalidOption(NAME, 'streamLength', 'must be a positive integer')
  }
  const replicas = waitOption(wait)
  const records = `${prefix}:r:`
  const stream = `${prefix}:changes`
  let closed = false

  const call = (operation, fn) =>
    attempt(NAME, operation, () => {
      if (closed) throw new Error('store is closed')
      return withDeadline(fn(), ms)
    })

  const openServer = () =>
    attempt(NAME, 'open', async () => {
      const connectHere = c.needsConnect()
      const errors = firstError(client)
      try {
        const work = (async () => {
          if (connectHere) await c.connect()
          await c.ping()
          return Number(await c.eval(OPEN, [`${prefix}:schema`], [String(SCHEMA_VERSION)]))
        })()
        const version = await withDeadline(Promise.race([work, errors.promise]), ms)
        if (version > SCHEMA_VERSION) throw newerSchema(NAME, `prefix ${prefix}`, version, SCHEMA_VERSION)
      } catch (err) {
        // A client we started connecting would otherwise retry forever in the background.
        if (connectHere) await Promise.resolve().then(c.disconnect).catch(() => {})
        throw err
      } finally {
        errors.stop()
      }
    })

  const opening = sharedAttempt(openServer)

  const putMany = async (batch) => {
    const rows = await attempt(NAME, 'put', () => checkBatch(batch))
    const ts = String(Date.now())
    for (let from = 0; from < rows.length; from += PUT_CHUNK) {
      const chunk = rows.slice(from, from + PUT_CHUNK)
      const keys = chunk.map((r) => `${records}${r.kind}:${r.key}`)
      keys.push(stream)
      const args = [String(chunk.length), ts, String(streamLength)]
      for (const r of chunk) {
        // PEXPIREAT takes whole milliseconds; keeping a record a little longer is always safe.
        args.push(String(r.at), r.expiresAt === null ? '' : String(Math.ceil(r.expiresAt)), r.kind, r.key)
      }
      await call('put', () => c.eval(PUT_MANY, keys, args).catch((err) => {
        throw refusal(err, refused)
      }))
      if (replicas) await call('put', () => waitForReplicas(c, replicas))
    }
  }

  return {
    name: NAME,
    // With an ioredis keyPrefix the keys really start with it, so the id does too.
    id: `${NAME}:${c.location}#${c.keyPrefix}${prefix}`,

    open() {
      closed = false
      return opening()
    },

    async put(record) {
      return putMany([record])
    },

    /** Writes the records with one script call per PUT_CHUNK; resolves once all are stored. */
    putMany,

    /** False while the client cannot reach the server (it would queue commands offline meanwhile). */
    ready() {
      return !closed && c.ready()
    },

    // SCAN may return a key twice when the keyspace is resized mid-scan; the
    // duplicate is harmless (applying a record twice is a no-op) but is counted.
    async load(onBatch) {
      const now = Date.now()
      const match = `${records}*`
      let total = 0
      let batch = []
      let [cursor, keys] = await call('load', () => c.scan('0', match, SCAN_COUNT))
      for (;;) {
        const last = cursor === '0'
        // The next SCAN travels with this MGET, halving the round trips.
        const [values, next] = await call('load', () =>
          Promise.all([keys.length ? c.mget(keys) : [], last ? null : c.scan(cursor, match, SCAN_COUNT)]),
        )
        for (let i = 0; i < keys.length; i++) {
          // null: the key expired or was deleted between SCAN and MGET.
          const record = values[i] == null ? null : parse(records.length, keys[i], String(values[i]))
          if (!record || (record.expiresAt !== null && record.expiresAt < now)) continue
          batch.push(record)
          if (batch.length === BATCH_SIZE) {
            total += batch.length
            await onBatch(batch)
            batch = []
          }
        }
        if (last) break
        ;[cursor, keys] = next
      }
      if (batch.length) {
        total += batch.length
        await onBatch(batch)
      }
      return total
    },

    /** Redis drops expired keys by itself (PEXPIREAT), so there is nothing to delete. */
    async prune(nowMs) {
      await attempt(NAME, 'prune', () => checkNow(nowMs))
      return 0
    },

    // For the command line (lib/cli): one record, live counts per kind, schema and change stream.
    async get(kind, key) {
      const [value] = await call('get', () => c.mget([`${records}${kind}:${key}`]))
      return value == null ? null : parse(0, `${kind}:${key}`, String(value))
    },
    counts() {
      return redisCounts((onBatch) => this.load(onBatch))
    },
    info: () => redisInfo(call, c, `${prefix}:schema`, stream),

    /** Where the change stream ends now: watch() from here misses nothing written after it. */
    async position() {
      return call('sync', () => streamPosition(c, stream, ms))
    },

    /** Follows the stream from `from` (see redis-sync.js); null when `sync` is off. */
    watch({ from, onRecords, onGap, onState }) {
      if (!sync) return null
      const name = `revocable:${process.pid}:${prefix}`
      // The blocking read is re-issued every few seconds: a silently dead connection is noticed then.
      return watchStream(c, { stream, name, blockMs: 5000, timeoutMs: ms, from, onRecords, onGap, onState })
    },

    /** The client belongs to the app: it stays connected. */
    async close() {
      closed = true
      opening.reset()
    },
  }
}

module.exports = { redis, SCHEMA_VERSION }
