'use strict'

const { sessionKey } = require('../records')
const { apply } = require('../table')

// The store's horizon: the longest maxTokenLifetime of any Guard that opened
// on the store, kept in the store itself as a session cut-off on a claim no
// token carries (as refresh keeps its family marks), set far in the future so
// that pruning never drops it. Loaded and synced like any record. Records are
// kept for it, not just for one Guard's lifetime: a 1 h web API revoking next
// to a 30 d mobile issuer must keep its records as long as the issuer's
// tokens live, or a restart would let them pass again.

// The horizon record's time is this base plus the lifetime, within the Date
// range every record's time is kept in.
const HORIZON_CLAIM = 'revocable:horizon'
const HORIZON_VALUE = 'maxTokenLifetime'
const HORIZON_BASE = 4e15

/**
 * The longest maxTokenLifetime (ms) any Guard recorded in the store `native`'s
 * table was loaded from, 0 for none. cutoffFor also reads the global cut-off,
 * which hides the entry once it is past it: only a cut-off "forever"
 * (revokeAll({ before: Infinity }), kept at the end of the Date range) can be.
 * That one refuses every token for good, so no record can matter after it:
 * 0 lets each Guard keep records for its own lifetime, where reading the
 * cut-off as a horizon kept every later record forever.
 */
function storeHorizonMs(native) {
  const entry = native.cutoffFor(undefined, [[HORIZON_CLAIM, HORIZON_VALUE]])
  return entry > native.cutoffFor(undefined, []) ? entry - HORIZON_BASE : 0
}

/**
 * Whether the table holds the horizon's entry, a session cut-off no token
 * carries, which metrics count apart from revoked sessions. Once open() has
 * resolved it always does (open() writes it when the one it read is shorter).
 */
function hasHorizon(native) {
  return native.cutoffFor(undefined, [[HORIZON_CLAIM, HORIZON_VALUE]]) >= HORIZON_BASE
}

/** The record giving `lifetimeMs` as the store's horizon: never expires, only grows (a cut-off). */
function horizonRecord(lifetimeMs) {
  return { kind: 'session', key: sessionKey(HORIZON_CLAIM, HORIZON_VALUE), at: HORIZON_BASE + lifetimeMs, expiresAt: null }
}

/** The lifetime (ms) a horizon record read from a store gives, 0 for none (the command line's view: lib/cli). */
function horizonMs(record) {
  return record ? Math.max(0, record.at - HORIZON_BASE) : 0
}

/**
 * Records `lifetimeMs` as the store's horizon when it is the longest so far:
 * in the table now, then through `queue`; resolves once stored, or after
 * `waitMs` (the queue keeps retrying, and reports through health() and 'error').
 */
async function publishHorizon(native, queue, lifetimeMs, waitMs) {
  if (storeHorizonMs(native) >= lifetimeMs) return
  const record = horizonRecord(lifetimeMs)
  apply(native, record)
  const stored = queue.push(record).catch(() => {})
  let timer
  await Promise.race([stored, new Promise((resolve) => { timer = setTimeout(resolve, waitMs) })])
  clearTimeout(timer)
}

module.exports = { storeHorizonMs, hasHorizon, horizonRecord, horizonMs, publishHorizon, HORIZON_CLAIM, HORIZON_VALUE }
