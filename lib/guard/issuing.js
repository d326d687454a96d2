'use strict'

const { invalidOption } = require('../errors')
const { verifyWith } = require('../verifier')
const { signingConfig, issueToken } = require('../issue')
const { RefreshTokens } = require('../lifecycle/refresh')
const { GroupSlowPath } = require('../lifecycle/recheck')

/**
 * What a Guard issues: tokens (`sign`, lib/issue.js), refresh-token families
 * (`issue`, `refresh`: lib/lifecycle/refresh.js) and the fresh tokens of the
 * group slow path (`recheck`: lib/lifecycle/recheck.js).
 */
class Issuing {
  #guard
  #native
  #clock
  #signing
  #lifetimeMs
  #revocations
  #refresh
  #slowPath

  /**
   * `guard` gives its public face (verify, sign, emit, revokeSession,
   * sessionClaims, allowList, read at each call); `parts`: the Guard's
   * `config` (lib/guard/config.js), its `native` object and result `cache`,
   * the check of its verified claims (`revocable`, lib/claim-keys.js) and its
   * `revocations` (./revocations.js).
   */
  constructor(guard, options, { config, native, cache, revocable, revocations }) {
    const { clock, store, lifetimeMs, toleranceMs } = config
    this.#guard = guard
    this.#native = native
    this.#clock = clock
    this.#lifetimeMs = lifetimeMs
    this.#revocations = revocations
    this.#signing = signingConfig(options, config.key)
    // Refresh tokens: on unless `refresh: false`, only with a signing key, and only with a
    // session claim to revoke a family by (a Guard that checks none could not end one).
    this.#refresh = options.refresh === false || (!this.#signing && options.refresh?.secret === undefined) ||
      guard.sessionClaims.length === 0 ? null
      : new RefreshTokens(guard, options.refresh, {
        clock, tableId: store.id, signingKey: this.#signing?.key, maxTokenLifetimeMs: lifetimeMs, toleranceMs,
        change: (record) => revocations.change(record), issued: (iatMs) => revocations.issued(iatMs),
      })
    this.#slowPath = new GroupSlowPath(config.groups, {
      verify: (token) => guard.verify(token),
      quietVerify: (token) => verifyWith(native, clock(), token, undefined, cache, revocable),
      revocable,
      native: () => native,
      clock: () => clock(),
      sign: (claims, signOptions) => guard.sign(claims, signOptions),
    })
  }

  /** Guard#sign: a token (iat to the millisecond, random jti, exp defaulting to maxTokenLifetime); recorded in allow-list mode. */
  sign(claims, options) {
    const token = issueToken({
      native: this.#native, sessionClaims: this.#guard.sessionClaims, signing: this.#signing, clock: this.#clock, lifetimeMs: this.#lifetimeMs,
      issued: (iat) => this.#revocations.issued(iat),
    }, claims, options)
    if (this.#guard.allowList) this.#revocations.allow(token)
    return token
  }

  recheck(token) {
    return this.#slowPath.recheck(token)
  }

  /** The refresh tokens, or a coded error when they are off. */
  get refresh() {
    if (!this.#refresh) {
      throw invalidOption('refresh', 'is off (`refresh: false`; no signing key to derive its key from: give refresh.secret; ' +
        'or `sessionClaims: []`, which leaves no claim to revoke a refresh family by)')
    }
    return this.#refresh
  }
}

module.exports = { Issuing }
