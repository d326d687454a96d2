'use strict'

const { storeError } = require('./errors')
const { withDeadline } = require('./deadline')
const { reconnecting } = require('./reconnect')

// The n of the stream's last id ever written (0 when there is none). XINFO's
// last-generated-id survives trimming, where the last entry's id does not.
const LAST_SEQ = `
local function lastSeq(stream)
  if redis.call('EXISTS', stream) == 0 then return 0 end
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then return tonumber(string.match(info[i + 1], '%-(%d+)$')) end
  end
  return 0
end`

// Entry ids are `0-<n>`, n counting every change ever written (redis.js), so
// "entries after n are missing" has an exact test: the stream went past n but
// entry n + 1 is gone (trimmed: MAXLEN drops the oldest), or the stream is
// behind n (deleted and started again). A trim leaves no other trace: Redis
// counts XDEL in max-deleted-entry-id but not XTRIM or MAXLEN.
// Returns {last n written, 1 if entries after ARGV[1] are missing}.
const GAP = `${LAST_SEQ}
local since = tonumber(ARGV[1])
local last = lastSeq(KEYS[1])
if last < since then return {last, 1} end
if last == since then return {last, 0} end
local nextId = '0-' .. string.format('%d', since + 1)
if #redis.call('XRANGE', KEYS[1], nextId, nextId) == 0 then return {last, 1} end
return {last, 0}`

const BATCH = 1000

const seqOf = (id) => Number(String(id).split('-')[1])
const idOf = (seq) => `0-${seq}`

/**
 * XREAD answers [[stream, entries]] in RESP2, which ioredis 6 flattens to
 * [stream, entries] for one stream; node-redis on RESP3 answers a map.
 */
function entriesOf(reply) {
  if (reply == null) return []
  if (Array.isArray(reply)) {
    if (reply.length === 0) return []
    return Array.isArray(reply[0]) ? reply[0][1] : reply[1]
  }
  if (reply instanceof Map) return reply.values().next().value || []
  return Object.values(reply)[0] || []
}

function fieldsOf(fields) {
  if (Array.isArray(fields)) {
    const out = {}
    for (let i = 0; i < fields.length; i += 2) out[String(fields[i])] = String(fields[i + 1])
    return out
  }
  return fields instanceof Map ? Object.fromEntries(fields) : fields
}

function toRecord(fields) {
  const f = fieldsOf(fields)
  return { kind: f.kind, key: f.key, at: Number(f.at), expiresAt: f.exp === '' ? null : Number(f.exp), ts: Number(f.ts) }
}

/**
 * Follows `<prefix>:changes` on a connection of its own (XREAD BLOCK: the
 * server answers as soon as an entry is added, so no polling), from the id
 * `from` that was current before the Guard loaded. After a disconnect it
 * resumes from the last id it applied; if entries after that id are gone
 * (trimmed, or the stream deleted) it calls `onGap` for a full reload instead.
 */
function watchStream(c, { stream, name, blockMs, timeoutMs, from, onRecords, onGap, onState }) {
  let lastSeq = seqOf(from)

  const checkGap = async () => {
    const [last, missing] = (await withDeadline(c.eval(GAP, [stream], [String(lastSeq)]), timeoutMs)).map(Number)
    if (!missing) return
    // `last` was read before the reload, so nothing written during it is skipped.
    await onGap()
    lastSeq = last
  }

  return reconnecting({
    timeoutMs,
    onState,
    connect: () => c.duplicate(name),
    async follow(conn, connected) {
      await checkGap()
      connected()
      for (;;) {
        const args = ['XREAD', 'COUNT', String(BATCH), 'BLOCK', String(blockMs), 'STREAMS', stream, idOf(lastSeq)]
        const entries = entriesOf(await withDeadline(conn.raw(args), blockMs + timeoutMs))
        if (entries.length === 0) continue
        const newest = seqOf(entries[entries.length - 1][0])
        // Applied even after a gap: every change is safe to apply, and sooner is better.
        onRecords(entries.map(([, fields]) => toRecord(fields)), idOf(newest))
        if (seqOf(entries[0][0]) !== lastSeq + 1) await checkGap() // may reload, and move past `newest`
        lastSeq = Math.max(lastSeq, newest)
      }
    },
    error: (err) => storeError('redis', 'sync', err),
  })
}

/** The stream's current end, taken before the Guard loads so that nothing between load and watch is missed. */
async function streamPosition(c, stream, timeoutMs) {
  const [last] = await withDeadline(c.eval(GAP, [stream], ['0']), timeoutMs)
  return idOf(Number(last))
}

module.exports = { watchStream, streamPosition, LAST_SEQ }
