'use strict'

const { KINDS } = require('../records')
const { LAST_SEQ } = require('./redis-sync')

// Schema 2 (this layout): one hash per kind, `<prefix>:h:<kind>`, field = the
// record's key, value "<at>|<expiresAt>" (nothing after the bar: never
// expires), so that load reads the prefix's own keys (HSCAN) instead of
// scanning the app's whole keyspace. Hash fields cannot expire (Redis 7.0), so
// a sorted set `<prefix>:x` (member "<kind>:<key>", score expiresAt; none for a
// record that never expires) tells prune what to delete. `<prefix>:folded`
// holds n such that every change stream entry up to `0-<n>` is in the hashes:
// schema 1 kept one key per record, `<prefix>:r:<kind>:<key>`, and a 0.1
// instance still running writes there (redis-fold.js folds them in).

const KIND_LIST = [...KINDS]

/** Every key of a prefix; `hash(kind)` names a kind's hash, `hashes` all of them in KIND_LIST order. */
function keysOf(prefix) {
  const hash = (kind) => `${prefix}:h:${kind}`
  return {
    schema: `${prefix}:schema`,
    stream: `${prefix}:changes`,
    folded: `${prefix}:folded`,
    migrating: `${prefix}:migrating`,
    x: `${prefix}:x`,
    legacy: `${prefix}:r:`,
    hash,
    hashes: KIND_LIST.map(hash),
  }
}

// Lua: HASH[kind] is that kind's hash, passed as KEYS[first], KEYS[first + 1], ...
const hashesFrom = (first) => `
local HASH = {}
for i, kind in ipairs({${KIND_LIST.map((k) => `'${k}'`).join(', ')}}) do HASH[kind] = KEYS[${first} + i - 1] end`

// Lua: the merge rule of every store (the larger at, the later expiry, '' =
// never) applied to the stored "<at>|<exp>" `cur` (false: none). Returns the
// winning strings as they came (tostring() would round a 13-digit number) and
// whether they differ from `cur`. `put` stores them, keeping KEYS[x] in step.
const MERGE = `
local function merged(cur, at, exp)
  if not cur then return at, exp, true end
  local bar = string.find(cur, '|', 1, true)
  local curAt, curExp = string.sub(cur, 1, bar - 1), string.sub(cur, bar + 1)
  if tonumber(curAt) >= tonumber(at) then at = curAt end
  if exp ~= '' and (curExp == '' or tonumber(curExp) >= tonumber(exp)) then exp = curExp end
  return at, exp, at ~= curAt or exp ~= curExp
end
local function store(x, kind, key, at, exp)
  redis.call('HSET', HASH[kind], key, at .. '|' .. exp)
  if exp == '' then redis.call('ZREM', x, kind .. ':' .. key) else redis.call('ZADD', x, exp, kind .. ':' .. key) end
end
local function put(x, kind, key, at, exp)
  local a, e, changed = merged(redis.call('HGET', HASH[kind], key), at, exp)
  if changed then store(x, kind, key, a, e) end
end`

// The compare-and-set runs in Lua so two instances revoking at once cannot
// lose the later cut-off. In the same script, before storing (so no change is
// stored without being announced), it appends the winning record to the
// `<prefix>:changes` stream that other instances follow, trimmed to about
// ARGV[3] entries; `ts` (ARGV[2]) is the writer's clock, for lag, and `v` marks
// an entry whose record is already in the hashes (0.1 readers ignore it). Ids
// are `0-<n>` with n counting up by one, so a reader can tell a gap from a
// quiet spell: see redis-sync.js. When every earlier entry was folded, so are
// these: `folded` moves with them and the next load has nothing to fold.
// KEYS: stream, folded, x, the hashes; ARGV: count, ts, stream length, then
// at, exp, kind, key per record. A script is not rolled back when a command
// in it fails, which is why every value is checked before it is sent
// (record.js): nothing here can fail on a record's account.
const PUT_MANY = `${LAST_SEQ}${hashesFrom(4)}${MERGE}
local n = tonumber(ARGV[1])
local stream, folded, x = KEYS[1], KEYS[2], KEYS[3]
local seq = lastSeq(stream)
local follow = tonumber(redis.call('GET', folded) or '0') == seq
for i = 1, n do
  local b = 3 + (i - 1) * 4
  local at, exp, kind, key = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local changed
  at, exp, changed = merged(redis.call('HGET', HASH[kind], key), at, exp)
  seq = seq + 1
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[3], '0-' .. string.format('%d', seq),
    'kind', kind, 'key', key, 'at', at, 'exp', exp, 'ts', ARGV[2], 'v', '2')
  if changed then store(x, kind, key, at, exp) end
end
if follow then redis.call('SET', folded, string.format('%d', seq)) end
return n`
// Records per script call: bounds how long one call holds the server.
const PUT_CHUNK = 1000

// An error reply to the command itself ("ERR value is not an integer or out of
// range"): the same bytes would be refused again. OOM, BUSY, LOADING, READONLY
// and the like carry their own prefix and are transient, as is a full server.
const refused = (err) =>
  (err.name === 'ReplyError' || /^(ErrorReply|SimpleError|BlobError)$/.test(err.constructor?.name)) &&
  /^ERR /.test(String(err.message)) && !/max number of clients/.test(String(err.message))

// Returns {the stored schema version}, after upgrading an older one. A new
// prefix has nothing to fold. Schema 1 data is marked for a migration (the
// last change written then: every later one is folded from the stream) that
// redis-fold.js runs, and resumes after a crash; 0.1's OPEN refuses a schema
// above 1, so no 0.1 instance starts once this ran. A prefix without a schema
// but with a stream lost its schema key: migrated too. KEYS: schema, stream,
// folded, migrating; ARGV: this version.
const OPEN = `${LAST_SEQ}
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v >= tonumber(ARGV[1]) then return {v} end
local last = string.format('%d', lastSeq(KEYS[2]))
if v == 0 and last == '0' then
  redis.call('SET', KEYS[3], last)
else
  redis.call('SET', KEYS[4], last, 'NX')
end
redis.call('SET', KEYS[1], ARGV[1])
return {tonumber(ARGV[1])}`

module.exports = { PUT_MANY, PUT_CHUNK, OPEN, MERGE, KIND_LIST, keysOf, hashesFrom, refused }
