'use strict'

const { unrevocableClaim } = require('./claim-keys')

// Claims whose revocation no rule can decide: no numeric iat or exp, a life
// longer than maxTokenLifetime, a sub/iss/jti or session claim of the wrong
// type, or one no revocation could name (lib/claim-keys.js). Fail closed: they
// are reported as revoked, under this reason.
const UNDECIDABLE = 'claims'
// auth_time: user, session and global cut-offs compare the session's start (DESIGN.md).
const REGISTERED = ['iss', 'sub', 'jti', 'iat', 'exp', 'auth_time']

/**
 * `auth.isRevoked(claims)` for claims another library verified (jose,
 * @fastify/jwt, express-jwt, koa-jwt): false, or why the Guard refuses them
 * ('user', 'session', 'token', 'global', 'not_allowed', 'group', 'claims').
 * Only the claims the rules read cross into Rust, where the rules live
 * (src/core/guard.rs check_claims); no signature or time is checked here.
 */
function isRevoked(nativeGuard, sessionClaims, claims) {
  if (claims === null || typeof claims !== 'object' || unrevocableClaim(claims, sessionClaims) !== null) return UNDECIDABLE
  const picked = {}
  for (const name of REGISTERED) if (claims[name] !== undefined) picked[name] = claims[name]
  for (const name of sessionClaims) if (claims[name] !== undefined) picked[name] = claims[name]
  let reason
  try {
    reason = nativeGuard.checkClaims(JSON.stringify(picked))
  } catch {
    // ERR_JWT_CLAIM / ERR_JWT_MALFORMED from the rules, or a value JSON cannot hold (BigInt).
    return UNDECIDABLE
  }
  return reason === null ? false : reason
}

module.exports = { isRevoked }
