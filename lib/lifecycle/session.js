'use strict'

// A token minted from an earlier one (refresh, rotation, the group slow path)
// carries the time its session began as `auth_time`; user, session and global
// cut-offs compare against it (src/core/guard.rs session_start).

/**
 * `claims` with an `auth_time` no later than their `iat` (issued now by
 * `issue`, unless given). A session cannot begin after its token is issued
 * (src/core/guard.rs refuses such a token): an instance whose clock runs
 * behind the one that began the session lowers auth_time to the new iat,
 * which can only make the token more revocable, never less.
 */
function sessionBefore(claims, issue) {
  if (claims === null || typeof claims !== 'object' || typeof claims.auth_time !== 'number') return claims
  const iat = claims.iat ?? Math.floor(issue()) / 1000
  return typeof iat !== 'number' || claims.auth_time <= iat ? claims : { ...claims, iat, auth_time: iat }
}

module.exports = { sessionBefore }
