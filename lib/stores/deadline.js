'use strict'

/**
 * Bounds one round trip to a server. Drivers wait forever by default when the
 * server is gone (ioredis and node-redis queue commands while they reconnect,
 * pg waits for a connection with no time limit), and a Guard waiting forever
 * can neither report the outage nor retry. Losing the race does not cancel the
 * command: it may still land later, which is harmless because every write is
 * an idempotent "keep the maximum".
 */
function withDeadline(promise, ms) {
  if (!(ms > 0) || ms === Infinity) return promise
  let timer
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

module.exports = { withDeadline }
