'use strict'

const { invalidOption, attempt, refusal } = require('./errors')
const { newerSchema, sharedAttempt } = require('./schema')
const { checkBatch, checkNow } = require('./record')
const { timeoutMs } = require('./options')
const { withDeadline } = require('./deadline')
const { adapt } = require('./redis-client')
const { watchStream, streamPosition } = require('./redis-sync')
const { redisInfo, redisCounts, redisGet } = require('./redis-inspect')
const { PUT_MANY, PUT_CHUNK, OPEN, keysOf, refused } = require('./redis-scripts')
const { fold } = require('./redis-fold')
const { loadHashes, pruneHashes } = require('./redis-hashes')

const NAME = 'redis'
const SCHEMA_VERSION = 2

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

/**
 * Keys in the app's Redis, reached through the app's ioredis or node-redis client.
 * The app owns the client: close() leaves it connected. ioredis and node-redis
 * queue commands while the server is unreachable, so every round trip is bounded
 * by `timeout`, and open() fails at the first connection error.
 * @param {object} options
 * @param {object} options.client an ioredis or node-redis (v4 or later) client, not a cluster client
 * @param {string} [options.prefix='revocable'] prefix of every key; `<prefix>:schema` holds the schema version,
 *   `<prefix>:h:<kind>` the records (layout: redis-scripts.js)
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
  const k = keysOf(prefix)
  const stream = k.stream
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
          const [stored] = await c.eval(OPEN, [k.schema, stream, k.folded, k.migrating], [String(SCHEMA_VERSION)])
          return Number(stored)
        })()
        const version = await withDeadline(Promise.race([work, errors.promise]), ms)
        if (version > SCHEMA_VERSION) throw newerSchema(NAME, `prefix ${prefix}`, version, SCHEMA_VERSION)
        // Migrates schema 1 data (or finishes a migration a crash cut short) and folds in 0.1 writes.
        await fold((fn) => call('open', fn), c, k)
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
      const args = [String(chunk.length), ts, String(streamLength)]
      for (const r of chunk) {
        // Whole milliseconds, as schema 1 stored them: keeping a record a little longer is always safe.
        args.push(String(r.at), r.expiresAt === null ? '' : String(Math.ceil(r.expiresAt)), r.kind, r.key)
      }
      await call('put', () => c.eval(PUT_MANY, [stream, k.folded, k.x, ...k.hashes], args).catch((err) => {
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

    /** Folds in what 0.1 instances wrote (redis-fold.js), then reads each kind's hash. */
    async load(onBatch) {
      const run = (fn) => call('load', fn)
      await fold(run, c, k)
      return loadHashes(run, c, k.hashes, onBatch)
    },

    /** Deletes the records that expired before nowMs (hash fields cannot expire by themselves). */
    async prune(nowMs) {
      await attempt(NAME, 'prune', () => checkNow(nowMs))
      return pruneHashes((fn) => call('prune', fn), c, k, nowMs)
    },

    // For the command line (lib/cli): one record, live counts per kind, schema and change stream.
    get: (kind, key) => redisGet(call, c, k, kind, key),
    counts() {
      return redisCounts((onBatch) => this.load(onBatch))
    },
    info: () => redisInfo(call, c, k.schema, stream),

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
