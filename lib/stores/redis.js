'use strict'

const { StoreError, invalidOption, attempt } = require('./errors')
const { BATCH_SIZE, KINDS, checkRecord, checkNow } = require('./record')
const { timeoutMs } = require('./options')
const { withDeadline } = require('./deadline')
const { adapt } = require('./redis-client')
const { watchStream, streamPosition, LAST_SEQ } = require('./redis-sync')
const { redisInfo, redisCounts } = require('./redis-inspect')

const NAME = 'redis'
const SCHEMA_VERSION = 1
const SCAN_COUNT = 1000

// One key per record, `<prefix>:r:<kind>:<key>`, whose value is
// "<at>|<expiresAt>" (nothing after the bar: never expires) and whose
// PEXPIREAT is expiresAt. expiresAt lives in the value too because load must
// return it and MGET cannot read expiry times.
//
// The compare-and-set runs in Lua so two instances revoking at once cannot
// lose the later cut-off. It writes back the winning strings as they came:
// Lua's tostring() would round a 13-digit millisecond number. In the same
// script, before storing (so no change is stored without being announced), it
// appends the winning record to the `<prefix>:changes` stream that other
// instances follow, trimmed to about ARGV[6] entries; `ts` is the writer's
// clock, for lag. Ids are `0-<n>` with n counting up by one, so a reader can
// tell a gap from a quiet spell: see redis-sync.js.
const PUT = `${LAST_SEQ}
local at, exp = ARGV[1], ARGV[2]
local cur = redis.call('GET', KEYS[1])
if cur then
  local bar = string.find(cur, '|', 1, true)
  local curAt, curExp = string.sub(cur, 1, bar - 1), string.sub(cur, bar + 1)
  if tonumber(curAt) > tonumber(at) then at = curAt end
  if exp ~= '' and (curExp == '' or tonumber(curExp) > tonumber(exp)) then exp = curExp end
end
local id = '0-' .. string.format('%d', lastSeq(KEYS[2]) + 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], id, 'kind', ARGV[3], 'key', ARGV[4], 'at', at, 'exp', exp, 'ts', ARGV[5])
redis.call('SET', KEYS[1], at .. '|' .. exp)
if exp ~= '' then redis.call('PEXPIREAT', KEYS[1], exp) end
return 1`

// Returns the stored schema version, after upgrading it when it is older.
const OPEN = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > tonumber(ARGV[1]) then return v end
redis.call('SET', KEYS[1], ARGV[1])
return tonumber(ARGV[1])`

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
 */
function redis({ client, prefix = 'revocable', timeout, sync = true, streamLength = 100_000 } = {}) {
  const c = adapt(NAME, client)
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw invalidOption(NAME, 'prefix', 'must be 1 to 100 letters, digits or _.:{}@/- (no glob characters)')
  }
  const ms = timeoutMs(NAME, timeout)
  if (!Number.isSafeInteger(streamLength) || streamLength < 1) {
    throw invalidOption(NAME, 'streamLength', 'must be a positive integer')
  }
  const records = `${prefix}:r:`
  const stream = `${prefix}:changes`
  let opening = null
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
        if (version > SCHEMA_VERSION) {
          throw new StoreError(
            `${NAME} store: open failed: prefix ${prefix} has schema version ${version}, written by a newer revocable ` +
              `(this one knows up to ${SCHEMA_VERSION}); upgrade revocable`,
            { store: NAME, operation: 'open' },
          )
        }
      } catch (err) {
        // A client we started connecting would otherwise retry forever in the background.
        if (connectHere) await Promise.resolve().then(c.disconnect).catch(() => {})
        throw err
      } finally {
        errors.stop()
      }
    })

  return {
    name: NAME,
    // With an ioredis keyPrefix the keys really start with it, so the id does too.
    id: `${NAME}:${c.location}#${c.keyPrefix}${prefix}`,

    // Concurrent calls share one attempt; a failed attempt can be retried.
    open() {
      closed = false
      if (!opening) {
        opening = openServer().catch((err) => {
          opening = null
          throw err
        })
      }
      return opening
    },

    async put(record) {
      const r = await attempt(NAME, 'put', () => checkRecord(record))
      // PEXPIREAT takes whole milliseconds; keeping a record a little longer is always safe.
      const exp = r.expiresAt === null ? '' : String(Math.ceil(r.expiresAt))
      const args = [String(r.at), exp, r.kind, r.key, String(Date.now()), String(streamLength)]
      await call('put', () => c.eval(PUT, [`${records}${r.kind}:${r.key}`, stream], args))
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
      opening = null
    },
  }
}

module.exports = { redis, SCHEMA_VERSION }
