'use strict'

const { KIND_LIST, hashesFrom } = require('./redis-scripts')

// Reading and pruning the hashes of the schema 2 layout (redis-scripts.js).

// Fields per HSCAN page (about: a small hash answers whole). Larger pages
// hold the server longer, for no faster a load.
const HSCAN_COUNT = 1000

// One HSCAN page as {cursor, fields, "field\0value\0field\0value..."}: one
// string per page costs the client a third of the CPU of two per record (a
// key never holds U+0000: records.js). KEYS: the hash; ARGV: cursor, count.
const PAGE = `local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
return {page[1], #page[2] / 2, table.concat(page[2], '\\0')}`

// Records handed over at once: about a page (a small hash is read in one
// page, and several small hashes make one batch).
const PAGE_BATCH = HSCAN_COUNT

const PRUNE_CHUNK = 1000

/** A record from its kind, field and "<at>|<expiresAt>" value; null for a value that is not one. */
function recordOf(kind, key, value) {
  const bar = value.indexOf('|')
  if (bar < 0) return null
  // parseFloat reads `at` up to the bar: one string fewer per record than slicing it out.
  return { kind, key, at: parseFloat(value), expiresAt: bar === value.length - 1 ? null : Number(value.slice(bar + 1)) }
}

/**
 * Streams the live records of every kind's hash to `onBatch`, awaiting each
 * batch. The first page of every hash is asked for at once, and each next
 * page travels while the current one is handed over. HSCAN may return a field
 * twice when the hash is resized mid-scan; applying a record twice is a no-op.
 */
async function loadHashes(run, c, hashes, onBatch) {
  const now = Date.now()
  const page = (i, cursor) => {
    const reply = run(async () => {
      const [next, fields, text] = await c.eval(PAGE, [hashes[i]], [cursor, String(HSCAN_COUNT)])
      const flat = Number(fields) === 0 ? [] : String(text).split('\0')
      if (flat.length === 2 * Number(fields)) return [String(next), flat]
      // A U+0000 in a field or value written behind the store's back: the same page, unjoined.
      return c.hscan(hashes[i], cursor, HSCAN_COUNT)
    })
    reply.catch(() => {}) // awaited below; a failing onBatch must not leave it unhandled meanwhile
    return reply
  }
  const firsts = hashes.map((_, i) => page(i, '0'))
  let total = 0
  let batch = []
  for (let i = 0; i < hashes.length; i++) {
    let [cursor, flat] = await firsts[i]
    for (;;) {
      const next = cursor === '0' ? null : page(i, cursor)
      for (let j = 0; j < flat.length; j += 2) {
        const record = recordOf(KIND_LIST[i], String(flat[j]), String(flat[j + 1]))
        if (!record || (record.expiresAt !== null && record.expiresAt < now)) continue
        batch.push(record)
      }
      // Each page is handed over while the next one is read: one page in
      // flight per hash, so work held back for a larger batch would leave
      // the server idle while it runs.
      if (batch.length >= PAGE_BATCH || (!next && batch.length > 0)) {
        total += batch.length
        await onBatch(batch)
        batch = []
      }
      if (!next) break
      ;[cursor, flat] = await next
    }
  }
  return total
}

// Deletes up to ARGV[2] records that expired before ARGV[1], found through
// KEYS[1] (`<prefix>:x`), answering {deleted, looked at}. The hash's own
// expiry decides: a member whose score fell behind it (the record was
// extended) is put back in step, one whose record is gone or never expires
// leaves. KEYS: x, the hashes.
const PRUNE = `${hashesFrom(2)}
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
local deleted = 0
for _, member in ipairs(due) do
  local colon = string.find(member, ':', 1, true)
  local hash = colon and HASH[string.sub(member, 1, colon - 1)]
  local key = colon and string.sub(member, colon + 1)
  local cur = hash and redis.call('HGET', hash, key)
  local exp = cur and string.match(cur, '|(.*)$')
  if exp and tonumber(exp) and tonumber(exp) < now then
    redis.call('HDEL', hash, key)
    redis.call('ZREM', KEYS[1], member)
    deleted = deleted + 1
  elseif exp and tonumber(exp) then
    redis.call('ZADD', KEYS[1], exp, member)
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return {deleted, #due}`

/** Deletes the records that expired before nowMs, a script call per PRUNE_CHUNK; resolves to how many. */
async function pruneHashes(run, c, k, nowMs) {
  let deleted = 0
  for (;;) {
    const [n, seen] = (await run(() => c.eval(PRUNE, [k.x, ...k.hashes], [String(nowMs), String(PRUNE_CHUNK)]))).map(Number)
    deleted += n
    if (seen < PRUNE_CHUNK) return deleted
  }
}

module.exports = { loadHashes, pruneHashes, recordOf }
