'use strict'

const { invalidOption } = require('../errors')
const { reissuable } = require('../lifecycle/groups')

const OPTIONS = new Set(['every', 'graceMs', 'header', 'cookie', 'clock'])
const COOKIE_OPTIONS = new Set(['name', 'path', 'domain', 'sameSite', 'secure', 'httpOnly'])

/**
 * Rotation every N uses (`auth.express({ rotate: { every, graceMs, header, cookie } })`):
 * the middleware counts the uses of each token by (iss, jti); the Nth use gets
 * a fresh token (same claims, same lifetime) in a response header and/or
 * cookie, and the old token is revoked `graceMs` later, so requests already in
 * flight with it still pass. Until then, every use of the old token is answered
 * with the same fresh token, for a client that missed it.
 *
 * Counts and pending revocations live in this process only: with several
 * instances each counts its own share of the uses, and a process that stops
 * during a grace period leaves that old token valid until its exp. The grace
 * cannot be stored as a revocation made now: every rule compares the token's
 * `iat` to a cut-off (or lists its jti), never the time of the request, so
 * any entry written now refuses the old token now.
 */
class Rotation {
  #guard
  #every
  #graceMs
  #header
  #cookie
  #clock
  #uses = new Map() // JSON [iss, jti] → { uses, exp, fresh }
  #pending = [] // { due, key, claims }, in due order (graceMs is fixed)
  #timer = null
  #sweepAt = 1024

