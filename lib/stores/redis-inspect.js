'use strict'

const { mergeRecords } = require('./record')
const { recordOf } = require('./redis-hashes')

// Read-only questions of the command line (`status`, `show`, `doctor`) for the
// Redis store; nothing here is on the Guard's path.

// {schema version or nil, stream length, ts of the newest change or nil}
const INFO = `
local v = redis.call('GET', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 0 then return {v, 0, false} end
local ts = false
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #last > 0 then
  local f = last[1][2]
  for i = 1, #f, 2 do if f[i] == 'ts' then ts = f[i + 1] end end
end
return {v, redis.call('XLEN', KEYS[2]), ts}`

/** Schema version and the change stream's length and newest entry time. */
async function redisInfo(call, c, schemaKey, stream) {
  const [version, length, ts] = await call('status', () => c.eval(INFO, [schemaKey, stream], []))
  return {
    schemaVersion: version == null ? null : Number(version),
    changes: { count: Number(length), newest: ts == null ? null : Number(ts) },
  }
}

/**
 * Live counts per kind through load (HSCAN of each kind's hash): HLEN would
 * also count records that expired and were not pruned yet.
 */
async function redisCounts(load) {
  const out = {}
  await load((records) => {
    for (const r of records) {
      const k = (out[r.kind] ??= { count: 0, bytes: 0 })
      k.count++
      k.bytes += Buffer.byteLength(r.key) + 16
    }
  })
  return out
}

// {the hash's value or nil, the 0.1 key's value or nil}: a record written by a
// 0.1 instance still running may not be folded into the hash yet (redis-fold.js).
const GET = `
local legacy = redis.pcall('GET', KEYS[2])
if type(legacy) ~= 'string' then legacy = false end
return {redis.call('HGET', KEYS[1], ARGV[1]), legacy}`

/** One record as load would see it after folding, without writing anything; null when there is none. */
async function redisGet(call, c, k, kind, key) {
  const values = await call('get', () => c.eval(GET, [k.hash(kind), `${k.legacy}${kind}:${key}`], [key]))
  const records = values.filter((v) => v != null).map((v) => recordOf(kind, key, String(v))).filter(Boolean)
  return records.length ? records.reduce(mergeRecords) : null
}

module.exports = { redisInfo, redisCounts, redisGet }
