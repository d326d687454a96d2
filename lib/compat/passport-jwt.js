'use strict'

// `require('revocable/passport-jwt')`: a drop-in for passport-jwt 4.0.1.
// Same Strategy options, checks, TypeErrors and failure messages (through
// revocable's jsonwebtoken drop-in); with the `guard` option, a Guard
// verifies the token and checks revocation in one native call (one call of
// the authentication core), so a revoked token fails before `verify` runs.
const jwt = require('./jsonwebtoken')
const ExtractJwt = require('./passportjwt/extract')
const { jsonWebTokenError } = require('./expressjwt/guard')
const { compile } = require('../middleware/options')
const { authenticateToken, isThenable, sendHeaders } = require('../middleware/core')

const CORE = { what: 'passport-jwt Strategy', common: ['rotate'], errorModes: ['respond'], extra: {}, nested: false }
// jsonwebtoken options a Guard already holds: beside `guard` they would silently not apply.
const GUARD_HOLDS = ['issuer', 'audience', 'algorithms', 'ignoreExpiration', 'jsonWebTokenOptions', 'secretOrKey', 'secretOrKeyProvider']

/** What passport-jwt's callers see for a Guard's refusal: jsonwebtoken's error, revocable's code and reason. */
function guardError(err) {
  if (err.code === 'ERR_JWT_REVOKED') {
    const out = new jwt.JsonWebTokenError('jwt revoked', err)
    out.code = err.code
    out.reason = err.reason
    return out
  }
  return jsonWebTokenError(err, jwt)
}

function checkGuard(options) {
  const { guard } = options
  if (guard === null || typeof guard !== 'object' || typeof guard.verify !== 'function') {
    throw new TypeError('JwtStrategy: `guard` must be a revocable Guard (`await revocable.open(...)`)')
  }
  const held = GUARD_HOLDS.find((name) => options[name] !== undefined)
  if (held !== undefined) throw new TypeError(`JwtStrategy: \`${held}\` cannot be combined with \`guard\`: the Guard's own options and keys apply`)
  return compile(guard, options.rotate === undefined ? {} : { rotate: options.rotate }, CORE)
}

/**
 * passport-jwt's Strategy: `new Strategy(options, verify)`; passport (and
 * @nestjs/passport's PassportStrategy mixin) call `authenticate(req)` with
 * success/fail/error attached to the instance.
 */
class Strategy {
  constructor(options, verify) {
    this.name = 'jwt'
    if (options.guard !== undefined) {
      this._core = checkGuard(options)
    } else {
      this._secretOrKeyProvider = options.secretOrKeyProvider
      if (options.secretOrKey) {
        if (this._secretOrKeyProvider) throw new TypeError('JwtStrategy has been given both a secretOrKey and a secretOrKeyProvider')
        this._secretOrKeyProvider = (request, rawJwtToken, done) => done(null, options.secretOrKey)
      }
      if (!this._secretOrKeyProvider) throw new TypeError('JwtStrategy requires a secret or key')
    }
    this._verify = verify
    if (!this._verify) throw new TypeError('JwtStrategy requires a verify callback')
    this._jwtFromRequest = options.jwtFromRequest
    if (!this._jwtFromRequest) throw new TypeError('JwtStrategy requires a function to retrieve jwt from requests (see option jwtFromRequest)')
    this._passReqToCallback = options.passReqToCallback
    // As passport-jwt: audience / issuer / algorithms / ignoreExpiration on the options override jsonWebTokenOptions.
    this._verifOpts = Object.assign({}, options.jsonWebTokenOptions || {}, {
      audience: options.audience,
      issuer: options.issuer,
      algorithms: options.algorithms,
      ignoreExpiration: !!options.ignoreExpiration,
    })
  }

  authenticate(req) {
    const token = this._jwtFromRequest(req)
    if (!token) return this.fail(new Error('No auth token'))
    if (this._core !== undefined) return this._withGuard(req, token)
    this._secretOrKeyProvider(req, token, (secretOrKeyError, secretOrKey) => {
      if (secretOrKeyError) return this.fail(secretOrKeyError)
      Strategy.JwtVerifier(token, secretOrKey, this._verifOpts, (jwtErr, payload) => {
        if (jwtErr) return this.fail(jwtErr)
        this._callVerify(req, payload)
      })
    })
  }

  _withGuard(req, token) {
    const settle = (outcome) => {
      if (outcome.error !== undefined) return this.fail(guardError(outcome.error.cause ?? outcome.error))
      // A fresh token (group slow path, rotation) needs a response: Express gives req.res.
      const res = outcome.headers === null ? undefined : req.res
      if (res && typeof res.append === 'function') sendHeaders(outcome, (name, value) => res.append(name, value))
      else if (res && typeof res.setHeader === 'function') sendHeaders(outcome, (name, value) => res.setHeader(name, value))
      this._callVerify(req, outcome.claims)
    }
    const outcome = authenticateToken(this._core, token)
    if (isThenable(outcome)) outcome.then(settle).catch((err) => this.error(err))
    else settle(outcome)
  }

  _callVerify(req, payload) {
    const verified = (err, user, info) => {
      if (err) return this.error(err)
      if (!user) return this.fail(info)
      return this.success(user, info)
    }
    try {
      if (this._passReqToCallback) this._verify(req, payload, verified)
      else this._verify(payload, verified)
    } catch (ex) {
      this.error(ex)
    }
  }
}

/** Replaceable in tests, as in passport-jwt: (token, secretOrKey, options, callback). */
Strategy.JwtVerifier = (token, secretOrKey, options, callback) => jwt.verify(token, secretOrKey, options, callback)

module.exports = { Strategy, ExtractJwt }
