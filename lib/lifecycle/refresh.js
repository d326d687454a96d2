'use strict'

const { createSecretKey } = require('node:crypto')
const { NativeGuard, durationSeconds } = require('../native')
const { native, invalidOption, JwtRevokedError } = require('../errors')
const { verifyWith } = require('../verifier')
const { sign, randomId } = require('../sign')
const { decode } = require('../decode')
const { refreshKey } = require('./key')
const { sessionBefore } = require('./session')
const { USED, useMarks, refusedAs } = require('./family')
const { revocableClaims } = require('../claim-keys')

const TYP = 'rt+jwt'
const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'auth_time', USED, 'ctx'])
const OPTIONS = new Set(['lifetime', 'accessLifetime', 'reuseInterval', 'secret'])

// 16 random bytes, base64url, from sign's pool (a synchronous randomBytes call per session cost ~10 µs).
const newId = randomId

/**
 * Refresh tokens for a Guard: each login is a family (a session id in the
 * Guard's first session claim, `sid` by default), every refresh rotates the
 * refresh token, and a refresh token presented again after the reuse interval
 * revokes its whole family (reuse detection, as Auth0 does).
 *
 * Refresh tokens are HS256 JWTs under a key derived from the signing key
 * (./key.js) with `typ: rt+jwt`: the access path refuses them (wrong key, or
 * wrong algorithm for an asymmetric Guard) and the refresh path refuses access
 * tokens. They are checked against the same process-wide table, so a user
 * cut-off (logout everywhere, ban) or a session revocation refuses them too.
 */
class RefreshTokens {
  #guard
  #native
  #clock
  #change
  #issued
  #key
  #claim
  #lifetimeS
  #accessS
  #reuseMs
  #revocable
  #toleranceMs

