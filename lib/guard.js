'use strict'

const { EventEmitter } = require('node:events')
const { NativeGuard, durationSeconds } = require('./native')
const { native, invalidOption, JwtClaimError } = require('./errors')
const { verificationKey } = require('./keys')
const { checkVerifierOptions } = require('./options')
const { verifyWith, verifyRefetching, resultCache } = require('./verifier')
const { decode } = require('./decode')
const { PersistQueue } = require('./persist')
const { groupsConfig } = require('./lifecycle/groups')
const { GroupSlowPath } = require('./lifecycle/recheck')
const { signingConfig, issueToken } = require('./issue')
const { loadTable, located } = require('./load')
const { identifier, optionsObject, afterSecondOf, storeHorizonMs, horizonRecord } = require('./revoke-args')
const { Sync } = require('./sync')
const { tokenKey, sessionKey, groupKey, checkRecord, cutoffRecord, tokenRecord, apply, cutoffMs, bounded } = require('./records')
const { revokeMany } = require('./revoke-many')
const { RefreshTokens } = require('./lifecycle/refresh')
const { Counters, metricsOf } = require('./metrics')
const { KeySources } = require('./jwks/sources')
const { isRevoked } = require('./revoked')

// revocable/express-jwt marks a Guard given as `guard` with this (see afterSecondOf).
const WHOLE_SECONDS = Symbol.for('revocable.wholeSecondIat')

const GUARD_OPTIONS = new Set([
  'maxTokenLifetime', 'store', 'loadUserCutoffs', 'sessionClaims', 'allowList',
  'signingKey', 'signingAlgorithm', 'pruneInterval', 'storeTimeout', 'on', 'refresh', 'groups', 'wholeSecondIat',
])

/**
 * A verifier bound to the process-wide revocation table of its store. Build it
 * with `await revocable.open(options)`: the table is loaded before it resolves.
 */
class Guard extends EventEmitter {
  #native
  #clock
  #cache
  #store
  #queue
  #lifetimeMs
  #toleranceMs
  #signing
  #pruneTimer = null
  #lastIssuedMs = 0
  #wholeSeconds = false
  #closed = false
  #sync
  #refresh
  #groups
  #authenticate = null
  #slowPath
  #counters = new Counters()
  #sources // remote key sets (lib/jwks), loaded by open(); null for a static key
  #keySpec // how keys were given, for backchannelLogout
  #logouts = [] // backchannelLogout endpoints, whose key sets close with the Guard

