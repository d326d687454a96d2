'use strict'

const { NativeVerifier } = require('../binding')
const { native, fromNative, invalidOption, JwtMalformedError, JwtExpiredError, JwtNotBeforeError } = require('./errors')
const { verificationKey } = require('./keys')
const { checkVerifierOptions } = require('./options')

/**
 * Configure once, verify many times: every option and key is checked here,
 * and `verify` does no option work. See index.d.ts for each option.
 */
class Verifier {
  #native
  #clock

  constructor(options) {
    const { clock, native: opts } = checkVerifierOptions(options)
    const key = options.key === undefined ? options.secret : options.key
    if (key === undefined) throw invalidOption('key', 'is required (or its alias `secret`)')
    this.#clock = clock
    this.#native = native(() => new NativeVerifier({ ...opts, ...verificationKey(key) }))
  }

  /** Returns the claims, or `{ header, payload, signature }` with `complete: true`; throws a JwtError. */
  verify(token, options) {
    return verifyWith(this.#native, this.#clock(), token, options)
  }
}

/** The one call per request into the addon, shared by Verifier and Guard. */
function verifyWith(native, nowMs, token, options) {
  if (typeof token !== 'string') throw new JwtMalformedError('the token must be a string')
  const complete = options !== undefined && options.complete === true
  let out
  try {
    out = complete ? native.verifyComplete(token, nowMs) : native.verify(token, nowMs)
  } catch (err) {
    throw withDates(fromNative(err), token)
  }
  if (!complete) return JSON.parse(out)
  return { header: JSON.parse(out[0]), payload: JSON.parse(out[1]), signature: token.slice(token.lastIndexOf('.') + 1) }
}

/** Adds `expiredAt` / `date` like jsonwebtoken does; the signature has already verified. */
function withDates(err, token) {
  if (err instanceof JwtExpiredError || err instanceof JwtNotBeforeError) {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
    if (err instanceof JwtExpiredError) err.expiredAt = new Date(claims.exp * 1000)
    else err.date = new Date(claims.nbf * 1000)
  }
  return err
}

module.exports = { Verifier, verifyWith }
