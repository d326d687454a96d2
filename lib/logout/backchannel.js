'use strict'

const { invalidOption } = require('../errors')
const { Verifier } = require('../verifier')

// OpenID Connect Back-Channel Logout 1.0 §2.4: the member of `events` that
// makes a JWT a logout token.
const EVENT = 'http://schemas.openid.net/event/backchannel-logout'
const OPTIONS = new Set(['issuer', 'audience', 'key', 'jwks', 'algorithms', 'sessionClaim', 'clockTolerance', 'maxAge'])
// jti values remembered against replay, each until its token's exp.
const SEEN_MAX = 100_000

/** A refused logout token: the 400 answer's `error_description`. */
class LogoutTokenError extends Error {
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'LogoutTokenError'
    this.code = 'ERR_LOGOUT_TOKEN'
  }
}

/**
 * Verifies logout tokens (§2.6) and revokes what they name in `guard`:
 * `sid` → that session (the access tokens whose `sessionClaim` carries it),
 * `sub` alone → every session of the user. `keys` is how the Guard was
 * given its keys ({ key } or { jwks } or { issuers }), used when `options`
 * names none.
 */
class BackchannelLogout {
  #guard
  #verifier
  #ready = null
  #sessionClaim
  #seen = new Map() // jti -> exp (ms)
  #clock

  constructor(guard, keys, options) {
    if (!options || typeof options !== 'object') throw invalidOption('backchannelLogout', 'needs { issuer, audience }')
    for (const name of Object.keys(options)) if (!OPTIONS.has(name)) throw invalidOption(name, 'is not a backchannelLogout option')
    const { issuer, audience } = options
    if (typeof issuer !== 'string' || issuer === '') throw invalidOption('issuer', 'is required: the provider whose logout tokens are accepted')
    if (audience === undefined) throw invalidOption('audience', 'is required: your client_id at the provider')
    // User and session cut-offs are keyed by sub and sid alone, across issuers:
    // with several issuers, one provider's logout token would end another
    // provider's sessions of the same sub or sid.
    if (keys.issuers && Object.keys(keys.issuers).length > 1) {
      throw invalidOption('backchannelLogout', 'is refused on a Guard with several issuers: user and session cut-offs are not scoped by issuer, so one provider could log out another provider\'s users; open one Guard per provider to use back-channel logout')
    }
    this.#sessionClaim = options.sessionClaim ?? 'sid'
    if (!guard.sessionClaims.includes(this.#sessionClaim)) {
      throw invalidOption('sessionClaim', `\`${this.#sessionClaim}\` is not one of the Guard's sessionClaims (${guard.sessionClaims.join(', ')})`)
    }
    this.#guard = guard
    this.#clock = keys.clock ?? (() => Date.now())
    // A plain Verifier, not the Guard: a logout token is not an access token,
    // and the revocations it asks for must not refuse it.
    this.#verifier = new Verifier({
      algorithms: options.algorithms ?? keys.algorithms,
      ...keySource(issuer, keys, options),
      issuer,
      audience,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
      clockTolerance: options.clockTolerance ?? keys.clockTolerance,
      maxAge: options.maxAge,
      clock: this.#clock,
      cache: 0,
    })
  }

  /** Verifies and revokes; rejects with a LogoutTokenError for any refused token, else with the store's error. */
  async handle(token) {
    if (typeof token !== 'string' || token === '') throw new LogoutTokenError('the logout_token parameter is missing')
    this.#ready ??= this.#verifier.ready().catch((err) => { this.#ready = null; throw err })
    await this.#ready
    let result
    try {
      result = await this.#verifier.verifyAsync(token, { complete: true })
    } catch (err) {
      throw new LogoutTokenError(`the logout token is invalid (${err.code})`, err)
    }
    const { header, payload: c } = result
    check(header, c)
    this.#replay(c)
    // The cut-off is the logout token's own iat (rounded up to its second):
    // the provider's clock, the one its access tokens carry, so a replayed
    // logout token can never end a session that began after it.
    const before = (Math.floor(c.iat) + 1) * 1000
    if (typeof c.sid === 'string') await this.#guard.revokeSession(c.sid, { claim: this.#sessionClaim, before })
    else await this.#guard.revokeUser(c.sub, { before })
  }

  close() {
    this.#verifier.close()
  }

  #replay(c) {
    const now = this.#clock()
    if (this.#seen.has(c.jti)) throw new LogoutTokenError('the logout token was already used (jti)')
    if (this.#seen.size >= SEEN_MAX) {
      for (const [jti, exp] of this.#seen) if (exp <= now) this.#seen.delete(jti)
      if (this.#seen.size >= SEEN_MAX) this.#seen.delete(this.#seen.keys().next().value)
    }
    this.#seen.set(c.jti, c.exp * 1000)
  }
}

/** §2.6 steps 3-6, after the signature and iss/aud/iat/exp checks. */
function check(header, c) {
  // RFC 8417 §2.3 / §2.4: explicit typing; only checked when present.
  if (header.typ !== undefined && String(header.typ).toLowerCase().replace(/^application\//, '') !== 'logout+jwt') {
    throw new LogoutTokenError('the typ header is not logout+jwt')
  }
  const events = c.events
  if (events === null || typeof events !== 'object' || Array.isArray(events) || events[EVENT] === null || typeof events[EVENT] !== 'object') {
    throw new LogoutTokenError(`the events claim has no ${EVENT} member`)
  }
  if ('nonce' in c) throw new LogoutTokenError('a logout token must not carry a nonce')
  const sub = typeof c.sub === 'string' && c.sub !== ''
  const sid = typeof c.sid === 'string' && c.sid !== ''
  if (!sub && !sid) throw new LogoutTokenError('a logout token names a sub, a sid or both')
  if ((c.sub !== undefined && !sub) || (c.sid !== undefined && !sid)) throw new LogoutTokenError('sub and sid must be non-empty strings')
  if (typeof c.jti !== 'string' || c.jti === '' || c.jti.length > 1024) throw new LogoutTokenError('jti must be a non-empty string')
  if (!Number.isFinite(c.iat)) throw new LogoutTokenError('iat must be a number')
}

/** The keys logout tokens are checked with: the options', else the Guard's for this issuer. */
function keySource(issuer, keys, options) {
  if (options.key !== undefined) return { key: options.key }
  if (options.jwks !== undefined) return { jwks: options.jwks }
  if (keys.issuers !== undefined) {
    const own = keys.issuers[issuer]
    if (own === undefined) throw invalidOption('issuer', 'is not one of the Guard\'s issuers')
    return { jwks: own.jwks ?? { issuer } }
  }
  if (keys.jwks !== undefined) return { jwks: keys.jwks }
  return { key: keys.key }
}

module.exports = { BackchannelLogout, LogoutTokenError, EVENT }
