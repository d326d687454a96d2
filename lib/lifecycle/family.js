'use strict'

const { sessionKey } = require('../records')

// A refresh-token family's state in the table: two marks, and what a refused
// refresh token of the family is (lib/lifecycle/refresh.js acts on it).
//
// A refresh token names its family twice: in the session claim (`sid`), which
// access tokens share, and in this claim, which only refresh tokens carry. Each
// refresh moves a session-kind cut-off on this claim to the time of use: every
// refresh token of the family issued before it (the one just used, and any
// older) is refused from then on, while the access tokens and the new pair are
// not. The table refuses it like any revoked session, the store persists and
// syncs it like any revocation, and cutoffFor(undefined, [['rfam', family]])
// tells when the family last refreshed (for the reuse interval). One entry per
// session, however often it refreshes: an entry per used token would keep
// (refresh lifetime / access lifetime) entries per active session.
const USED = 'rfam'
// No token carries this claim, so its entry never refuses anything: it records
// the iat (ms) of the refresh token the family last used, so that only that
// token (or a sibling issued after it) counts as a concurrent refresh, never
// one superseded earlier that happens to come back within the interval.
const LAST = 'rfam.last'

/**
 * The two records that mark the refresh token `claims` used at `nowMs`, kept
 * `keepMs` past the mark (every refresh token they concern has expired by then).
 * LAST goes first: an instance that hears of them in store order never sees
 * the token refused without knowing it was the one used.
 */
function useMarks(claims, nowMs, keepMs) {
  const iatMs = Math.round(claims.iat * 1000)
  const at = Math.max(nowMs, iatMs + 1)
  return [
    { kind: 'session', key: sessionKey(LAST, claims[USED]), at: iatMs, expiresAt: at + keepMs },
    { kind: 'session', key: sessionKey(USED, claims[USED]), at, expiresAt: at + keepMs },
  ]
}

/**
 * What a refresh token refused by a session rule is, from the table `native`
 * holds at `nowMs` (`claim` names the family, `reuseMs` is the reuse interval):
 * - `{ as: 'revoked' }`: the family, the user or everyone cut off: a plain
 *   revoked token, not a reuse;
 * - `{ as: 'member' }`: never used, since it was issued after every token the
 *   family has used (LAST holds the latest iat used, on every instance once
 *   synced), so a sibling of the one that was: two instances answered the
 *   same token at once (two tabs) and the client kept the other pair;
 * - `{ as: 'concurrent' }`: the token the family used last, back within the
 *   reuse interval: a concurrent request, answered with a sibling pair;
 * - `{ as: 'reuse', usedAt }`: anything else was used, or superseded by a
 *   token issued after it and used.
 */
function refusedAs(native, claims, claim, nowMs, reuseMs) {
  const since = claims.auth_time ?? claims.iat
  if (refuses(native.cutoffFor(claims.sub, [[claim, claims[claim]]]), since)) return { as: 'revoked' }
  const usedAt = native.cutoffFor(undefined, [[USED, claims[USED]]])
  const lastUsedIat = native.cutoffFor(undefined, [[LAST, claims[USED]]])
  const iatMs = Math.round(claims.iat * 1000)
  if (iatMs > lastUsedIat) return { as: 'member' }
  if (nowMs - usedAt < reuseMs && iatMs === lastUsedIat) return { as: 'concurrent' }
  return { as: 'reuse', usedAt }
}

// A token whose session began at `since` (s) is refused by a cut-off `cut` (ms) when since < cut (src/core/table/check.rs).
const refuses = (cut, since) => cut !== 0 && since < cut / 1000

module.exports = { USED, useMarks, refusedAs }
