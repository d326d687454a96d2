'use strict'

const { JwtClaimError } = require('./errors')
const { keyProblem, idsFit, tokenKey, sessionKey, MAX_KEY_BYTES } = require('./records')

// A Guard accepts only tokens it could revoke one by one. A sub, a session
// claim or an (iss, jti) is revoked by a record keyed by it, and a record key
// has bounds every store can hold (lib/records.js: 2,048 UTF-8 bytes, no
// U+0000). A verified token naming a value past them could be ended by
// nothing but revokeAll: whoever chose the value (a sign-up form, a device
// id) would hold a token no ban reaches. So a Guard refuses it at verify, as
// a claim it cannot accept (ERR_JWT_CLAIM, `claim` naming it), where jose and
// jsonwebtoken, which revoke nothing, accept any size (and so does a Verifier).

/**
 * The claim of `claims` that no revocation could name (its record key would
 * be refused), or null. Values of another type are the claim rules' business.
 */
function unrevocableClaim(claims, sessionClaims) {
  const { sub, jti, iss = '' } = claims
  if (typeof sub === 'string' && keyProblem(sub) !== null) return 'sub'
  if (typeof jti === 'string' && typeof iss === 'string' && !(idsFit(iss, jti) && pairFits(iss, jti, tokenKey))) {
    return iss.length > jti.length ? 'iss' : 'jti'
  }
  for (const name of sessionClaims) {
    const value = claims[name]
    if (typeof value === 'string' && !pairFits(name, value, sessionKey)) return name
  }
  return null
}

// A token or session key is the JSON text of a pair, which escapes U+0000 and
// lone surrogates: only its length can be refused. At most 6 bytes of UTF-8
// per UTF-16 unit (an escape), plus 7 for the brackets, quotes and comma.
const pairFits = (a, b, keyOf) => (a.length + b.length) * 6 + 7 <= MAX_KEY_BYTES || keyProblem(keyOf(a, b)) === null

// Claims whose JSON text is no longer than this name no value whose record key
// could pass MAX_KEY_BYTES: each UTF-16 unit of the text is at most 3 bytes of
// UTF-8, plus the key's own brackets and quotes. Most tokens' claims are shorter.
const SURELY_FITS = Math.floor(MAX_KEY_BYTES / 3) - 32

/**
 * The check a Guard runs on the claims' JSON text of every token it verifies
 * (before the result is cached, so a cached token was checked): throws
 * ERR_JWT_CLAIM for a token no revocation could name. Parses only long text,
 * or text holding an escaped U+0000.
 */
function revocableClaims(sessionClaims) {
  return (text) => {
    if (text.length <= SURELY_FITS && !text.includes('\\u0000')) return
    const claim = unrevocableClaim(JSON.parse(text), sessionClaims)
    if (claim !== null) {
      throw new JwtClaimError(`\`${claim}\` is too long to be revoked (over ${MAX_KEY_BYTES} bytes of UTF-8 in its record) or holds U+0000: a Guard refuses a token no revocation could name`, { claim })
    }
  }
}

module.exports = { unrevocableClaim, revocableClaims }
