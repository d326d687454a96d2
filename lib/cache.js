'use strict'

const { scratchFirstGroup: FIRST_GROUP, scratchTokenHash: TOKEN_HASH } = require('./contract')
const { claimsFrom } = require('./shape')

// Tokens longer than this are verified every time rather than kept.
const MAX_TOKEN_CHARS = 4096
// Tokens seen once are remembered by a 32-bit hash (computed in Rust) in a
// small table; a token is cached when it verifies again within the next `max`
// verifications (sooner than the cache would have evicted it anyway), so a
// stream of distinct tokens costs the cache almost nothing.
const SEEN_SLOTS = 4096

/**
 * Verified results of repeated tokens, answered without a call into Rust.
 *
 * Found by the token's tail and confirmed by comparing the whole token (a
 * hash alone is never trusted); admitted the second time a token verifies. An entry holds the claims' JSON text, the window in which the time
 * checks still pass (it never outlives exp + clockTolerance, nor maxAge), and
 * the revocation groups the result depended on with their epochs. The epochs
 * live in native memory shared by every thread of the process and move on
 * every revocation of their group, including ones another process made and
 * the store's sync applied; a hit requires every recorded epoch unchanged,
 * so the revocation check holds on every request, cached or not.
 */
class ResultCache {
  #entries = new Map() // tailKey(token) -> { token, from, until, claims, groups }
  #seen = new Uint32Array(SEEN_SLOTS)
  #seenAt = new Float64Array(SEEN_SLOTS) // the value of #verified when it was seen
  #verified = 0
  #max
  #scratch
  #shape
  #epochs
  hits = 0
  misses = 0

  /**
   * `scratch`, `shape` and `epochs` are the native views (laid out as
   * lib/contract.js says); `epochs` is null for a Verifier.
   */
  constructor(max, scratch, shape, epochs) {
    this.#max = max
    this.#scratch = scratch
    this.#shape = shape
    this.#epochs = epochs
  }

  /** A fresh copy of the cached claims, or undefined. */
  get(token, nowMs) {
    const key = tailKey(token)
    const entry = this.#entries.get(key)
    if (entry === undefined || entry.token !== token) {
      this.misses++
      return undefined
    }
    if (nowMs < entry.from || nowMs >= entry.until || !this.#current(entry.groups)) {
      this.#entries.delete(key)
      this.misses++
      return undefined
    }
    this.hits++
    return { ...entry.claims }
  }

  // Plain reads, not Atomics.load (which Node 20 does not inline: ~17 ns of a
  // ~100 ns hit). Nothing is read after an epoch that depends on it (the
  // cached claims are this thread's own), so ordering does not matter, only
  // that a bump becomes visible, which every aligned 32-bit load on coherent
  // memory gives; a bump made on this thread is seen by the next read.
  #current(groups) {
    const epochs = this.#epochs
    for (let i = 0; i < groups.length; i += 2) {
      if (epochs[groups[i]] !== groups[i + 1]) return false
    }
    return true
  }

  /**
   * Keeps the result the native verify just returned (its claims' JSON text),
   * as its scratch area describes it, when the token was seen before, and
   * returns the claims. Nested values (arrays, objects) are frozen, since a
   * cached entry shares them between callers; every caller gets its own top
   * level (copying it costs ~50 ns where JSON.parse costs ~700; the claims
   * themselves are built from the verify's shape view: lib/shape.js).
   */
  add(token, text) {
    const claims = freezeNested(claimsFrom(text, this.#shape), text)
    const s = this.#scratch
    const hash = s[TOKEN_HASH]
    const slot = hash & (SEEN_SLOTS - 1)
    const now = ++this.#verified
    if (this.#seen[slot] !== hash || now - this.#seenAt[slot] > this.#max) {
      this.#seen[slot] = hash
      this.#seenAt[slot] = now
      return claims
    }
    const from = s[0] // [validFromMs, validUntilMs, groupCount, group0, epoch0, ...]
    const until = s[1]
    if (!(until > from) || token.length > MAX_TOKEN_CHARS) return claims
    const groups = []
    for (let i = 0, n = s[2] * 2; i < n; i++) groups.push(s[FIRST_GROUP + i])
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value)
    this.#entries.set(tailKey(token), { token, from, until, claims, groups })
    return { ...claims }
  }

  clear() {
    this.#entries.clear()
  }

  stats() {
    return { size: this.#entries.size, max: this.#max, hits: this.hits, misses: this.misses }
  }
}

/**
 * The entry key of a token: a small integer made of 8 characters before its
 * last one. Those are signature characters, uniformly random in any token
 * that verified (the last one can carry as few as 2 bits), so keys rarely
 * collide, and a collision only costs a miss: the whole token is compared. A
 * small integer is hashed by the Map for free, where a string key (a slice of
 * the tail) had to be cut and hashed first. Any string gives a key.
 */
function tailKey(token) {
  let key = 0
  for (let i = token.length - 9; i < token.length - 1; i++) key = (Math.imul(key, 31) + token.charCodeAt(i)) | 0
  return key & 0x3fffffff
}

/** Freezes every object or array below the top level of the claims parsed from `text`. */
function freezeNested(claims, text) {
  // Text with no brace after its first character and no bracket has no nested
  // value: two character searches instead of a walk over the claims.
  if (text.indexOf('{', 1) === -1 && text.indexOf('[') === -1) return claims
  for (const value of Object.values(claims)) {
    if (value !== null && typeof value === 'object') deepFreeze(value)
  }
  return claims
}

function deepFreeze(value) {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner)
  }
  return Object.freeze(value)
}

const DEFAULT_SIZE = 1000

/** The `cache` option: a number of entries (0 turns it off). Default 1000. */
function cacheSize(value, invalidOption) {
  if (value === undefined) return DEFAULT_SIZE
  if (value === false) return 0
  if (!Number.isInteger(value) || value < 0 || value > 10_000_000) {
    throw invalidOption('cache', 'must be a number of entries between 0 and 10000000 (0 or false turns it off)')
  }
  return value
}

module.exports = { ResultCache, cacheSize }
