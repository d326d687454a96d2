'use strict'

const KINDS = new Set(['user', 'session', 'token', 'allow', 'global', 'group'])

/** Largest array handed to load's `onBatch`: bounds memory whatever the table size. */
const BATCH_SIZE = 10_000

/**
 * Bounds every store can hold, so that a record is refused once, before its
 * first write, instead of being refused by one store's server again and again.
 * Times: the JS Date range (±8.64e15 ms), inside int64 milliseconds (Redis
 * PEXPIREAT) and exact in a double (PostgreSQL, SQLite). Keys: UTF-8 bytes,
 * not characters; PostgreSQL's btree refuses an index row over ~2.7 KB and
 * (kind, key) is the primary key, so 2048 bytes leaves room for the rest.
 */
const MAX_TIME_MS = 8.64e15
const MAX_KEY_BYTES = 2048

/** A record no retry can store: the queue rejects its promise instead of retrying. */
const invalid = (message) => Object.assign(new Error(message), { permanent: true })

const inRange = (ms) => Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS

// What lib/records.js apply() reads back from each kind's key.
const KEY_SHAPES = {
  session: 'JSON text of [claim, value] (two strings)',
  token: 'JSON text of [iss, jti] (two strings)',
  allow: 'JSON text of [iss, jti] (two strings)',
  group: '"index/count" (decimal integers)',
}

/**
 * checkRecord, plus the shape of the key the Guard's table reads back (for
 * records from outside the Guard: `revocable import`). The Guard loading a
 * record it cannot read skips it and reports it (records.js applyAll).
 */
function checkStoredShape(record) {
  const r = checkRecord(record)
  if (!keyShapeFits(r.kind, r.key)) throw invalid(`invalid record: a ${r.kind} key must be ${KEY_SHAPES[r.kind]}`)
  return r
}

function keyShapeFits(kind, key) {
  if (kind === 'group') return /^\d{1,9}\/\d{1,9}$/.test(key)
  if (KEY_SHAPES[kind] === undefined) return true
  try {
    const pair = JSON.parse(key)
    return Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string'
  } catch {
    return false
  }
}

/**
 * Checks a record before it is written, so that a bad value from a caller fails
 * with a clear message instead of a driver error (or, worse, a row that load
 * cannot read back). Throws a plain Error marked `permanent`; callers wrap it into ERR_STORE.
 */
function checkRecord(record) {
  if (record === null || typeof record !== 'object') throw invalid('invalid record: not an object')
  const { kind, key, at, expiresAt } = record
  if (!KINDS.has(kind)) throw invalid(`invalid record: unknown kind ${JSON.stringify(String(kind))}`)
  if (typeof key !== 'string') throw invalid('invalid record: key must be a string')
  // PostgreSQL text cannot hold U+0000; refusing it everywhere keeps the stores alike.
  if (key.includes('\u0000')) throw invalid('invalid record: key contains U+0000')
  // A lone surrogate becomes U+FFFD on the way to UTF-8: the stored key would name someone else.
  if (!key.isWellFormed()) throw invalid('invalid record: key is not well-formed UTF-16 (lone surrogate)')
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw invalid(`invalid record: key is over ${MAX_KEY_BYTES} bytes in UTF-8`)
  if (!inRange(at)) throw invalid(`invalid record: at must be a number of milliseconds within ±${MAX_TIME_MS}`)
  if (expiresAt !== null && !inRange(expiresAt)) {
    throw invalid(`invalid record: expiresAt must be null or a number of milliseconds within ±${MAX_TIME_MS}`)
  }
  return { kind, key, at, expiresAt }
}

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
    if (!seen) {
      byKey.set(id, { ...r })
      continue
    }
    seen.at = Math.max(seen.at, r.at)
    seen.expiresAt = seen.expiresAt === null || r.expiresAt === null ? null : Math.max(seen.expiresAt, r.expiresAt)
  }
  return [...byKey.values()]
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

module.exports = { KINDS, BATCH_SIZE, MAX_TIME_MS, MAX_KEY_BYTES, checkRecord, checkStoredShape, checkBatch, checkNow, loadPages }
