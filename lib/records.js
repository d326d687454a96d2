'use strict'

const { invalidOption, JwtMalformedError } = require('./errors')
const { iatSkewMs } = require('./contract')

// The revocation record's one home: what a store keeps, { kind, key, at,
// expiresAt } (times in ms): its kinds, its keys (JSON text where a rule is
// keyed by more than one claim), its bounds and checks, and the records the
// Guard and the command line build. How one is applied to the native table:
// lib/table.js.

const KINDS = new Set(['user', 'session', 'token', 'allow', 'global', 'group'])

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

// What apply() (lib/table.js) reads back from each kind's key.
const KEY_SHAPES = {
  session: 'JSON text of [claim, value] (two strings)',
  token: 'JSON text of [iss, jti] (two strings)',
  allow: 'JSON text of [iss, jti] (two strings)',
  group: '"index/count" (decimal integers)',
}

/**
 * checkRecord, plus the shape of the key the Guard's table reads back (for
 * records from outside the Guard: `revocable import`). The Guard loading a
 * record it cannot read skips it and reports it (lib/table.js applyAll).
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

/** Why the string `key` cannot be a record's key, or null when it can. */
function keyProblem(key) {
  // PostgreSQL text cannot hold U+0000; refusing it everywhere keeps the stores alike.
  if (key.includes('\u0000')) return 'key contains U+0000'
  // A lone surrogate becomes U+FFFD on the way to UTF-8: the stored key would name someone else.
  if (!key.isWellFormed()) return 'key is not well-formed UTF-16 (lone surrogate)'
  // At most 3 bytes of UTF-8 per UTF-16 unit: a short key needs no counting.
  if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `key is over ${MAX_KEY_BYTES} bytes in UTF-8`
  return null
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
  const problem = keyProblem(key)
  if (problem !== null) throw invalid(`invalid record: ${problem}`)
  if (!inRange(at)) throw invalid(`invalid record: at must be a number of milliseconds within ±${MAX_TIME_MS}`)
  if (expiresAt !== null && !inRange(expiresAt)) {
    throw invalid(`invalid record: expiresAt must be null or a number of milliseconds within ±${MAX_TIME_MS}`)
  }
  return { kind, key, at, expiresAt }
}

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
const idsFit = (iss, jti) => jti.length <= MAX_ID && iss.length <= MAX_ID

/**
 * The record a cut-off (user, session, group, global) writes. `limits` are the
 * Guard's maxTokenLifetime and clockTolerance in ms: the entry is kept until
 * no token it could refuse can still pass (the global one, forever). The
 * Guard and the command line (lib/cli) both build records here.
 */
function cutoffRecord(kind, key, at, { lifetimeMs, toleranceMs }) {
  // Two lifetimes (CUTOFF_LIFETIMES in src/core/table/prune.rs): a cut-off compares
  // the session's start (auth_time), so a token minted from a session begun
  // before it, by an instance that heard of it up to a lifetime late, lives on.
  const expiresAt = kind === 'global' ? GLOBAL_KEEP : at + 2 * lifetimeMs + toleranceMs
  return bounded({ kind, key, at, expiresAt })
}

/** The record revoking one token by (iss, jti) until its exp; `claims` are the token's. */
function tokenRecord(claims, { nowMs, lifetimeMs, toleranceMs }) {
  const iss = claims?.iss ?? ''
  if (!claims || typeof claims.jti !== 'string' || !Number.isFinite(claims.exp) || typeof iss !== 'string'
    || !idsFit(iss, claims.jti)) {
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

module.exports = {
  KINDS, tokenKey, sessionKey, groupKey, parseGroupKey, keyProblem, checkRecord, checkStoredShape,
  idsFit, cutoffRecord, tokenRecord, toMs, cutoffMs, bounded, MAX_KEY_BYTES,
}
