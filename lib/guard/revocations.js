'use strict'

const { native: nativeCall, invalidOption, JwtClaimError } = require('../errors')
const { decode } = require('../decode')
const { identifier, optionsObject, afterSecondOf } = require('../revoke-args')
const { tokenKey, sessionKey, groupKey, checkRecord, cutoffRecord, tokenRecord, cutoffMs, bounded } = require('../records')
const { apply } = require('../table')
const { storeHorizonMs, publishHorizon } = require('./horizon')

/**
 * The Guard's revoke calls (revokeToken, revokeUser, revokeSession, markGroup,
 * revokeAll, the allow-list entry of sign): each checks its arguments, builds
 * its record (lib/records.js), changes the table now and queues the record for
 * the store. Also the times it must know: the last iat this Guard issued (a
 * cut-off made now refuses a token issued earlier in the same millisecond)
 * and whether whole-second issuers share it.
 */
class Revocations {
  #native
  #clock
  #queue
  #counters
  #emit
  #sources
  #groups
  #sessionClaims
  #lifetimeMs
  #toleranceMs
  #lastIssuedMs = 0
  #wholeSeconds
  #closed = false

  /**
   * `parts`: the Guard's native table object and `sources` (remote key sets,
   * or null), `clock`, the persist `queue`, its `counters`, `emit(event,
   * value)`, `groups` (or null), `sessionClaims()` (read at each call, as the
   * Guard's public property), `lifetimeMs`, `toleranceMs` and `wholeSeconds`.
   */
  constructor(parts) {
    this.#native = parts.native
    this.#clock = parts.clock
    this.#queue = parts.queue
    this.#counters = parts.counters
    this.#emit = parts.emit
    this.#sources = parts.sources
    this.#groups = parts.groups
    this.#sessionClaims = parts.sessionClaims
    this.#lifetimeMs = parts.lifetimeMs
    this.#toleranceMs = parts.toleranceMs
    this.#wholeSeconds = parts.wholeSeconds
  }

  /** A token was issued at `iatMs` (sign, refresh). */
  issued(iatMs) {
    this.#lastIssuedMs = Math.max(this.#lastIssuedMs, iatMs)
  }

  /** Whole-second issuers share the Guard from now on (see afterSecondOf). */
  wholeSecondIat() {
    this.#wholeSeconds = true
  }

  /** Refuses every later change: the Guard is closing. */
  close() {
    this.#closed = true
  }

  /**
   * Guard#revokeToken. A token string must verify as the Guard would verify
   * it, except for its times and revocation: an expired token can still be
   * logged out, and a forgery (ERR_JWT_SIGNATURE, ...) is refused before it
   * costs a store write or a table entry. Claims (`req.auth`, already
   * verified by the caller) are taken as they are.
   */
  token(tokenOrClaims) {
    const untimed = (n) => JSON.parse(nativeCall(() => n.verifyUntimed(tokenOrClaims)))
    const claims = typeof tokenOrClaims !== 'string' ? tokenOrClaims
      : this.#sources === null ? untimed(this.#native) : this.#sources.run(tokenOrClaims, untimed)
    if (claims !== null && typeof claims === 'object' && claims.jti === undefined) {
      // Revocation of one token is keyed by (iss, jti) (never by a hash of the token: see DESIGN).
      throw new JwtClaimError('this token has no jti, so it cannot be revoked alone: revoke its session (revokeSession) or user (revokeUser), and issue tokens with auth.sign, which adds a jti', { claim: 'jti' })
    }
    return this.change(tokenRecord(claims, { nowMs: this.#clock(), ...this.#limits() }))
  }

  user(sub, options) {
    const { before } = optionsObject(options)
    return this.#cutoff('user', identifier('sub', sub), before)
  }

  session(value, options) {
    const { claim = 'sid', before } = optionsObject(options)
    identifier('value', value)
    const sessionClaims = this.#sessionClaims()
    if (!sessionClaims.includes(claim)) throw invalidOption('claim', `\`${claim}\` is not one of sessionClaims (${sessionClaims.join(', ')})`)
    return this.#cutoff('session', sessionKey(claim, value), before)
  }

  /**
   * Guard#markGroup: after the app revoked something of `sub` in its own
   * state, every token of sub's group issued before `before` (default now)
   * goes through `groups.check` once more.
   */
  group(sub, options) {
    const { before } = optionsObject(options)
    if (!this.#groups) throw invalidOption('groups', 'is not set: markGroup needs open({ groups: { count, check } })')
    if (typeof sub !== 'string' || sub === '') throw invalidOption('sub', 'must be a non-empty string')
    const { count } = this.#groups
    return this.#cutoff('group', groupKey(this.#native.groupOf(sub, count), count), before)
  }

  all(options) {
    const { before } = optionsObject(options)
    return this.#cutoff('global', '', before)
  }

  /** Allow-list mode: records a token this Guard just signed; failures go to health() and 'error'. */
  allow(token) {
    const { iss = '', jti, exp } = decode(token)
    this.change({ kind: 'allow', key: tokenKey(iss, jti), at: exp * 1000, expiresAt: exp * 1000 + this.#toleranceMs })
      .catch(() => {})
  }

  #cutoff(kind, key, before) {
    // Default: just after now and after every token this Guard has issued, so one
    // issued earlier in this same millisecond is refused too.
    const at = before === undefined ? Math.max(this.#clock(), this.#lastIssuedMs) + 1 : cutoffMs('before', before)
    const stored = this.change(cutoffRecord(kind, key, at, this.#limits()))
    return before === undefined && this.#wholeSeconds ? afterSecondOf(at, this.#clock(), stored) : stored
  }

  /** What records are kept for: the store's horizon (./horizon.js) when it is longer than this Guard's lifetime. */
  #limits() {
    return { lifetimeMs: Math.max(this.#lifetimeMs, storeHorizonMs(this.#native)), toleranceMs: this.#toleranceMs }
  }

  /** Records this Guard's lifetime as the store's horizon when it is the longest so far (open()). */
  publishHorizon(waitMs) {
    return publishHorizon(this.#native, this.#queue, this.#lifetimeMs, waitMs)
  }

  /** Security first: the table changes now; the promise resolves once the store has it. */
  change(change) {
    if (this.#closed) throw Object.assign(new Error('the Guard is closed'), { code: 'ERR_STORE' })
    if (Number.isNaN(change.at)) throw invalidOption('before', 'must be a time')
    const record = bounded(change)
    // Refused before it touches the table: a record no store can keep must not be half-applied.
    try {
      checkRecord(record)
    } catch (err) {
      throw invalidOption(record.kind === 'user' ? 'sub' : 'value', err.message)
    }
    apply(this.#native, record)
    this.#counters.revoked(record.kind)
    // Queued before listeners hear of it: one that throws cannot keep it from the store.
    const stored = this.#queue.push(record)
    try {
      this.#emit('revoked', record)
    } catch (err) {
      stored.catch(() => {}) // the caller hears of the listener's error instead
      throw err
    }
    return stored
  }
}

module.exports = { Revocations }