  /**
   * `internals`: { clock, tableId, signingKey, maxTokenLifetimeMs, toleranceMs, change, issued }
   * from the Guard; `change(record)` applies a record to the table now and
   * resolves once the store has it; `issued(iatMs)` tells it a token was issued.
   */
  constructor(guard, options, internals) {
    if (options === undefined || options === true) options = {}
    if (options === null || typeof options !== 'object') throw invalidOption('refresh', 'must be an object { lifetime, accessLifetime, reuseInterval }')
    for (const name of Object.keys(options)) {
      if (!OPTIONS.has(name)) throw invalidOption(`refresh.${name}`, 'is not a refresh option (lifetime, accessLifetime, reuseInterval, secret)')
    }
    const seconds = (name, value) => native(() => durationSeconds(`refresh.${name}`, value))
    const maxS = internals.maxTokenLifetimeMs / 1000
    this.#lifetimeS = options.lifetime === undefined ? maxS : seconds('lifetime', options.lifetime)
    // Store records of cut-offs (a ban, a revoked family) expire after maxTokenLifetime:
    // a refresh token living longer would outlive the revocations that must refuse it.
    if (this.#lifetimeS > maxS) {
      throw invalidOption('refresh.lifetime', `(${this.#lifetimeS} s) exceeds maxTokenLifetime (${maxS} s), which must cover the longest-lived token`)
    }
    this.#accessS = options.accessLifetime === undefined ? Math.min(900, this.#lifetimeS) : seconds('accessLifetime', options.accessLifetime)
    if (this.#accessS > this.#lifetimeS) throw invalidOption('refresh.accessLifetime', 'must not exceed refresh.lifetime')
    this.#reuseMs = 1000 * (options.reuseInterval === undefined ? 5 : seconds('reuseInterval', options.reuseInterval))
    this.#claim = guard.sessionClaims.includes('sid') ? 'sid' : guard.sessionClaims[0]
    this.#revocable = revocableClaims([this.#claim, USED])
    const keyBytes = options.secret === undefined ? refreshKey(internals.signingKey, 'signingKey') : refreshKey(options.secret)
    // A KeyObject: sign() caches the parsed signer per KeyObject (never per Buffer, which can change).
    this.#key = createSecretKey(keyBytes)
    this.#guard = guard
    this.#clock = internals.clock
    this.#change = internals.change
    this.#issued = internals.issued
    this.#toleranceMs = internals.toleranceMs
    this.#native = native(() => new NativeGuard({ algorithms: ['HS256'], key: keyBytes, typ: TYP, clockTolerance: internals.toleranceMs / 1000, requiredClaims: ['exp', 'iat', 'sub', USED, this.#claim] }, {
      tableId: internals.tableId,
      maxTokenLifetime: this.#lifetimeS,
      sessionClaims: [this.#claim, USED],
      // The family's own marks retire its older refresh tokens: they compare iat,
      // while a session, user or global cut-off compares the session's start.
      rotationClaims: [USED],
    }))
  }

  /** Access lifetime in seconds (what `issue` and `refresh` return as `expiresIn`). */
  get accessLifetime() {
    return this.#accessS
  }

  /**
   * Starts a family: `{ accessToken, refreshToken, session, expiresIn }`.
   * `user` is a sub, or claims with a `sub` (extra claims are carried over into
   * every access token of the family). `session` names the family (default random).
   */
  issue(user, { session, issuer, audience } = {}) {
    const { sub, ...extra } = typeof user === 'string' ? { sub: user } : { ...user }
    if (typeof sub !== 'string' || sub === '') throw invalidOption('user', 'must be a sub or claims with a string `sub`')
    if (session !== undefined && (typeof session !== 'string' || session === '')) throw invalidOption('session', 'must be a non-empty string')
    for (const name of Object.keys(extra)) {
      if (REGISTERED.has(name) || name === this.#claim) throw invalidOption('user', `\`${name}\` is set by issue itself (use the issuer/audience/session options)`)
    }
    return this.#pair({ sub, [this.#claim]: session ?? newId(), iss: issuer, aud: audience, ctx: extra })
  }

  /**
   * Rotates: verifies the refresh token, marks it used (persisted before this
   * resolves) and returns a new pair in the same family. A used token back
   * within the reuse interval gets a sibling pair (two tabs refreshing at once);
   * later, it revokes the family and throws ERR_JWT_REVOKED (reason 'reuse').
   */
  async refresh(token) {
    const now = this.#clock()
    let claims
    try {
      claims = verifyWith(this.#native, now, token, undefined, undefined, this.#revocable)
    } catch (err) {
      // Revocation is checked only after the signature and claims passed: the payload can be trusted.
      if (err.code !== 'ERR_JWT_REVOKED' || err.reason !== 'session') throw err
      return this.#reused(decode(token), now, err)
    }
    return this.#use(claims, now)
  }

  /** Marks `claims`' token used (persisted before this resolves) and returns the family's new pair. */
  async #use(claims, now) {
    // Applied to the table before the first await, so a second refresh with the
    // same token in this process sees it used, however close behind it is.
    const marking = useMarks(claims, now, this.#lifetimeS * 1000 + this.#toleranceMs).map((record) => this.#change(record))
    const pair = this.#pair(claims)
    await Promise.all(marking)
    return pair
  }

  /** A token the family's rotation mark refuses (./family.js refusedAs says what it is). */
  async #reused(claims, now, err) {
    const { as, usedAt } = refusedAs(this.#native, claims, this.#claim, now, this.#reuseMs)
    if (as === 'revoked') throw err
    if (as === 'member') return this.#use(claims, now)
    if (as === 'concurrent') return this.#pair(claims)
    // Used already, and not just now: one of the two holders is not the
    // user's client. Which one cannot be told, so the whole session ends.
    const family = claims[this.#claim]
    // In force before listeners hear of it: one that throws cannot keep the session alive.
    const revoked = this.#guard.revokeSession(family, { claim: this.#claim })
    revoked.catch(() => {}) // awaited below, once the listeners have run
    this.#guard.emit('reuse', { sub: claims.sub, session: family, usedAt })
    await revoked
    const out = new JwtRevokedError('refresh token already used: the session is revoked', { cause: err })
    out.reason = 'reuse'
    throw out
  }

  /** A new access token and refresh token for the family `claims` belongs to. */
  #pair({ sub, iss, aud, ctx, iat, auth_time: authTime = iat, [this.#claim]: family }) {
    const signOptions = { expiresIn: this.#accessS }
    if (iss !== undefined) signOptions.issuer = iss
    if (aud !== undefined) signOptions.audience = aud
    // A pair minted from a refresh token carries the time its session began
    // (issue: none, so its own iat): a ban made before that refresh, on an
    // instance this one has not yet heard from, refuses the new pair once it does.
    const session = authTime === undefined ? {} : { auth_time: authTime }
    const accessToken = this.#guard.sign({ ...ctx, sub, [this.#claim]: family, ...session }, signOptions)
    // Never born revoked: issue at or after a cut-off made within the last second (as Guard.sign does).
    const floor = this.#native.cutoffFor(sub, [[this.#claim, family], [USED, family]])
    const clock = () => {
      const now = this.#clock()
      const iat = floor > now && floor - now <= 1000 ? floor : now
      // A revocation made later in this millisecond must still refuse it (lib/guard/revocations.js #cutoff).
      this.#issued(iat)
      return iat
    }
    const claims = { sub, [this.#claim]: family, [USED]: family, ...session }
    if (ctx !== undefined && Object.keys(ctx).length > 0) claims.ctx = ctx
    const refreshToken = sign(sessionBefore(claims, clock), this.#key, {
      ...signOptions, expiresIn: this.#lifetimeS, header: { typ: TYP }, clock,
    })
    return { accessToken, refreshToken, session: family, expiresIn: this.#accessS }
  }
}

module.exports = { RefreshTokens }
