'use strict'

const { LAST_SEQ } = require('./redis-sync')
const { MERGE, hashesFrom } = require('./redis-scripts')

// Bringing schema 1 records into the hashes (the layout: redis-scripts.js).
// A 0.1 instance already running when the schema moved to 2 keeps writing
// `<prefix>:r:<kind>:<key>` keys and change entries without `v`. What a 0.1
// instance wrote stays in its `r:` key until one script merges that key into
// the hashes and deletes it. The stream says which `r:` keys to look at;
// where it cannot (entries trimmed before they were folded), a sweep of the
// `r:` keys does, as the migration from schema 1 does.

// Lua: moves the 0.1 key `name` (a record of `kind` and `key`) into the hashes:
// its own value is merged in, since a later 0.1 write to that key may not be
// folded yet. Anything that is not a 0.1 record is left alone.
const LEGACY = `
local function valid(at, exp)
  return type(at) == 'string' and tonumber(at) ~= nil and type(exp) == 'string' and (exp == '' or tonumber(exp) ~= nil)
end
local function legacy(x, name, kind, key)
  local v = redis.pcall('GET', name)
  if type(v) ~= 'string' or not HASH[kind] then return end
  local bar = string.find(v, '|', 1, true)
  if not bar then return end
  local at, exp = string.sub(v, 1, bar - 1), string.sub(v, bar + 1)
  if not valid(at, exp) then return end
  put(x, kind, key, at, exp)
  redis.call('DEL', name)
end`

// Folds up to ARGV[1] entries after `folded`, answering {0, folded now, last
// written}; or, while a sweep is due (a migration, or entries after `folded`
// trimmed or the stream started again), {2, n} where every entry up to n will
// be in the hashes once the `r:` keys are swept. KEYS: stream, folded,
// migrating, x, `<prefix>:r:` (0.1 key names are built from it, so that an
// ioredis keyPrefix applies), the hashes.
const FOLD = `${LAST_SEQ}${hashesFrom(6)}${MERGE}${LEGACY}
local marked = redis.call('GET', KEYS[3])
if marked then return {2, marked} end
local f = tonumber(redis.call('GET', KEYS[2]) or '0')
local last = lastSeq(KEYS[1])
if last == f then return {0, f, last} end
local from = '0-' .. string.format('%d', f + 1)
local entries = {}
if last > f then entries = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', ARGV[1]) end
if #entries == 0 or entries[1][1] ~= from then
  marked = string.format('%d', last)
  redis.call('SET', KEYS[3], marked)
  return {2, marked}
end
for _, entry in ipairs(entries) do
  local e = {}
  for i = 1, #entry[2], 2 do e[entry[2][i]] = entry[2][i + 1] end
  if e.v == nil and HASH[e.kind] and e.key and valid(e.at, e.exp) then
    put(KEYS[4], e.kind, e.key, e.at, e.exp)
    legacy(KEYS[4], KEYS[5] .. e.kind .. ':' .. e.key, e.kind, e.key)
  end
end
local upto = string.match(entries[#entries][1], '%-(%d+)$')
redis.call('SET', KEYS[2], upto)
return {0, tonumber(upto), last}`

// Moves the 0.1 keys KEYS[3...] (a SCAN page) into the hashes. KEYS: x,
// `<prefix>:r:` (its length is what precedes "<kind>:<key>"), the hashes, the page.
const MOVE = (hashes) => `${hashesFrom(3)}${MERGE}${LEGACY}
local strip = #KEYS[2]
for i = ${3 + hashes}, #KEYS do
  local rest = string.sub(KEYS[i], strip + 1)
  local colon = string.find(rest, ':', 1, true)
  if colon then legacy(KEYS[1], KEYS[i], string.sub(rest, 1, colon - 1), string.sub(rest, colon + 1)) end
end
return 1`

// The sweep up to n (ARGV[1]) is done: `folded` moves up to n (or back to it,
// when the stream started again below it), and the mark goes unless a newer
// sweep replaced it. KEYS: folded, migrating, stream.
const SWEPT = `${LAST_SEQ}
local f = tonumber(redis.call('GET', KEYS[1]) or '0')
if f < tonumber(ARGV[1]) or f > lastSeq(KEYS[3]) then redis.call('SET', KEYS[1], ARGV[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`

const FOLD_CHUNK = 1000
const SCAN_COUNT = 1000

/** Moves every `<prefix>:r:*` key into the hashes; the next SCAN page travels with each move. */
async function sweep(run, c, k) {
  const move = MOVE(k.hashes.length)
  let [cursor, names] = await run(() => c.scan('0', `${k.legacy}*`, SCAN_COUNT))
  for (;;) {
    const last = cursor === '0'
    const [, next] = await run(() => Promise.all([
      names.length ? c.eval(move, [k.x, k.legacy, ...k.hashes, ...names], []) : null,
      last ? null : c.scan(cursor, `${k.legacy}*`, SCAN_COUNT),
    ]))
    if (last) return
    ;[cursor, names] = next
  }
}

/**
 * Brings every change written so far into the hashes, sweeping the 0.1 keys
 * first when a migration (or a trimmed stream) calls for it: run before each
 * load, it costs one script call once nothing is left to fold. `run(fn)`
 * bounds and names each round trip.
 */
async function fold(run, c, k) {
  const keys = [k.stream, k.folded, k.migrating, k.x, k.legacy, ...k.hashes]
  let target = null
  for (;;) {
    const [state, n, last] = (await run(() => c.eval(FOLD, keys, [String(FOLD_CHUNK)]))).map(Number)
    if (state === 2) {
      await sweep(run, c, k)
      await run(() => c.eval(SWEPT, [k.folded, k.migrating, k.stream], [String(n)]))
      continue
    }
    // Changes written after the first answer are not chased: they are after the caller's position.
    target ??= last
    if (n >= target || n === last) return
  }
}

module.exports = { fold }
