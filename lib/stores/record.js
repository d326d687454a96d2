'use strict'

const { checkRecord } = require('../records')

/** Largest array handed to load's `onBatch`: bounds memory whatever the table size. */
const BATCH_SIZE = 10_000

/**
 * Checks every record of a batch and folds records with the same (kind, key)
 * into one, as the stores' upserts would (latest `at`, latest `expiresAt`,
 * null meaning never): PostgreSQL refuses a statement that upserts one row twice.
 */
function checkBatch(records) {
  const byKey = new Map()
  for (const record of records) {
    const r = checkRecord(record)
    const id = `${r.kind}\u0000${r.key}`
    const seen = byKey.get(id)
    byKey.set(id, seen ? mergeRecords(seen, r) : r)
  }
  return [...byKey.values()]
}

/** Two records of one (kind, key) as one: the later `at`, the later `expiresAt` (null: never). */
function mergeRecords(a, b) {
  const expiresAt = a.expiresAt === null || b.expiresAt === null ? null : Math.max(a.expiresAt, b.expiresAt)
  return { kind: a.kind, key: a.key, at: Math.max(a.at, b.at), expiresAt }
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

module.exports = { BATCH_SIZE, checkBatch, checkNow, loadPages, mergeRecords }
