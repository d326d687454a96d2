'use strict'

const { invalidOption } = require('./errors')
const { parseGroupKey } = require('./lifecycle/groups')

// Records are what a store keeps: { kind, key, at, expiresAt } (times in ms).
// Keys are JSON text where a rule is keyed by more than one claim.

const GLOBAL_KEEP = null // the global cut-off is never dropped

function tokenKey(iss, jti) {
  return JSON.stringify([iss, jti])
}

function sessionKey(claim, value) {
  return JSON.stringify([claim, value])
}

/** Applies a record to the native table; returns whether the table changed. */
function apply(native, { kind, key, at }) {
  switch (kind) {
    case 'user':
      return native.revokeUser(key, at)
    case 'session': {
      const [claim, value] = JSON.parse(key)
      return native.revokeSession(claim, value, at)
    }
    case 'token': {
      const [iss, jti] = JSON.parse(key)
      return native.revokeToken(iss, jti, at / 1000)
    }
    case 'allow': {
      const [iss, jti] = JSON.parse(key)
      return native.allowToken(iss, jti, at / 1000)
    }
    case 'global':
      return native.revokeAll(at)
    case 'group': {
      const { index, count } = parseGroupKey(key)
      return native.markGroup(index, count, at)
    }
    default:
      throw Object.assign(new Error(`unknown record kind ${JSON.stringify(kind)}`), { code: 'ERR_STORE' })
  }
}

/** A time option: a Date or milliseconds since the epoch. */
function toMs(name, value) {
  const ms = value instanceof Date ? value.getTime() : value
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw invalidOption(name, 'must be a Date or milliseconds since the epoch')
  return ms
}

module.exports = { tokenKey, sessionKey, apply, toMs, GLOBAL_KEEP }
