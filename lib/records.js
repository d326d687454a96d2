'use strict'

const { invalidOption, JwtMalformedError } = require('./errors')
const { MAX_TIME_MS } = require('./stores/record')
const { iatSkewMs } = require('./contract')

// Records are what a store keeps: { kind, key, at, expiresAt } (times in ms).
// Keys are JSON text where a rule is keyed by more than one claim.

const GLOBAL_KEEP = null // the global cut-off is never dropped

function tokenKey(iss, jti) {
  return JSON.stringify([iss, jti])
}

function sessionKey(claim, value) {
  return JSON.stringify([claim, value])
}

/** The store key of a group mark: "index/count" (the group's index and the count it is one of). */
const groupKey = (index, count) => `${index}/${count}`

function parseGroupKey(key) {
  if (!/^\d{1,9}\/\d{1,9}$/.test(key)) throw new Error(`a group key is "index/count", not ${JSON.stringify(key)}`)
  const [index, count] = key.split('/').map(Number)
  return { index, count }
}

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

const clamp = (ms) => Math.min(MAX_TIME_MS, Math.max(-MAX_TIME_MS, ms))

/**
 * Brings a record's times within what every store can hold (the Date range,
 * see stores/record.js). A cut-off past its end (a ban "forever": `before:
 * Infinity` or Number.MAX_VALUE) becomes a cut-off at its end that is kept
 * forever, which refuses every token that can be issued; a time before its
 * start (a forged `exp: -1e300`) becomes its start, as nothing is ever that old.
 */
function bounded(record) {
  const { at, expiresAt } = record
  return { ...record, at: clamp(at), expiresAt: expiresAt === null || expiresAt > MAX_TIME_MS ? null : clamp(expiresAt) }
}

/** A cut-off time: a Date or milliseconds since the epoch, Infinity for "forever" (bounded() keeps it in range). */
function cutoffMs(name, value) {
  const ms = value instanceof Date ? value.getTime() : value
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw invalidOption(name, 'must be a Date or milliseconds since the epoch (Infinity: forever)')
  return ms
}

// Longest jti or iss revokeToken takes: a real one is far shorter, and each is stored.
const MAX_ID = 1024

/**
 * The record a cut-off (user, session, group, global) writes. `limits` are the
 * Guard's maxTokenLifetime and clockTolerance in ms: the entry is kept until
 * no token it could refuse can still pass (the global one, forever). The
 * Guard and the command line (lib/cli) both build records here.
 */
function cutoffRecord(kind, key, at, { lifetimeMs, toleranceMs }) {
  // Two lifetimes (CUTOFF_LIFETIMES in src/core/table.rs): a cut-off compares
  // the session's start (auth_time), so a token minted from a session begun
  // before it, by an instance that heard of it up to a lifetime late, lives on.
  const expiresAt = kind === 'global' ? GLOBAL_KEEP : at + 2 * lifetimeMs + toleranceMs
  return bounded({ kind, key, at, expiresAt })
}

/** The record revoking one token by (iss, jti) until its exp; `claims` are the token's. */
function tokenRecord(claims, { nowMs, lifetimeMs, toleranceMs }) {
  const iss = claims?.iss ?? ''
  if (!claims || typeof claims.jti !== 'string' || !Number.isFinite(claims.exp) || typeof iss !== 'string'
    || claims.jti.length > MAX_ID || iss.length > MAX_ID) {
    throw new JwtMalformedError(`revokeToken needs a string jti and iss (at most ${MAX_ID} characters) and a finite numeric exp`)
  }
  // A forged token cannot pin an entry for longer than any real token lives:
  // iat may run clockTolerance + 1 s ahead, and exp - iat is at most maxTokenLifetime.
  const expMs = Math.min(claims.exp * 1000, nowMs + lifetimeMs + toleranceMs + iatSkewMs)
  return bounded({ kind: 'token', key: tokenKey(iss, claims.jti), at: expMs, expiresAt: expMs + toleranceMs })
}

/** A time option: a Date or milliseconds since the epoch. */
function toMs(name, value) {
  const ms = value instanceof Date ? value.getTime() : value
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw invalidOption(name, 'must be a Date or milliseconds since the epoch')
  return ms
}

module.exports = { tokenKey, sessionKey, groupKey, cutoffRecord, tokenRecord, apply, applyAll, toMs, cutoffMs, bounded }
