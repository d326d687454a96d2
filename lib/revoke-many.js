'use strict'

const { invalidOption } = require('./errors')

/**
 * Guard#revokeMany(records): many revocations in one call, for scripts and
 * the CLI. Each record is one of
 *   { type: 'token', token }                     a token string or its claims (as revokeToken)
 *   { type: 'user', sub, before? }               as revokeUser(sub, { before })
 *   { type: 'session', value, claim?, before? }  as revokeSession(value, { claim, before })
 *   { type: 'all', before? }                     as revokeAll({ before })
 * Every valid record is in force in this process at once and written in
 * batches (group commit). Resolves, once every one of them is stored or
 * refused, to `{ stored, failed }`, where `failed` lists `{ index, code,
 * message }` of the records that were invalid or that the store refused: one
 * bad record does not stop the others.
 */
function revokeMany(guard, records) {
  if (!Array.isArray(records)) throw invalidOption('records', 'must be an array of revocations')
  const pending = []
  const failed = []
  records.forEach((record, index) => {
    try {
      pending.push({ index, promise: revokeOne(guard, record) })
    } catch (err) {
      failed.push(failure(index, err))
    }
  })
  return Promise.allSettled(pending.map((p) => p.promise)).then((results) => {
    let stored = 0
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') stored++
      else failed.push(failure(pending[i].index, result.reason))
    })
    failed.sort((a, b) => a.index - b.index)
    return { stored, failed }
  })
}

function revokeOne(guard, record) {
  switch (record && record.type) {
    case 'token':
      return guard.revokeToken(record.token)
    case 'user':
      return guard.revokeUser(record.sub, { before: record.before })
    case 'session':
      return guard.revokeSession(record.value, { claim: record.claim, before: record.before })
    case 'all':
      return guard.revokeAll({ before: record.before })
    default:
      throw invalidOption('type', "must be 'token', 'user', 'session' or 'all'")
  }
}

const failure = (index, err) => ({ index, code: (err && err.code) || 'ERR_UNKNOWN', message: String((err && err.message) || err) })

module.exports = { revokeMany }
