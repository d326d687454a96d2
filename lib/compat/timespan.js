'use strict'

// The duration strings jsonwebtoken accepts are those of the `ms` package
// (2.x): a number, optional spaces, an optional unit; no unit means milliseconds.
const DURATION = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i
const S = 1000
const UNIT_MS = { ms: 1, s: S, m: 60 * S, h: 3600 * S, d: 86400 * S, w: 7 * 86400 * S, y: 365.25 * 86400 * S }

function unitOf(word) {
  const w = word.toLowerCase()
  if (w.startsWith('ms') || w.startsWith('msec') || w.startsWith('milli')) return 'ms'
  if (w.startsWith('mi') && w !== 'ms') return 'm'
  return w[0]
}

/** Milliseconds in a duration string, or undefined; throws on '' like `ms` does. */
function milliseconds(text) {
  if (text === '') throw new Error('val is not a non-empty string or a valid number. val=""')
  if (text.length > 100) return undefined
  const match = DURATION.exec(text)
  if (!match) return undefined
  return parseFloat(match[1]) * UNIT_MS[match[2] === undefined ? 'ms' : unitOf(match[2])]
}

/**
 * jsonwebtoken's timespan: `time` seconds (number) or a duration string after
 * `iat` (or now when iat is 0/absent), in whole seconds for strings; undefined if unreadable.
 */
function timespan(time, iat) {
  const timestamp = iat || Math.floor(Date.now() / 1000)
  if (typeof time === 'string') {
    const ms = milliseconds(time)
    return ms === undefined ? undefined : Math.floor(timestamp + ms / 1000)
  }
  if (typeof time === 'number') return timestamp + time
  return undefined
}

module.exports = { timespan, milliseconds }
