'use strict'

const { parseGroupKey } = require('./records')

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

/**
 * Applies loaded records, skipping (and reporting) one the table cannot read:
 * a row written behind the Guard's back must not stop every later open().
 * Returns how many changed the table.
 */
function applyAll(native, records, report) {
  let changed = 0
  for (const r of records) {
    try {
      if (apply(native, r)) changed++
    } catch (err) {
      report(Object.assign(new Error(`skipped a stored record: ${err.message}`), { code: 'ERR_STORE', cause: err }))
    }
  }
  return changed
}

module.exports = { apply, applyAll }
