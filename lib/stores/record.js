'use strict'

const KINDS = new Set(['user', 'session', 'token', 'allow', 'global'])

/** Largest array handed to load's `onBatch`: bounds memory whatever the table size. */
const BATCH_SIZE = 10_000

/**
 * Checks a record before it is written, so that a bad value from a caller fails
 * with a clear message instead of a driver error (or, worse, a row that load
 * cannot read back). Throws a plain Error; callers wrap it into ERR_STORE.
 */
function checkRecord(record) {
  if (record === null || typeof record !== 'object') throw new Error('invalid record: not an object')
  const { kind, key, at, expiresAt } = record
  if (!KINDS.has(kind)) throw new Error(`invalid record: unknown kind ${JSON.stringify(String(kind))}`)
  if (typeof key !== 'string') throw new Error('invalid record: key must be a string')
  if (!Number.isFinite(at)) throw new Error('invalid record: at must be a finite number of milliseconds')
  if (expiresAt !== null && !Number.isFinite(expiresAt)) {
    throw new Error('invalid record: expiresAt must be a finite number of milliseconds or null')
  }
  return { kind, key, at, expiresAt }
}

function checkNow(nowMs) {
  if (!Number.isFinite(nowMs)) throw new Error('nowMs must be a finite number of milliseconds')
  return nowMs
}

module.exports = { KINDS, BATCH_SIZE, checkRecord, checkNow }
