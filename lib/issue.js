'use strict'

const { KeyObject } = require('node:crypto')
const { invalidOption, JwtClaimError } = require('./errors')
const { unrevocableClaim } = require('./claim-keys')
const { signingKey, isPem } = require('./keys')
const { sign, fixedKey } = require('./sign')
const { sessionBefore } = require('./lifecycle/session')

/**
 * How a Guard signs: `signingKey`, else its own key when that is an HMAC
 * secret; null when it can only verify (an asymmetric or JWK key).
 */
function signingConfig(options, key) {
  const algorithm = options.signingAlgorithm ?? options.algorithms[0]
  if (options.signingKey !== undefined) {
    signingKey(options.signingKey, 'signingKey') // refuses a short HMAC secret under its own name
    return { key: fixedKey(options.signingKey), algorithm }
  }
  const isSecret = (typeof key === 'string' || key instanceof Uint8Array) ? !isPem(Buffer.from(key).toString('latin1'))
    : key instanceof KeyObject && key.type === 'secret'
  return isSecret && algorithm.startsWith('HS') ? { key: fixedKey(key), algorithm } : null
}

/**
 * The issue-time rule: a token is issued at or after any cut-off already
 * covering it, so one signed in the same millisecond as a revocation it should
 * survive is not born revoked (a cut-off set deliberately in the future still
 * refuses tokens until then: no bump that far). `issued(iatMs)` hears each iat.
 */
function issueToken({ native, sessionClaims, signing, clock, lifetimeMs, issued }, claims, options) {
  if (!signing) throw invalidOption('signingKey', 'is needed to sign with an asymmetric or JWK verification key')
  const c = claims || {}
  const sessions = sessionClaims.filter((n) => typeof c[n] === 'string').map((n) => [n, c[n]])
  const sub = options.subject ?? c.sub
  // A token its own Guard would refuse at verify (lib/claim-keys.js) is refused here, where the caller can fix it.
  // One pass over what the token will carry: the options' sub/jti/iss win over the claims', as sign() sets them.
  const named = { sub, jti: options.jwtid ?? c.jti, iss: options.issuer ?? c.iss }
  for (const [name, value] of sessions) named[name] ??= value
  const unrevocable = unrevocableClaim(named, sessionClaims)
  if (unrevocable !== null) {
    throw new JwtClaimError(`cannot sign: \`${unrevocable}\` is too long to be revoked or holds U+0000, and a Guard refuses such a token`, { claim: unrevocable })
  }
  const floor = native.cutoffFor(typeof sub === 'string' ? sub : undefined, sessions)
  const now = options.clock || clock
  const issue = () => {
    const t = now()
    const iat = floor > t && floor - t <= 1000 ? floor : t
    issued(iat)
    return iat
  }
  const opts = { algorithm: signing.algorithm, ...options, clock: issue }
  if (opts.expiresIn === undefined && c.exp === undefined) opts.expiresIn = lifetimeMs / 1000
  return sign(sessionBefore(claims, issue), signing.key, opts)
}

module.exports = { signingConfig, issueToken }
