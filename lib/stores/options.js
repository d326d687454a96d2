'use strict'

const { invalidOption } = require('./errors')

// Table names are spliced into SQL, so only plain identifiers are accepted; the
// 58-character limit leaves room for the "_meta" suffix within PostgreSQL's 63.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,57}$/

function tableName(store, value) {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw invalidOption(store, 'table', 'must be a plain SQL identifier (letters, digits, _), at most 58 characters')
  }
  return value
}

function timeoutMs(store, value) {
  if (value === undefined) return 5000
  if (typeof value !== 'number' || !(value >= 0)) {
    throw invalidOption(store, 'timeout', 'must be a number of milliseconds (0 or Infinity for none)')
  }
  return value
}

/** Double-quoted so that the exact name is used on every engine, whatever its case. */
const quote = (name) => `"${name}"`

module.exports = { tableName, timeoutMs, quote }
