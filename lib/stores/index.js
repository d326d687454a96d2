'use strict'

// Durable copies of the revocation table. Each store takes the app's own
// client (or, for SQLite, a path) and loads no driver until it is used.
//
// The store API (what the Guard, the command line and a custom store rely on):
//   name, id                 the engine ('sqlite', 'postgres', 'redis') and the durable
//                            location; Guards on stores with one id share a table per process
//   open()                   connects and creates or migrates the schema; idempotent
//   put(record)              upserts { kind, key, at, expiresAt } (ms; expiresAt null: never),
//                            keeping the greater `at` and the later expiry
//   putMany(records)         the same for many, in one round trip (transaction, statement,
//                            script call); resolves once every record is durable
//   load(onBatch)            streams live records in batches of at most 10,000
//   prune(nowMs)             drops records that expired before nowMs
//   close()                  leaves the app's client or pool open
//   get(kind, key), counts(nowMs), info()   read-only look-ups for the command line (lib/cli)
//   position(), watch(...)   optional: follow changes other instances write (lib/sync.js)
//   ready()                  optional: false while the client knows its server is unreachable
// Every failure is a StoreError: ERR_STORE (transient: the Guard retries) or
// ERR_STORE_REFUSED with `permanent: true` (that record can never be stored:
// record.js bounds every field before the first write, and each store marks
// its server's deterministic refusals). Applying a record twice is harmless.
const { sqlite } = require('./sqlite')
const { postgres } = require('./postgres')
const { redis } = require('./redis')
const { StoreError } = require('./errors')

module.exports = { sqlite, postgres, redis, StoreError }
