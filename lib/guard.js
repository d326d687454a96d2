'use strict'

const { EventEmitter } = require('node:events')
const { verifyWith, verifyRefetching } = require('./verifier')
const { revokeMany } = require('./revoke-many')
const { promisesOnly } = require('./revoke-args')
const { Counters, metricsOf } = require('./metrics')
const { KeySources } = require('./jwks/sources')
const { isRevoked } = require('./revoked')
const { revocableClaims } = require('./claim-keys')
const { guardConfig, nativeGuards, defaultStore } = require('./guard/config')
const { Revocations } = require('./guard/revocations')
const { StoreLink } = require('./guard/store-link')
const { hasHorizon } = require('./guard/horizon')
const { Issuing } = require('./guard/issuing')

// revocable/express-jwt marks a Guard given as `guard` with this (see afterSecondOf).
const WHOLE_SECONDS = Symbol.for('revocable.wholeSecondIat')

/**
 * A verifier bound to the process-wide revocation table of its store. Build it
 * with `await revocable.open(options)`: the table is loaded before it resolves.
 * The Guard is the public face; its parts live in lib/guard/ (options, revoke
 * calls, the store link) and lib/lifecycle/ (refresh tokens, group epochs).
 */
class Guard extends EventEmitter {
  #native
  #clock
  #cache
  #revocable // refuses a token no revocation could name (lib/claim-keys.js)
  #revocations // the revoke calls (lib/guard/revocations.js)
  #link // the store: queue, sync, load, pruning (lib/guard/store-link.js)
  #issuing // sign, refresh tokens, the group slow path (lib/guard/issuing.js)
  #authenticate = null
  #counters = new Counters()
  #sources // remote key sets (lib/jwks), loaded by open(); null for a static key
  #keySpec // how keys were given, for backchannelLogout
  #logouts = [] // backchannelLogout endpoints, whose key sets close with the Guard

  constructor(options, internal, sources = null) {
    super()
    if (internal !== OPEN) throw new Error('use `await revocable.open(options)` to build a Guard')
    const config = guardConfig(options, sources)
    const { clock, store, lifetimeMs, toleranceMs } = config
    this.#clock = clock
    this.#sources = sources
    this.#keySpec = config.keySpec
    ;({ native: this.#native, cache: this.#cache } = nativeGuards(config, options, sources))
    const emit = (event, value) => this.emit(event, value)
    const report = (err) => this.#report(err)
    if (sources !== null) sources.forward((event, value) => (event === 'error' ? report(value) : emit(event, value)))
    this.allowList = options.allowList === true
    this.sessionClaims = options.sessionClaims ?? ['sid']
    this.#revocable = revocableClaims([...this.sessionClaims])
    this.#link = new StoreLink(store, this.#native, { clock, timeoutMs: options.storeTimeout ?? 5000, emit, report })
    this.#revocations = new Revocations({
      native: this.#native, sources, clock, queue: this.#link.queue, counters: this.#counters, emit, groups: config.groups,
      sessionClaims: () => this.sessionClaims, lifetimeMs, toleranceMs, wholeSeconds: config.wholeSeconds,
    })
    this.#issuing = new Issuing(this, options, { config, native: this.#native, cache: this.#cache, revocable: this.#revocable, revocations: this.#revocations })
  }

  /** Verifies the token and checks every revocation rule, in one native call. */
  verify(token, options) {
    let claims
    try {
      claims = this.#sources === null ? verifyWith(this.#native, this.#clock(), token, options, this.#cache, this.#revocable)
        : this.#sources.run(token, (n, cache) => verifyWith(n, this.#clock(), token, options, cache, this.#revocable))
    } catch (err) {
      this.#counters.failed(err)
      throw err
    }
    this.#counters.verified[0]++ // 'ok': see lib/metrics.js
    return claims
  }

