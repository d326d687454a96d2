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

// One class per code the core decides (src/core/error.rs), named after it:
// ERR_JWT_NOT_BEFORE is JwtNotBeforeError, whose static `code` it is.
const CODES = ['MALFORMED', 'TOO_LARGE', 'ALGORITHM', 'KEY', 'SIGNATURE', 'EXPIRED', 'NOT_BEFORE', 'MAX_AGE',
  'CLAIM', 'CRIT', 'INVALID_OPTION', 'REVOKED']
const classes = {} // by code
const named = {} // by class name
for (const suffix of CODES) {
  const code = `ERR_JWT_${suffix}`
  const name = `Jwt${suffix.toLowerCase().replace(/(?:^|_)(\w)/g, (_, c) => c.toUpperCase())}Error`
  classes[code] = named[name] = { [name]: class extends JwtError { static code = code } }[name]
}

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
  return new named.JwtInvalidOptionError(`invalid option \`${name}\`: ${why}`, { claim: name })
}

module.exports = {
  JwtError,
  ...named,
  fromNative,
  native,
  invalidOption,
}
