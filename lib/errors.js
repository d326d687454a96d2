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

/**
 * Turns an error thrown by the addon into the JwtError subclass for its code.
 * The native error carries its detail as properties set in Rust
 * (src/binding/error.rs): `code`, a clean `message`, and `claim` (the claim or
 * option at fault) or, for a revoked token, `reason` ('user', 'token',
 * 'session', 'global', 'group' or 'not_allowed'). It stays as `cause`.
 */
function fromNative(err) {
  if (err instanceof JwtError) return err // already ours (a JS check inside native()): keep its claim
  const cls = classes[err && err.code]
  if (!cls) return err
  const out = new cls(err.message, { claim: err.claim, cause: err })
  if (err.reason !== undefined) out.reason = err.reason
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
}
