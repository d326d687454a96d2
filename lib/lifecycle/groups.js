'use strict'

const { invalidOption } = require('../errors')

const OPTIONS = new Set(['count', 'check', 'header'])
const { groups: MAX_GROUPS } = require('../contract')
// Claims a fresh token gets anew rather than copies.
const FRESH = new Set(['iat', 'exp', 'nbf', 'jti'])

/**
 * Group epochs with a slow path (`open({ groups: { count, check } })`), for an
 * app whose revocation state is its own (a sessions table too large or too
 * lively to mirror). Each group (a hash of sub) holds the time of its last
 * mark, in the same native table and epoch counters the result cache uses.
 * A token issued after its group's mark passes with no lookup; an older one is
 * refused natively with reason 'group', and `recheck` asks the app's `check`;
 * if that passes, a fresh token is issued so the next request is fast again.
 */
function groupsConfig(options) {
  if (options === undefined) return null
  if (options === null || typeof options !== 'object') throw invalidOption('groups', 'must be an object { count, check }')
  for (const name of Object.keys(options)) {
    if (!OPTIONS.has(name)) throw invalidOption(`groups.${name}`, 'is not a groups option (count, check, header)')
  }
  const { count = 1024, check, header = 'x-access-token' } = options
  if (!Number.isInteger(count) || count < 1 || count > MAX_GROUPS || (count & (count - 1)) !== 0) {
    throw invalidOption('groups.count', `must be a power of two from 1 to ${MAX_GROUPS}`)
  }
  if (typeof check !== 'function') throw invalidOption('groups.check', 'must be a function (claims) => boolean | Promise<boolean>')
  if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw invalidOption('groups.header', 'must be a header name')
  return { count, check, header }
}

/**
 * The claims of a token to re-issue, without the ones a new token gets anew,
 * and with the time its session began (`auth_time`, else its `iat`): cut-offs
 * compare against that (src/core/guard.rs), so a token reissued (rotation,
 * the slow path) by an instance that has not yet heard of a cut-off made
 * after that time is still refused once it has.
 */
function reissuable(claims) {
  const copy = {}
  for (const [name, value] of Object.entries(claims)) if (!FRESH.has(name)) copy[name] = value
  copy.auth_time = claims.auth_time ?? claims.iat
  return copy
}

module.exports = { groupsConfig, reissuable }
