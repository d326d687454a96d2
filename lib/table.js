'use strict'

const { parseGroupKey } = require('./records')
const { recordKinds } = require('./contract')

// Records (lib/records.js) into the native revocation table: the Guard's own
// changes, the store's records at open() (lib/load.js) and other instances'
// changes (lib/sync.js). Applying only moves the table forward, so a record
// applied twice, late or out of order is harmless.

/** Applies a record to the native table; returns whether the table changed. */
function apply(native, { kind, key, at }) {
  switch (kind) {
    case 'user':
      return native.revokeUser(key, at)
    case 'session': {
      const [claim, value] = JSON.parse(key)
      return native.revokeSession(claim, value, at)
    }
    case 'token': {
      const [iss, jti] = JSON.parse(key)
      return native.revokeToken(iss, jti, at)
    }
    case 'allow': {
      const [iss, jti] = JSON.parse(key)
      return native.allowToken(iss, jti, at)
    }
    case 'global':
      return native.revokeAll(at)
    case 'group': {
      const { index, count } = parseGroupKey(key)
      return native.markGroup(index, count, at)
    }
    default:
      throw Object.assign(new Error(`unknown record kind ${JSON.stringify(kind)}`), { code: 'ERR_STORE' })
  }
}

// Kind name -> the number the native batch takes (src/core/table/batch.rs).
const KIND_CODES = new Map(Object.entries(recordKinds))

/**
 * Applies loaded records, skipping (and reporting) one the table cannot read:
 * a row written behind the Guard's back must not stop every later open().
 * Returns how many changed the table.
 *
 * The records cross to the table in one call (a load is up to a million).
 * The native side stops at a record it does not read exactly as apply()
 * would (an odd key, an unknown kind, anything not as records.js writes
 * it); that one goes through apply(), errors and all, and the batch resumes
 * after it, so records apply in order and count as they would one by one.
 */
function applyAll(native, records, report) {
  const n = records.length
  const kinds = new Uint8Array(n) // 0: left to apply()
  const ats = new Float64Array(n)
  const keys = new Array(n)
  for (let i = 0; i < n; i++) {
    const r = records[i]
    const code = r !== null && typeof r === 'object' ? KIND_CODES.get(r.kind) : undefined
    // A key holding U+0000 would split in two, and a non-number `at` would be converted: apply() refuses both.
    if (code !== undefined && typeof r.key === 'string' && typeof r.at === 'number' && !r.key.includes('\0')) {
      kinds[i] = code
      keys[i] = r.key
      ats[i] = r.at
    } else {
      keys[i] = ''
    }
  }
  const text = keys.join('\0') + '\0'
  let total = 0
  for (let from = 0; from < n;) {
    const { changed, stopped } = native.applyRecords(kinds, text, ats, from)
    total += changed
    if (stopped < 0) break
    try {
      if (apply(native, records[stopped])) total++
    } catch (err) {
      report(Object.assign(new Error(`skipped a stored record: ${err.message}`), { code: 'ERR_STORE', cause: err }))
    }
    from = stopped + 1
  }
  return total
}

module.exports = { apply, applyAll }