  /**
   * Counters and gauges, read now: verifications by result, revoked tokens by
   * reason, revocations written here by kind, the result cache, the table,
   * the persistence queue, sync and remote key sets. `revocable/prometheus` exports them.
   */
  metrics() {
    return metricsOf(this.#counters, {
      cache: this.cacheStats(), table: this.#native.stats(), horizon: hasHorizon(this.#native),
      queue: this.#link.queue, sync: this.#link.syncState(), jwks: this.#sources === null ? null : this.#sources.health(), nowMs: Date.now(),
    })
  }

  /** verify(), except that a token whose kid started a key set refetch waits for it and is tried once more. */
  verifyAsync(token, options) {
    return verifyRefetching((t, o) => this.verify(t, o), this.#sources, token, options)
  }

  /** `{ size, max, hits, misses }` of the result cache (zeros when it is off). */
  cacheStats() {
    if (this.#sources !== null) return this.#sources.cacheStats()
    return this.#cache ? this.#cache.stats() : { size: 0, max: 0, hits: 0, misses: 0 }
  }

  /** Issues a token (iat to the millisecond, random jti, exp defaulting to maxTokenLifetime); recorded in allow-list mode. */
  sign(claims, options = {}) {
    return this.#issuing.sign(claims, options)
  }

  /** Revokes one token by (iss, jti), until its exp: a token string (verified but for its times) or its claims. */
  revokeToken(tokenOrClaims) {
    return this.#revocations.token(tokenOrClaims)
  }

  /** Refuses every token of `sub` issued before `before` (default now): logout everywhere, password change, ban. */
  revokeUser(sub, options) {
    return this.#revocations.user(sub, options)
  }

  /** Refuses tokens whose `claim` (default 'sid') equals `value`, issued before `before`: one session or device. */
  revokeSession(value, options) {
    return this.#revocations.session(value, options)
  }

  /** Group epochs (option `groups`): tokens of sub's group issued before `before` (default now) go through `groups.check`. */
  markGroup(sub, options) {
    return this.#revocations.group(sub, options)
  }

  /** verify(), plus the slow path of group epochs: `{ claims, token, header }` (lib/lifecycle/recheck.js). */
  recheck(token) {
    return this.#issuing.recheck(token)
  }

  /** Refuses every token issued before `before` (default now): key compromise. */
  revokeAll(options) {
    return this.#revocations.all(options)
  }

  /** Whole-second issuers (jsonwebtoken's sign) share this Guard: revocable/express-jwt calls it for a `guard`. */
  [WHOLE_SECONDS]() {
    this.#revocations.wholeSecondIat()
  }

  /** Many revocations in one call (scripts, the CLI): see lib/revoke-many.js. */
  revokeMany(records) {
    return revokeMany(this, records)
  }

  /** Drops table entries (and store records) that can no longer refuse anything; returns how many left the table. */
  prune() {
    return this.#link.prune()
  }

  /** 'error' goes to listeners only: an EventEmitter 'error' nobody listens to would crash the process. */
  #report(err) {
    if (this.listenerCount('error') > 0) this.emit('error', err)
  }

  health() {
    return this.#link.health(this.#sources === null ? null : this.#sources.health())
  }

  stats() {
    return this.#native.stats()
  }

  /** Starts a refresh-token family: `{ accessToken, refreshToken, session, expiresIn }` (lib/lifecycle/refresh.js). */
  issue(user, options) {
    return this.#issuing.refresh.issue(user, options)
  }

  /** Rotates a refresh token into a new pair; a reused one revokes its family. */
  refresh(refreshToken) {
    return this.#issuing.refresh.refresh(refreshToken)
  }

  /**
   * The authentication core on a framework-neutral request `{ authorization,
   * cookie, cookies, token }`: an Outcome `{ claims, error, headers }`, or a
   * Promise of one on the group slow path (lib/middleware/core.js).
   */
  authenticate(request) {
    if (this.#authenticate === null) this.#authenticate = this.authenticator()
    return this.#authenticate(request)
  }

  /** `authenticate` with options: cookie, credentialsRequired, debug, rotate. */
  authenticator(options) {
    return require('./middleware/authenticator').authenticator(this, options)
  }

  /** false, or why claims verified elsewhere are revoked ('user', 'session', ...; lib/revoked.js). */
  isRevoked(claims) {
    return isRevoked(this.#native, this.sessionClaims, claims)
  }

  express(options) {
    return require('./middleware/express').expressMiddleware(this, options)
  }

  koa(options) {
    return require('./middleware/koa').koaMiddleware(this, options)
  }

  /**
   * OIDC Back-Channel Logout endpoint (lib/logout): Express handler, with
   * `.koa` for Koa. Logout tokens are checked with `options.key`/`jwks`, else
   * with this Guard's keys for `options.issuer`.
   */
  backchannelLogout(options) {
    const endpoint = require('./logout/http').backchannelLogout(this, this.#keySpec, options)
    this.#logouts.push(endpoint)
    return endpoint
  }

  /** Waits for queued writes (up to `timeout` ms), then closes the store. Resolves to `{ pending }` left unwritten. */
  async close({ timeout = 5000 } = {}) {
    this.#revocations.close()
    if (this.#sources !== null) this.#sources.close()
    for (const endpoint of this.#logouts) endpoint.close()
    return this.#link.close(timeout)
  }

  /** Same as `revocable.open(options)`, without the default store. */
  static async open(options) {
    // Remote key sets are fetched first: no Guard without keys (fail closed).
    const sources = KeySources.from(options, options.clock)
    if (sources !== null) await sources.load()
    let guard
    try {
      guard = new Guard(options, OPEN, sources)
    } catch (err) {
      if (sources !== null) sources.close()
      throw err
    }
    // Listeners given up front see the 'loaded' progress of open() itself.
    for (const [event, listener] of Object.entries(options.on ?? {})) guard.on(event, listener)
    // Resolves once sync has caught up (or first failed, then it retries on its own).
    await guard.#link.open({ loadUserCutoffs: options.loadUserCutoffs, pruneInterval: options.pruneInterval ?? 60_000 },
      (waitMs) => guard.#revocations.publishHorizon(waitMs))
    return guard
  }
}

const OPEN = Symbol('open')

// Bad input to these is a rejection, never a synchronous throw (lib/revoke-args.js).
promisesOnly(Guard.prototype, ['revokeToken', 'revokeUser', 'revokeSession', 'markGroup', 'revokeAll', 'refresh'])

/** Opens a Guard: loads the store (and `loadUserCutoffs`) into the table before resolving; fails closed. */
async function open(options = {}) {
  return Guard.open({ ...options, store: options.store ?? defaultStore() })
}

module.exports = { Guard, open }
