'use strict'

const { native } = require('../errors')
const { tokenKey } = require('../records')
const { reissuable } = require('./groups')

// Old tokens remembered with the fresh token the slow path gave them.
const RECHECKED_MAX = 10_000

/**
 * The slow path of group epochs (option `groups`): a token older than its
 * group's mark is verified without the mark (every other rule still applies),
 * then `groups.check(claims)` decides; a token that passes gets a fresh one.
 * `guard` gives: verify(token) (counted), quietVerify(token) (not counted),
 * native() (the native Guard), clock(), sign(claims, options) and
 * revocable(claimsText), which refuses a token no revocation could name.
 */
class GroupSlowPath {
  #groups
  #guard
  #recheckedTo = new Map() // JSON [iss, jti] of a token that passed the slow path -> its fresh token

  constructor(groups, guard) {
    this.#groups = groups
    this.#guard = guard
  }

  /** `{ claims, token, header }`; `token` is a fresh token to hand out, undefined when the fast path answered. */
  async recheck(token) {
    const g = this.#guard
    try {
      return { claims: g.verify(token), token: undefined, header: undefined }
    } catch (err) {
      if (!this.#groups || err.code !== 'ERR_JWT_REVOKED' || err.reason !== 'group') throw err
      const asked = JSON.parse(this.#pastGroup(token, g.clock()))
      if ((await this.#groups.check(asked)) !== true) throw err
      // Verified again after the wait: a revocation made while the app was
      // checking (user, session, token, global) must still refuse the token.
      const now = g.clock()
      const claims = JSON.parse(this.#pastGroup(token, now))
      return { claims, token: this.#reissued(claims, now), header: this.#groups.header }
    }
  }

  /** The claims' JSON text of `token` verified without its group's mark. */
  #pastGroup(token, nowMs) {
    const text = native(() => this.#guard.native().verifyPastGroup(token, nowMs))[1]
    this.#guard.revocable(text)
    return text
  }

  /**
   * The fresh token for a token that passed the slow path: one per old token
   * (a replayed old token gets the same one, so it cannot mint more), ending
   * no later than the old one, so the slow path never extends a session.
   * Undefined when less than a second of the old token's life is left.
   */
  #reissued(claims, nowMs) {
    const id = tokenKey(claims.iss ?? '', claims.jti ?? '')
    const known = this.#recheckedTo.get(id)
    if (known !== undefined) {
      try {
        this.#guard.quietVerify(known) // not a verification to count
        return known
      } catch {
        this.#recheckedTo.delete(id)
      }
    }
    const left = Math.floor(claims.exp - nowMs / 1000)
    if (left < 1) return undefined
    const fresh = this.#guard.sign(reissuable(claims), { expiresIn: left })
    if (typeof claims.jti === 'string') {
      if (this.#recheckedTo.size >= RECHECKED_MAX) this.#recheckedTo.delete(this.#recheckedTo.keys().next().value)
      this.#recheckedTo.set(id, fresh)
    }
    return fresh
  }
}

module.exports = { GroupSlowPath }