  constructor(options, internal, sources = null) {
    super()
    if (internal !== OPEN) throw new Error('use `await revocable.open(options)` to build a Guard')
    const { clock, native: verifierOpts } = checkVerifierOptions(options, GUARD_OPTIONS, 'Guard')
    this.#groups = groupsConfig(options.groups)
    const key = options.key === undefined ? options.secret : options.key
    if (key === undefined && sources === null) throw invalidOption('key', 'is required (or its alias `secret`)')
    if (options.maxTokenLifetime === undefined) throw invalidOption('maxTokenLifetime', "is required (e.g. '1h')")
    const store = options.store
    for (const method of ['open', 'put', 'load', 'prune', 'close']) {
      if (!store || typeof store[method] !== 'function') throw invalidOption('store', `must have a ${method}() method`)
    }
    if (options.allowList !== undefined && typeof options.allowList !== 'boolean') throw invalidOption('allowList', 'must be a boolean')
    if (options.wholeSecondIat !== undefined && typeof options.wholeSecondIat !== 'boolean') throw invalidOption('wholeSecondIat', 'must be a boolean')
    this.#wholeSeconds = options.wholeSecondIat === true
    this.#clock = clock
    this.#store = store
    this.#lifetimeMs = native(() => durationSeconds('maxTokenLifetime', options.maxTokenLifetime)) * 1000
    this.#toleranceMs = native(() => durationSeconds('clockTolerance', options.clockTolerance ?? 0)) * 1000
    const guardOpts = {
      tableId: store.id,
      maxTokenLifetime: options.maxTokenLifetime,
      sessionClaims: options.sessionClaims,
      allowList: options.allowList,
      groups: options.groups !== undefined,
    }
    this.#sources = sources
    this.#keySpec = { key, jwks: options.jwks, issuers: options.issuers, algorithms: options.algorithms, clockTolerance: options.clockTolerance, clock }
    if (sources === null) {
      this.#native = native(() => new NativeGuard({ ...verifierOpts, ...verificationKey(key, options.key === undefined ? 'secret' : 'key') }, guardOpts))
      this.#cache = resultCache(this.#native, options.cache, this.#native.epochs())
    } else {
      // One native Guard per issuer, all on the same table.
      this.#native = sources.bind((keys) => native(() => new NativeGuard({ ...verifierOpts, ...keys }, guardOpts)),
        (n) => resultCache(n, options.cache, n.epochs()))
      sources.forward((event, value) => (event === 'error' ? this.#report(value) : this.emit(event, value)))
    }
    this.#signing = signingConfig(options, key)
    this.allowList = options.allowList === true
    this.sessionClaims = options.sessionClaims ?? ['sid']
    // Refresh tokens (lib/lifecycle/refresh.js): on unless `refresh: false`, and only with a signing key.
    this.#refresh = options.refresh === false || (!this.#signing && options.refresh?.secret === undefined) ? null
      : new RefreshTokens(this, options.refresh, {
        clock, tableId: store.id, signingKey: this.#signing?.key, maxTokenLifetimeMs: this.#lifetimeMs,
        toleranceMs: this.#toleranceMs, change: (record) => this.#change(record),
        issued: (iatMs) => { this.#lastIssuedMs = Math.max(this.#lastIssuedMs, iatMs) },
      })
    // Changes other instances write to the same store (lib/sync.js).
    this.#sync = new Sync(store, this.#native, { emit: (event, value) => this.emit(event, value), report: (err) => this.#report(err) })
    this.#slowPath = new GroupSlowPath(this.#groups, {
      verify: (token) => this.verify(token),
      quietVerify: (token) => verifyWith(this.#native, this.#clock(), token, undefined, this.#cache),
      native: () => this.#native,
      clock: () => this.#clock(),
      sign: (claims, options) => this.sign(claims, options),
    })
    this.#queue = new PersistQueue(store, {
      attemptTimeoutMs: options.storeTimeout ?? 5000,
      onError: (err) => this.#report(err),
      onRecover: () => this.emit('recovered'),
      onRefused: (err) => this.#report(err), // the caller's promise is rejected with it too
    })
  }

  /** Verifies the token and checks every revocation rule, in one native call. */
  verify(token, options) {
    let claims
    try {
      claims = this.#sources === null ? verifyWith(this.#native, this.#clock(), token, options, this.#cache)
        : this.#sources.run(token, (n, cache) => verifyWith(n, this.#clock(), token, options, cache))
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
      cache: this.cacheStats(), table: this.#native.stats(), horizon: this.#storeHorizonMs() > 0, queue: this.#queue, sync: this.#sync.state(),
      jwks: this.#sources === null ? null : this.#sources.health(), nowMs: Date.now(),
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
    const token = issueToken({
      native: this.#native, sessionClaims: this.sessionClaims, signing: this.#signing, clock: this.#clock, lifetimeMs: this.#lifetimeMs,
      issued: (iat) => { this.#lastIssuedMs = Math.max(this.#lastIssuedMs, iat) },
    }, claims, options)
    if (this.allowList) {
      const { iss = '', jti, exp } = decode(token)
      this.#change({ kind: 'allow', key: tokenKey(iss, jti), at: exp * 1000, expiresAt: exp * 1000 + this.#toleranceMs })
        .catch(() => {}) // reported through health() and 'error'
    }
    return token
  }

  /**
   * Revokes one token by (iss, jti), until its exp. A token string must verify
   * as the Guard would verify it, except for its times and revocation: an
   * expired token can still be logged out, and a forgery (ERR_JWT_SIGNATURE,
   * ...) is refused before it costs a store write or a table entry. Claims
   * (`req.auth`, already verified by the caller) are taken as they are.
   */
  revokeToken(tokenOrClaims) {
    const untimed = (n) => JSON.parse(native(() => n.verifyUntimed(tokenOrClaims)))
    const claims = typeof tokenOrClaims !== 'string' ? tokenOrClaims
      : this.#sources === null ? untimed(this.#native) : this.#sources.run(tokenOrClaims, untimed)
    if (claims !== null && typeof claims === 'object' && claims.jti === undefined) {
      // Revocation of one token is keyed by (iss, jti) (never by a hash of the token: see DESIGN).
      throw new JwtClaimError('this token has no jti, so it cannot be revoked alone: revoke its session (revokeSession) or user (revokeUser), and issue tokens with auth.sign, which adds a jti', { claim: 'jti' })
    }
    return this.#change(tokenRecord(claims, { nowMs: this.#clock(), ...this.#limits() }))
  }

  /** Refuses every token of `sub` issued before `before` (default now): logout everywhere, password change, ban. */
  revokeUser(sub, options) {
    const { before } = optionsObject(options)
    return this.#cutoff('user', identifier('sub', sub), before)
  }

  /** Refuses tokens whose `claim` (default 'sid') equals `value`, issued before `before`: one session or device. */
  revokeSession(value, options) {
    const { claim = 'sid', before } = optionsObject(options)
    identifier('value', value)
    if (!this.sessionClaims.includes(claim)) throw invalidOption('claim', `\`${claim}\` is not one of sessionClaims (${this.sessionClaims.join(', ')})`)
    return this.#cutoff('session', sessionKey(claim, value), before)
  }

  /**
   * Group epochs with a slow path (option `groups`): after the app revoked
   * something of `sub` in its own state, every token of sub's group issued
   * before `before` (default now) goes through `groups.check` once more.
   */
  markGroup(sub, options) {
    const { before } = optionsObject(options)
    if (!this.#groups) throw invalidOption('groups', 'is not set: markGroup needs open({ groups: { count, check } })')
    if (typeof sub !== 'string' || sub === '') throw invalidOption('sub', 'must be a non-empty string')
    const { count } = this.#groups
    return this.#cutoff('group', groupKey(this.#native.groupOf(sub, count), count), before)
  }

  /**
   * verify(), plus the slow path of group epochs: a token older than its
   * group's mark is verified without the mark (every other rule still
   * applies), then `groups.check(claims)` decides. Resolves to
   * `{ claims, token, header }`, where `token` is a fresh token to hand out
   * (undefined when the fast path answered); rejects like verify().
   */
  recheck(token) {
    return this.#slowPath.recheck(token)
  }

  /** Refuses every token issued before `before` (default now): key compromise. */
  revokeAll(options) {
    const { before } = optionsObject(options)
    return this.#cutoff('global', '', before)
  }

  #cutoff(kind, key, before) {
    // Default: just after now and after every token this Guard has issued, so one
    // issued earlier in this same millisecond is refused too.
    const at = before === undefined ? Math.max(this.#clock(), this.#lastIssuedMs) + 1 : cutoffMs('before', before)
    const stored = this.#change(cutoffRecord(kind, key, at, this.#limits()))
    return before === undefined && this.#wholeSeconds ? afterSecondOf(at, this.#clock(), stored) : stored
  }

  /**
   * What records are kept for: the longest maxTokenLifetime of any Guard on
   * this store, not just this one's. A 1 h web API revoking next to a 30 d
   * mobile issuer must keep its records as long as the issuer's tokens live,
   * or a restart would let them pass again.
   */
  #limits() {
    return { lifetimeMs: Math.max(this.#lifetimeMs, this.#storeHorizonMs()), toleranceMs: this.#toleranceMs }
  }

  /**
   * The longest maxTokenLifetime of any Guard that opened on this store (ms),
   * kept in the store itself as a session cut-off on a claim no token carries
   * (as refresh keeps its family marks), set far in the future so that
   * pruning never drops it. Loaded and synced like any record.
   */
  #storeHorizonMs() {
    return storeHorizonMs(this.#native)
  }

  /**
   * Records this Guard's lifetime as the store's horizon when it is the
   * longest so far; resolves once stored, or after `waitMs` (the queue keeps
   * retrying, and reports through health() and 'error').
   */
  async #publishHorizon(waitMs) {
    if (this.#storeHorizonMs() >= this.#lifetimeMs) return
    const record = horizonRecord(this.#lifetimeMs)
    apply(this.#native, record)
    const stored = this.#queue.push(record).catch(() => {})
    let timer
    await Promise.race([stored, new Promise((resolve) => { timer = setTimeout(resolve, waitMs) })])
    clearTimeout(timer)
  }

  /**
   * Issuers of whole-second iat (jsonwebtoken's sign) share this Guard: a
   * cut-off made now resolves only once its second has passed (afterSecondOf).
   * revocable/express-jwt calls it for a Guard given as `guard`.
   */
  [WHOLE_SECONDS]() {
    this.#wholeSeconds = true
  }

  /**
   * Many revocations in one call (scripts, the CLI): `{ type: 'token', token }`,
   * `{ type: 'user', sub, before? }`, `{ type: 'session', value, claim?, before? }`,
   * `{ type: 'all', before? }`. See lib/revoke-many.js.
   */
  revokeMany(records) {
    return revokeMany(this, records)
  }

  /** Security first: the table changes now; the promise resolves once the store has it. */
  #change(change) {
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
    this.emit('revoked', record)
    return this.#queue.push(record)
  }

  /** Drops table entries (and store records) that can no longer refuse anything; returns how many left the table. */
  prune() {
    const now = this.#clock()
    this.#store.prune(now).catch((err) => this.#report(err))
    return this.#native.prune(now)
  }

  /** 'error' goes to listeners only: an EventEmitter 'error' nobody listens to would crash the process. */
  #report(err) {
    if (this.listenerCount('error') > 0) this.emit('error', err)
  }

  health() {
    // A client that knows its server is unreachable (ioredis, node-redis) says so at once,
    // before a write has had time to fail: it would queue revocations offline meanwhile.
    const down = this.#queue.down || (typeof this.#store.ready === 'function' && this.#store.ready() === false)
    const health = { store: down ? 'down' : 'ok', pending: this.#queue.pending, lastError: this.#queue.lastError ? this.#queue.lastError.message : null }
    // Only for a store that follows other instances' changes (lib/sync.js).
    const sync = this.#sync.state()
    if (this.#sources !== null) health.jwks = this.#sources.health()
    return sync ? { ...health, sync } : health
  }

  stats() {
    return this.#native.stats()
  }

  /** Starts a refresh-token family: `{ accessToken, refreshToken, session, expiresIn }` (lib/lifecycle/refresh.js). */
  issue(user, options) {
    return this.#refreshTokens().issue(user, options)
  }

  /** Rotates a refresh token into a new pair; a reused one revokes its family. */
  refresh(refreshToken) {
    return this.#refreshTokens().refresh(refreshToken)
  }

  #refreshTokens() {
    if (!this.#refresh) throw invalidOption('refresh', 'is off (`refresh: false`, or no signing key to derive its key from: give refresh.secret)')
    return this.#refresh
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

  #startPruning(intervalMs) {
    this.#pruneTimer = setInterval(() => this.prune(), intervalMs)
    this.#pruneTimer.unref()
  }

  /** Waits for queued writes (up to `timeout` ms), then closes the store. Resolves to `{ pending }` left unwritten. */
  async close({ timeout = 5000 } = {}) {
    this.#closed = true
    clearInterval(this.#pruneTimer)
    if (this.#sources !== null) this.#sources.close()
    for (const endpoint of this.#logouts) endpoint.close()
    await this.#sync.close()
    const drained = await this.#queue.drain(timeout)
    const pending = this.#queue.pending
    this.#queue.stop()
    if (!drained) this.#report(Object.assign(new Error(`closed with ${pending} revocation(s) not yet stored`), { code: 'ERR_STORE' }))
    await this.#store.close()
    return { pending }
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
    const position = await loadTable({
      store: guard.#store, sync: guard.#sync, native: guard.#native,
      emit: (event, value) => guard.emit(event, value), report: (err) => guard.#report(err),
    }, options.loadUserCutoffs).catch((err) => { throw located(err, options.store) })
    await guard.#sync.start(position, options.storeTimeout ?? 5000)
    await guard.#publishHorizon(options.storeTimeout ?? 5000)
    guard.#startPruning(options.pruneInterval ?? 60_000)
    return guard
  }
}

const OPEN = Symbol('open')

// Methods typed as returning a promise report bad input (a coded error) as a
// rejection, never as a synchronous throw that an async Express 4 handler
// would turn into a request that never ends.
for (const name of ['revokeToken', 'revokeUser', 'revokeSession', 'markGroup', 'revokeAll', 'refresh']) {
  const method = Guard.prototype[name]
  Object.defineProperty(Guard.prototype, name, {
    value: { [name](...args) {
      try {
        return Promise.resolve(method.apply(this, args))
      } catch (err) {
        return Promise.reject(err)
      }
    } }[name],
    writable: true, configurable: true,
  })
}

/** Opens a Guard: loads the store (and `loadUserCutoffs`) into the table before resolving; fails closed. */
// Under Jest (JEST_WORKER_ID is set in every worker) the default is a fresh
// memory store per open(): parallel workers sharing ./revocable.db would see
// each other's revocations, and a run would see the last run's.
async function open(options = {}) {
  const store = options.store ?? (process.env.JEST_WORKER_ID ? require('./stores/memory').memory() : require('./stores').sqlite('revocable.db'))
  return Guard.open({ ...options, store })
}

module.exports = { Guard, open }
