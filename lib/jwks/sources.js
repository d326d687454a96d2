'use strict'

const { RemoteKeySet } = require('./remote')
const { JwksError, CODES } = require('./errors')
const { native, invalidOption, JwtKeyError, JwtClaimError, JwtMalformedError, JwtTooLargeError } = require('../errors')

const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024 // DEFAULT_MAX_TOKEN_BYTES in src/core/verifier.rs
// Tokens whose source was picked recently, found by their last characters and
// confirmed by the whole token (as lib/cache.js does): decoding the payload
// for `iss` costs several times a cached verification.
const PICKED_MAX = 1024
const TAIL = 32

/**
 * The remote key sources of a Verifier or Guard: one (`jwks`), or one per
 * accepted issuer (`issuers: { [iss]: { jwks } }`), each with its own native
 * verifier (bound to that `iss`) and result cache. A token's unverified `iss`
 * picks its source before any key is tried; the source's verifier then
 * checks everything, `iss` included.
 */
class KeySources {
  #entries = new Map() // iss (or '' for a lone source) -> { set, native, cache }
  #single = null
  #factory = null
  #picked = new Map() // token tail -> { token, entry }
  #maxTokenBytes

  /** null when `options` names no remote source. */
  static from(options, clock) {
    if (options.jwks === undefined && options.issuers === undefined) return null
    if (options.key !== undefined || options.secret !== undefined) throw invalidOption('jwks', 'replaces `key`/`secret`: give one of them')
    if (options.jwks !== undefined && options.issuers !== undefined) throw invalidOption('issuers', 'replaces `jwks`: give one of them')
    return new KeySources(options, clock)
  }

  constructor(options, clock) {
    this.#maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES
    if (options.jwks !== undefined) {
      const set = new RemoteKeySet(options.jwks, { clock })
      // Keys found through an issuer's discovery are that issuer's: its tokens only.
      const issuer = options.issuer === undefined && set.issuer !== undefined ? [set.issuer] : undefined
      this.#single = { set, issuer, native: null, cache: null }
      this.#entries.set('', this.#single)
      return
    }
    if (options.issuer !== undefined) throw invalidOption('issuer', 'is implied by the keys of `issuers`')
    const list = options.issuers !== null && typeof options.issuers === 'object' ? Object.entries(options.issuers) : []
    if (list.length === 0) throw invalidOption('issuers', 'must map each accepted issuer to { jwks }')
    for (const [iss, source] of list) {
      if (!source || typeof source !== 'object' || Object.keys(source).some((k) => k !== 'jwks')) throw invalidOption(`issuers.${iss}`, 'must be { jwks: { uri } | { issuer } }')
      const spec = source.jwks ?? { issuer: iss }
      this.#entries.set(iss, { set: new RemoteKeySet(spec, { clock }), issuer: [iss], native: null, cache: null })
    }
  }

  /** Every set fetched (fail closed: rejects with the first JwksError). */
  async load() {
    await Promise.all([...this.#entries.values()].map((e) => e.set.text ?? e.set.load()))
  }

  /**
   * Builds each source's native object once its set is loaded, with
   * `make({ jwk, issuer })` and `cacheFor(native)` (now for the sets already
   * loaded, later for the others), and installs later sets with setKeys (the
   * cache is emptied: a result may rest on a retired key). Returns the first
   * native, or null if its set is not loaded (a Guard's table operations use it).
   */
  bind(make = this.#factory.make, cacheFor = this.#factory.cacheFor) {
    this.#factory = { make, cacheFor }
    for (const entry of this.#entries.values()) this.#bind(entry)
    return this.primary
  }

  #bind(entry) {
    if (entry.native !== null || entry.set.text === null || this.#factory === null) return
    try {
      entry.native = this.#factory.make({ jwk: entry.set.text, ...(entry.issuer ? { issuer: entry.issuer } : {}) })
    } catch (cause) {
      throw new JwksError(CODES.INVALID, `${entry.set.health().uri}: ${cause.message}`, { cause })
    }
    entry.cache = this.#factory.cacheFor(entry.native)
    entry.set.accept = (text) => {
      native(() => entry.native.setKeys(text))
      if (entry.cache) entry.cache.clear()
    }
  }

  get primary() {
    return this.#entries.values().next().value.native
  }

  get bound() {
    return this.primary !== null
  }

  /** The source for `token`: the only one, or the one of its unverified `iss`. */
  pick(token) {
    if (this.#single !== null) return this.#single
    if (typeof token !== 'string') throw new JwtMalformedError('the token must be a string')
    const tail = token.slice(-TAIL)
    const known = this.#picked.get(tail)
    if (known !== undefined && known.token === token) return known.entry
    const entry = this.#issuerOf(token)
    if (this.#picked.size >= PICKED_MAX) this.#picked.delete(this.#picked.keys().next().value)
    this.#picked.set(tail, { token, entry })
    return entry
  }

  #issuerOf(token) {
    if (token.length > this.#maxTokenBytes) throw new JwtTooLargeError(`token is longer than ${this.#maxTokenBytes} bytes`)
    let iss
    try {
      iss = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).iss
    } catch {
      throw new JwtMalformedError('the payload is not base64url JSON')
    }
    const entry = typeof iss === 'string' ? this.#entries.get(iss) : undefined
    if (entry === undefined || iss === '') throw new JwtClaimError('the token\'s issuer is not one of `issuers`', { claim: 'iss' })
    return entry
  }

  /**
   * Runs `verify(native, cache)` for the token's source. A key the set does
   * not hold (claim 'kid') starts a refetch unless one ran less than
   * `cooldown` ago; the error then says so with `refetching: true`.
   */
  run(token, verify) {
    const entry = this.pick(token)
    try {
      this.#bind(entry)
    } catch {
      // An unusable first set (reported by ready()/open()): no keys, as below.
    }
    if (entry.native === null) {
      const err = new JwtKeyError('the key set is not loaded yet (await open() or verifier.ready())', { claim: 'kid' })
      err.refetching = entry.set.refetch() !== null
      throw err
    }
    try {
      return verify(entry.native, entry.cache)
    } catch (err) {
      if (err.code === 'ERR_JWT_KEY' && err.claim === 'kid') err.refetching = entry.set.refetch() !== null
      throw err
    }
  }

  /**
   * Waits for the refetch that `err` (from run, `refetching: true`) started
   * for `token`'s source; rejects with `err` itself if that fetch failed, so
   * the first verdict stands.
   */
  async refetched(token, err) {
    const entry = this.pick(token)
    try {
      await entry.set.load() // joins the fetch in flight
    } catch {
      throw err
    }
  }

  /** The result caches' counters, summed over the sources. */
  cacheStats() {
    const out = { size: 0, max: 0, hits: 0, misses: 0 }
    for (const e of this.#entries.values()) {
      if (!e.cache) continue
      const s = e.cache.stats()
      for (const k of Object.keys(out)) out[k] += s[k]
    }
    return out
  }

  health() {
    const out = {}
    for (const [iss, e] of this.#entries) out[iss || e.set.issuer || e.set.health().uri] = e.set.health()
    return out
  }

  /** Forwards each set's 'error' (a failed fetch) and 'keys' to `emit`. */
  forward(emit) {
    for (const e of this.#entries.values()) {
      e.set.on('error', (err) => emit('error', err))
      e.set.on('keys', () => emit('keys', e.set.health().uri))
    }
  }

  close() {
    for (const e of this.#entries.values()) e.set.close()
  }
}

module.exports = { KeySources }
