'use strict'

const { durationSeconds } = require('../native')
const { UsageError } = require('./errors')

const SECONDS = /^\d+(\.\d+)?$/
const DURATION = /^([+-]?)(\d+(\.\d+)?\s*[a-z]+)$/i
const ISO = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/

/** A duration in ms: seconds ('90') or '15m', '1h', '7d' (the Guard's own parser). */
function parseDuration(name, text) {
  if (typeof text !== 'string' || text === '') throw new UsageError(`--${name} needs a duration such as 15m, 1h or 3600 (seconds)`)
  const value = SECONDS.test(text) ? Number(text) : text
  try {
    return durationSeconds(name, value) * 1000
  } catch {
    throw new UsageError(`--${name}: ${JSON.stringify(text)} is not a duration (use 15m, 1h, 7d or seconds)`)
  }
}

/**
 * A point in time in ms: 'now', seconds since the epoch (as in a JWT), an ISO
 * date, or a duration from now ('15m', '+15m') or before it ('-15m').
 */
function parseTime(name, text, nowMs) {
  if (text === 'now') return nowMs
  if (SECONDS.test(text)) return Number(text) * 1000
  const d = DURATION.exec(text)
  if (d) return nowMs + (d[1] === '-' ? -1 : 1) * parseDuration(name, d[2])
  const ms = ISO.test(text) ? Date.parse(text) : NaN
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name}: ${JSON.stringify(text)} is not a time (use an ISO date, seconds since the epoch, now, 15m or -15m)`)
  }
  return ms
}

const iso = (ms) => (ms === null ? 'never' : new Date(ms).toISOString())

module.exports = { parseDuration, parseTime, iso }
