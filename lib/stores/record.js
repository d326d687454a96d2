'use strict'

const KINDS = new Set(['user', 'session', 'token', 'allow', 'global', 'group'])

/** Largest array handed to load's `onBatch`: bounds memory whatever the table size. */
const BATCH_SIZE = 10_000

/**
 * Checks a record before it is written, so that a bad value from a caller fails
 * with a clear message instead of a driver error (or, worse, a row that load
 * cannot read back). Throws a plain Error; callers wrap it into ERR_STORE.
 */
/** A record no retry can store: the queue drops it (rejecting its promise) instead of retrying. */
const invalid = (message) => Object.assign(new Error(message), { permanent: true })

function checkRecord(record) {
  if (record === null || typeof record !== 'object') throw invalid('invalid record: not an object')
  const { kind, key, at, expiresAt } = record
  if (!KINDS.has(kind)) throw invalid(`invalid record: unknown kind ${JSON.stringify(String(kind))}`)
  if (typeof key !== 'string') throw invalid('invalid record: key must be a string')
  // PostgreSQL text cannot hold U+0000; refusing it everywhere keeps the stores alike.
  if (key.includes('\u0000')) throw invalid('invalid record: key contains U+0000')
  if (!Number.isFinite(at)) throw invalid('invalid record: at must be a finite number of milliseconds')
  if (expiresAt !== null && !Number.isFinite(expiresAt)) {
    throw invalid('invalid record: expiresAt must be a finite number of milliseconds or null')
  }
  return { kind, key, at, expiresAt }
}

function checkNow(nowMs) {
  if (!Number.isFinite(nowMs)) throw new Error('nowMs must be a finite number of milliseconds')
  return nowMs
}

/**
 * Keyset paging shared by the SQL stores: `page(afterKind, afterKey, now)`
 * returns up to BATCH_SIZE live rows ordered by (kind, key) after that key.
 */
async function loadPages(page, onBatch) {
  const now = Date.now()
  let total = 0
  let after = ['', '']
  for (;;) {
    const rows = await page(after[0], after[1], now)
    if (rows.length === 0) break
    total += rows.length
    const last = rows[rows.length - 1]
    after = [last.kind, last.key]
    await onBatch(rows)
    if (rows.length < BATCH_SIZE) break
  }
  return total
}

module.exports = { KINDS, BATCH_SIZE, checkRecord, checkNow, loadPages }
