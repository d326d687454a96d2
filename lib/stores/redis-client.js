'use strict'

const { invalidOption } = require('./errors')

/**
 * ioredis and node-redis (v4 and later) send the same commands under different
 * spellings and argument shapes. The store speaks only this small surface, so
 * the app keeps whichever client it already has and we never require either.
 */
function adapt(store, client) {
  if (client && typeof client.mGet === 'function') return nodeRedis(client)
  if (client && typeof client.mget === 'function') return ioredis(client)
  throw invalidOption(store, 'client', 'must be an ioredis or node-redis (v4 or later) client')
}

/** host:port/db only: a URL or the options may also hold a password. */
function where(host, port, db) {
  return `${host || 'localhost'}${port ? `:${port}` : ''}/${db || 0}`
}

function nodeRedis(client) {
  const options = client.options || {}
  const socket = options.socket || {}
  let url = null
  try {
    url = options.url ? new URL(options.url) : null
  } catch {
    // An unparsable URL makes the client fail on connect; the id just falls back.
  }
  const db = options.database ?? (url && url.pathname.slice(1))
  return {
    location: socket.path || where(socket.host || (url && url.hostname), socket.port || (url && url.port) || 6379, db),
    keyPrefix: '',
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
    // v4 answers the cursor as a number, v5 and later as a string.
    scan: async (cursor, match, count) => {
      const reply = await client.scan(cursor, { MATCH: match, COUNT: count })
      return [String(reply.cursor), reply.keys]
    },
    mget: (keys) => client.mGet(keys),
    ping: () => client.ping(),
    // node-redis rejects every command until connect(); while it reconnects
    // isOpen stays true and commands wait in its offline queue.
    needsConnect: () => !client.isOpen,
    connect: () => client.connect(),
    disconnect: () => (typeof client.destroy === 'function' ? client.destroy() : client.disconnect()),
  }
}

function ioredis(client) {
  const options = client.options || {}
  // ioredis adds keyPrefix to the keys of every command but not to SCAN's
  // pattern, and SCAN answers full names: add it there, strip it from replies.
  const keyPrefix = options.keyPrefix || ''
  const pattern = keyPrefix.replace(/[*?[\]\\]/g, '\\$&')
  return {
    location: options.path || where(options.host, options.port || 6379, options.db),
    keyPrefix,
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
    scan: async (cursor, match, count) => {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern + match, 'COUNT', count)
      return [String(next), keyPrefix ? keys.map((k) => String(k).slice(keyPrefix.length)) : keys]
    },
    mget: (keys) => client.mget(keys),
    ping: () => client.ping(),
    // Only a lazyConnect client that was never connected needs us to connect it.
    needsConnect: () => client.status === 'wait',
    connect: () => client.connect(),
    disconnect: () => client.disconnect(),
  }
}

module.exports = { adapt }
