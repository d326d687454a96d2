'use strict'

const { LAST_SEQ } = require('./redis-sync')

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
// instances follow, trimmed to about ARGV[3] entries; `ts` (ARGV[2]) is the
// writer's clock, for lag. Ids are `0-<n>` with n counting up by one, so a
// reader can tell a gap from a quiet spell: see redis-sync.js. One call
// writes ARGV[1] records (KEYS[i] and four ARGV each); the stream is the last
// key. A script is not rolled back when a command in it fails, which is why
// every value is checked before it is sent (record.js): nothing here can fail
// on a record's account.
const PUT_MANY = `${LAST_SEQ}
local n = tonumber(ARGV[1])
local stream = KEYS[n + 1]
local seq = lastSeq(stream)
for i = 1, n do
  local b = 3 + (i - 1) * 4
  local at, exp, kind, key = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local cur = redis.call('GET', KEYS[i])
  if cur then
    local bar = string.find(cur, '|', 1, true)
    local curAt, curExp = string.sub(cur, 1, bar - 1), string.sub(cur, bar + 1)
    if tonumber(curAt) > tonumber(at) then at = curAt end
    if exp ~= '' and (curExp == '' or tonumber(curExp) > tonumber(exp)) then exp = curExp end
  end
  seq = seq + 1
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[3], '0-' .. string.format('%d', seq),
    'kind', kind, 'key', key, 'at', at, 'exp', exp, 'ts', ARGV[2])
  redis.call('SET', KEYS[i], at .. '|' .. exp)
  if exp ~= '' then redis.call('PEXPIREAT', KEYS[i], exp) end
end
return n`
// Records per script call: bounds how long one call holds the server.
const PUT_CHUNK = 1000

// An error reply to the command itself ("ERR value is not an integer or out of
// range"): the same bytes would be refused again. OOM, BUSY, LOADING, READONLY
// and the like carry their own prefix and are transient, as is a full server.
const refused = (err) =>
  (err.name === 'ReplyError' || /^(ErrorReply|SimpleError|BlobError)$/.test(err.constructor?.name)) &&
  /^ERR /.test(String(err.message)) && !/max number of clients/.test(String(err.message))

// Returns the stored schema version, after upgrading it when it is older.
const OPEN = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > tonumber(ARGV[1]) then return v end
redis.call('SET', KEYS[1], ARGV[1])
return tonumber(ARGV[1])`

module.exports = { PUT_MANY, PUT_CHUNK, OPEN, refused }