  constructor(guard, options) {
    if (guard === null || typeof guard !== 'object' || typeof guard.sign !== 'function' || typeof guard.revokeToken !== 'function') {
      throw invalidOption('rotate', 'needs a Guard (auth.express / auth.koa): it signs the fresh token and revokes the old one')
    }
    if (options === null || typeof options !== 'object') throw invalidOption('rotate', 'must be an object { every, graceMs, header, cookie }')
    for (const name of Object.keys(options)) {
      if (!OPTIONS.has(name)) throw invalidOption(`rotate.${name}`, 'is not a rotate option (every, graceMs, header, cookie, clock)')
    }
    const { every, graceMs = 30_000, header = 'x-access-token', cookie, clock = () => Date.now() } = options
    if (!Number.isInteger(every) || every < 1) throw invalidOption('rotate.every', 'must be an integer of at least 1 (uses before a fresh token)')
    if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) throw invalidOption('rotate.graceMs', 'must be a number of milliseconds')
    if (header !== false && (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header))) {
      throw invalidOption('rotate.header', 'must be a header name, or false')
    }
    if (typeof clock !== 'function') throw invalidOption('rotate.clock', 'must be a function returning milliseconds')
    this.#cookie = cookie === undefined ? null : cookieConfig(cookie)
    if (header === false && this.#cookie === null) throw invalidOption('rotate', 'needs a header or a cookie to hand the fresh token out')
    this.#guard = guard
    this.#every = every
    this.#graceMs = graceMs
    this.#header = header
    this.#clock = clock
  }

  /**
   * Counts one authenticated use of `claims`; when a fresh token is due (or
   * already issued for this one), hands it out through `append(name, value)`
   * (Express res.append, Koa ctx.append).
   */
  use(claims, append) {
    const now = this.#clock()
    if (typeof claims.jti !== 'string' || !Number.isFinite(claims.exp) || !Number.isFinite(claims.iat)) return
    const key = JSON.stringify([claims.iss ?? '', claims.jti])
    let entry = this.#uses.get(key)
    if (entry === undefined) {
      if (this.#uses.size >= this.#sweepAt) this.#sweep(now)
      entry = { uses: 0, exp: claims.exp, fresh: undefined }
      this.#uses.set(key, entry)
    }
    if (entry.fresh === undefined) {
      if (++entry.uses < this.#every) return
      entry.fresh = this.#reissue(claims)
      this.#pending.push({ due: now + this.#graceMs, key, claims })
      this.#arm(now)
    }
    this.#handOut(entry.fresh, claims, append)
  }

  #reissue(claims) {
    // Same lifetime as the token it replaces, in whole seconds rounded up: exp is
    // whole seconds, so anything less would shorten the lifetime at every rotation.
    return this.#guard.sign(reissuable(claims), { expiresIn: Math.max(1, Math.ceil(claims.exp - claims.iat)) })
  }

  #handOut(token, claims, append) {
    if (this.#header !== false) {
      append(this.#header, token)
      // A cross-origin page may read the header only if it is exposed (CORS).
      append('Access-Control-Expose-Headers', this.#header)
    }
    if (this.#cookie !== null) {
      const c = this.#cookie
      // Never longer than the token lives (exp is whole seconds, iat has milliseconds).
      const maxAge = Math.max(1, Math.floor(claims.exp - claims.iat))
      append('Set-Cookie', `${c.name}=${token}; Max-Age=${maxAge}; Path=${c.path}${c.domain ? `; Domain=${c.domain}` : ''}`
        + `${c.httpOnly ? '; HttpOnly' : ''}${c.secure ? '; Secure' : ''}; SameSite=${c.sameSite}`)
    }
  }

  /** `verifier` with the grace periods that have ended enforced before each verify. */
  before(verifier) {
    const wrapped = { verify: (token) => { this.flush(); return verifier.verify(token) } }
    // The Guard's other hooks the middleware looks for (group epochs' recheck) stay reachable.
    if (typeof verifier.recheck === 'function') wrapped.recheck = (token) => verifier.recheck(token)
    if (typeof verifier.verifyAsync === 'function') wrapped.verifyAsync = (token) => verifier.verifyAsync(token)
    return wrapped
  }

  /** Revokes every old token whose grace period has ended by `now`. Runs on each request and on a timer. */
  flush(now = this.#clock()) {
    while (this.#pending.length > 0 && this.#pending[0].due <= now) {
      const { key, claims } = this.#pending.shift()
      this.#uses.delete(key)
      try {
        // The table refuses it at once; a store failure is retried and reported by the Guard itself.
        this.#guard.revokeToken({ iss: claims.iss, jti: claims.jti, exp: claims.exp }).catch(() => {})
      } catch {
        // The Guard is closed: nothing left to protect in this process.
      }
    }
  }

  #arm(now) {
    if (this.#timer !== null || this.#pending.length === 0) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.flush()
      this.#arm(this.#clock())
    }, Math.max(0, this.#pending[0].due - now))
    // Never keeps the process alive: a pending revocation dies with the process (see above).
    this.#timer.unref()
  }

  /** Forgets counts of expired tokens, so the map holds live tokens only. */
  #sweep(now) {
    for (const [key, entry] of this.#uses) if (entry.exp * 1000 < now && entry.fresh === undefined) this.#uses.delete(key)
    this.#sweepAt = Math.max(1024, this.#uses.size * 2)
  }
}

function cookieConfig(cookie) {
  const c = typeof cookie === 'string' ? { name: cookie } : cookie
  if (c === null || typeof c !== 'object' || typeof c.name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(c.name)) {
    throw invalidOption('rotate.cookie', 'must be a cookie name or { name, path, domain, sameSite, secure, httpOnly }')
  }
  for (const name of Object.keys(c)) if (!COOKIE_OPTIONS.has(name)) throw invalidOption(`rotate.cookie.${name}`, 'is not a cookie option')
  const { path = '/', domain, sameSite = 'Lax', secure = false, httpOnly = true } = c
  for (const [name, value] of [['path', path], ['domain', domain ?? '']]) {
    if (typeof value !== 'string' || /[;\s]/.test(value)) throw invalidOption(`rotate.cookie.${name}`, 'must be a string without ";" or spaces')
  }
  if (!['Strict', 'Lax', 'None'].includes(sameSite)) throw invalidOption('rotate.cookie.sameSite', "must be 'Strict', 'Lax' or 'None'")
  return { name: c.name, path, domain, sameSite, secure: secure === true, httpOnly: httpOnly !== false }
}

/** The rotation of a middleware, or null when its options have no `rotate`. */
function compileRotate(verifier, rotate) {
  return rotate === undefined ? null : new Rotation(verifier, rotate)
}

module.exports = { compileRotate, Rotation }
