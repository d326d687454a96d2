'use strict'

const { storeError } = require('./errors')
const { withDeadline } = require('./deadline')
const { reconnecting } = require('./reconnect')

// [last-generated-id, max-deleted-entry-id] of the stream, '0-0' for both when it
// does not exist. max-deleted-entry-id (Redis 7 and later) is what tells "trimmed
// past me" apart from "nothing was written in between": ids are not contiguous,
// so the first entry's id cannot. Older servers do not report it, and there a
// trim past a disconnected watcher goes unnoticed (README: Redis 7 is required).
const STREAM_INFO = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'0-0', '0-0'} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local f = {}
for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
return {f['last-generated-id'], f['max-deleted-entry-id'] or '0-0'}`

const BATCH = 1000

function compareIds(a, b) {
  const [am, as] = String(a).split('-').map(BigInt)
  const [bm, bs] = String(b).split('-').map(BigInt)
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1
}

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
 * resumes from the last id it applied; if the stream was trimmed past that id
 * (or deleted and recreated) it calls `onGap` for a full reload instead.
 */
function watchStream(c, { stream, name, blockMs, timeoutMs, from, onRecords, onGap, onState }) {
  let lastId = from

  const info = async () => (await withDeadline(c.eval(STREAM_INFO, [stream], []), timeoutMs)).map(String)

  const checkGap = async (since) => {
    const [last, deleted] = await info()
    if (compareIds(deleted, since) <= 0 && compareIds(last, since) >= 0) return
    // Entries after `since` are gone: only the full state is safe. `last` was
    // taken before the reload, so nothing written during it is skipped.
    await onGap()
    if (compareIds(last, lastId) > 0) lastId = last
  }

  return reconnecting({
    store: 'redis',
    timeoutMs,
    onState,
    connect: () => c.duplicate(name),
    async follow(conn, connected) {
      await checkGap(lastId)
      connected()
      for (;;) {
        const args = ['XREAD', 'COUNT', String(BATCH), 'BLOCK', String(blockMs), 'STREAMS', stream, lastId]
        const entries = entriesOf(await withDeadline(conn.raw(args), blockMs + timeoutMs))
        if (entries.length === 0) continue
        const since = lastId
        lastId = String(entries[entries.length - 1][0])
        onRecords(entries.map(([, fields]) => toRecord(fields)), lastId)
        // Applied first (every change is safe to apply), checked after: the
        // check costs a round trip that should not delay enforcement.
        await checkGap(since)
      }
    },
    error: (err) => storeError('redis', 'sync', err),
  })
}

/** The stream's current end, taken before the Guard loads so that nothing between load and watch is missed. */
async function streamPosition(c, stream, timeoutMs) {
  const [last] = await withDeadline(c.eval(STREAM_INFO, [stream], []), timeoutMs)
  return String(last)
}

module.exports = { watchStream, streamPosition, compareIds }
