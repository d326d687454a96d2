'use strict'

/**
 * Every failure has a stable `code`, decided in Rust and carried here. Test
 * codes, not prototypes: under Jest, native errors are not `instanceof Error`.
 */
class JwtError extends Error {
  static code = 'ERR_JWT'

  constructor(message, { claim, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = this.constructor.name
    this.code = this.constructor.code
    if (claim !== undefined) this.claim = claim
  }
}

const classes = {}
function define(name, code) {
  const cls = { [name]: class extends JwtError { static code = code } }[name]
  classes[code] = cls
  return cls
}

const JwtMalformedError = define('JwtMalformedError', 'ERR_JWT_MALFORMED')
const JwtTooLargeError = define('JwtTooLargeError', 'ERR_JWT_TOO_LARGE')
const JwtAlgorithmError = define('JwtAlgorithmError', 'ERR_JWT_ALGORITHM')
const JwtKeyError = define('JwtKeyError', 'ERR_JWT_KEY')
const JwtSignatureError = define('JwtSignatureError', 'ERR_JWT_SIGNATURE')
const JwtExpiredError = define('JwtExpiredError', 'ERR_JWT_EXPIRED')
const JwtNotBeforeError = define('JwtNotBeforeError', 'ERR_JWT_NOT_BEFORE')
const JwtMaxAgeError = define('JwtMaxAgeError', 'ERR_JWT_MAX_AGE')
const JwtClaimError = define('JwtClaimError', 'ERR_JWT_CLAIM')
const JwtCritError = define('JwtCritError', 'ERR_JWT_CRIT')
const JwtInvalidOptionError = define('JwtInvalidOptionError', 'ERR_JWT_INVALID_OPTION')
const JwtRevokedError = define('JwtRevokedError', 'ERR_JWT_REVOKED')

// The contract's separator. This file loads without the addon, so lib/contract.js
// hands it over when it loads (before any native error can arrive through the
// product's entry points); a require in fromNative is the fallback, kept out of
// the usual path because a require after Jest's teardown (a late timer) fails the run.
let separator
const useSeparator = (value) => { separator = value }

/**
 * Turns an error thrown by the addon into the JwtError subclass for its code.
 * napi builds a native error from a code and a message only, so Rust packs
 * the claim (or a revocation's reason) in front of the message behind the
 * contract's separator; it is taken apart here, once, and the native error
 * (kept as `cause`) gets the plain message and the same property, so the
 * packed text never reaches a user's log.
 */
function fromNative(err) {
  if (err instanceof JwtError) return err // already ours (a JS check inside native()): keep its claim
  const cls = classes[err && err.code]
  if (!cls) return err
  separator ??= require('./contract').errorSeparator
  const raw = String(err.message)
  const at = raw.indexOf(separator)
  const claim = at === -1 ? undefined : raw.slice(0, at)
  const message = at === -1 ? raw : raw.slice(at + 1)
  // For a revoked token the slot carries why: 'user', 'token', 'session', 'global' or 'not_allowed'.
  const slot = cls === JwtRevokedError ? 'reason' : 'claim'
  err.message = message
  if (claim !== undefined) err[slot] = claim
  const out = new cls(message, { claim: slot === 'claim' ? claim : undefined, cause: err })
  if (slot === 'reason') out.reason = claim
  return out
}

/** Runs `fn`, rethrowing addon errors as JwtErrors. */
function native(fn) {
  try {
    return fn()
  } catch (err) {
    throw fromNative(err)
  }
}

function invalidOption(name, why) {
  return new JwtInvalidOptionError(`invalid option \`${name}\`: ${why}`, { claim: name })
}

module.exports = {
  JwtError,
  JwtMalformedError,
  JwtTooLargeError,
  JwtAlgorithmError,
  JwtKeyError,
  JwtSignatureError,
  JwtExpiredError,
  JwtNotBeforeError,
  JwtMaxAgeError,
  JwtClaimError,
  JwtCritError,
  JwtInvalidOptionError,
  JwtRevokedError,
  fromNative,
  native,
  invalidOption,
  useSeparator,
}
