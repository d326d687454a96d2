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
    // Sent as it is: the helper's reply shape changed between node-redis versions.
    hscan: async (key, cursor, count) => {
      const [next, flat] = await client.sendCommand(['HSCAN', key, cursor, 'COUNT', String(count)])
      return [String(next), flat]
    },
    ping: () => client.ping(),
    // WAIT has no node-redis helper in every version: sent as it is.
    wait: (replicas, ms) => client.sendCommand(['WAIT', String(replicas), String(ms)]),
    // node-redis rejects every command until connect(); while it reconnects
    // isOpen stays true and commands wait in its offline queue.
    needsConnect: () => !client.isOpen,
    ready: () => client.isReady === true,
    connect: () => client.connect(),
    disconnect: () => (typeof client.destroy === 'function' ? client.destroy() : client.disconnect()),
    // The sync watcher's own connection: a blocking XREAD would stall every
    // command behind it on the app's client. It never reconnects by itself and
    // queues nothing offline: the watcher reconnects and resumes from its last id.
    async duplicate(name) {
      const socket = { ...(options.socket || {}), reconnectStrategy: false }
      const conn = client.duplicate({ name, socket, disableOfflineQueue: true })
      conn.on('error', () => {}) // reported through the failing command instead
      const close = () => Promise.resolve()
        .then(() => (typeof conn.destroy === 'function' ? conn.destroy() : conn.disconnect()))
        .catch(() => {})
      try {
        await conn.connect()
      } catch (err) {
        await close()
        throw err
      }
      return { raw: (args) => conn.sendCommand(args), close }
    },
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
    hscan: async (key, cursor, count) => {
      const [next, flat] = await client.hscan(key, cursor, 'COUNT', count)
      return [String(next), flat]
    },
    ping: () => client.ping(),
    wait: (replicas, ms) => client.call('WAIT', String(replicas), String(ms)),
    // Only a lazyConnect client that was never connected needs us to connect it.
    needsConnect: () => client.status === 'wait',
    ready: () => client.status === 'ready',
    connect: () => client.connect(),
    disconnect: () => client.disconnect(),
    // See nodeRedis().duplicate. ioredis sets the name (CLIENT SETNAME) on connect.
    async duplicate(name) {
      const conn = client.duplicate({
        connectionName: name,
        lazyConnect: true,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        reconnectOnError: null,
      })
      conn.on('error', () => {}) // reported through the failing command instead
      try {
        await conn.connect()
      } catch (err) {
        conn.disconnect()
        throw err
      }
      return {
        raw: ([command, ...args]) => conn.call(command, ...args),
        close: async () => conn.disconnect(),
      }
    },
  }
}

module.exports = { adapt }
