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
