'use strict'

// One instance of an app, in a process of its own: opens a Guard on the store
// described by argv[2] (JSON) and answers the parent's commands over IPC.
// Used by the sync-*.test.js files and benchmark/propagation.mjs.
const path = require('node:path')
const revocable = require(path.join(__dirname, '..'))

const config = JSON.parse(process.argv[2])
const events = []
// For benchmark/propagation.mjs: sub -> token to check as soon as a change for sub arrives, and when it was refused.
let armed = new Map()
let refusedAt = {}
let client = null
let pool = null

async function makeStore() {
  const { kind, name, url, file, syncInterval } = config
  if (kind === 'sqlite') return revocable.stores.sqlite(file, { table: name, syncInterval })
  if (kind === 'postgres') {
    pool = new (require('pg').Pool)({ connectionString: url, max: 2 })
    return revocable.stores.postgres({ pool, table: name })
  }
  if (kind === 'ioredis') {
    client = new (require('ioredis'))(url)
  } else {
    client = require('redis').createClient({ url }).on('error', () => {})
    await client.connect()
  }
  return revocable.stores.redis({ client, prefix: name })
}

function verdict(guard, token) {
  try {
    guard.verify(token)
    return 'accepted'
  } catch (err) {
    return `${err.code}:${err.reason}`
  }
}

/** Resolves once `token` is refused, checking after every applied batch of changes; null after `timeoutMs`. */
function whenRejected(guard, token, timeoutMs) {
  return new Promise((resolve) => {
    const check = () => {
      if (verdict(guard, token) === 'accepted') return false
      done(performance.timeOrigin + performance.now())
      return true
    }
    const timer = setTimeout(() => done(null), timeoutMs)
    const done = (at) => {
      clearTimeout(timer)
      guard.off('synced', check)
      guard.off('reloaded', check)
      resolve(at)
    }
    if (check()) return
    guard.on('synced', check)
    guard.on('reloaded', check)
  })
}

async function main() {
  const guard = await revocable.open({
    algorithms: ['HS256'],
    secret: config.secret,
    maxTokenLifetime: '1h',
    store: await makeStore(),
  })
  for (const event of ['reloaded', 'sync']) {
    guard.on(event, (value) => events.push({ event, connected: value.connected, count: value.count }))
  }
  guard.on('error', () => {}) // visible through health()
  guard.on('synced', ({ records }) => {
    for (const r of records) {
      const token = r.kind === 'user' && armed.get(r.key)
      if (!token || verdict(guard, token) === 'accepted') continue
      refusedAt[r.key] = performance.timeOrigin + performance.now()
      armed.delete(r.key)
    }
  })

  const commands = {
    revokeUser: async ({ sub }) => {
      const called = performance.timeOrigin + performance.now()
      await guard.revokeUser(sub)
      return { called, at: performance.timeOrigin + performance.now() }
    },
    verify: ({ token }) => verdict(guard, token),
    // For benchmark/burst.mjs: `n` token revocations at once, then (optionally) a ban behind them.
    burst: async ({ n, ban }) => {
      const now = () => performance.timeOrigin + performance.now()
      const tokens = Array.from({ length: n }, (_, i) => guard.sign({ sub: `burst-${i}` }))
      const started = now()
      const acks = tokens.map((token) => guard.revokeToken(token))
      const banCalled = ban ? now() : null
      const banned = ban ? guard.revokeUser(ban).then(now) : null
      await Promise.all(acks)
      const acked = now()
      return { started, acked, banCalled, banAcked: await banned }
    },
    // Any Guard method, for the hostile tests: resolves to its result or to the error's code.
    invoke: async ({ method, args }) => {
      try {
        return { result: (await guard[method](...args)) ?? null }
      } catch (err) {
        return { code: err.code || 'none', message: err.message }
      }
    },
    whenRejected: async ({ token, timeoutMs }) => ({ at: await whenRejected(guard, token, timeoutMs) }),
    health: () => guard.health(),
    arm: ({ tokens }) => {
      armed = new Map(Object.entries(tokens))
      refusedAt = {}
      return armed.size
    },
    refusedAt: () => refusedAt,
    events: () => events,
    close: async () => {
      await guard.close()
      if (client) await (client.quit ? client.quit() : client.disconnect())
      if (pool) await pool.end()
      setImmediate(() => process.exit(0))
      return 'closed'
    },
  }
  process.on('message', async ({ id, op, ...args }) => {
    try {
      process.send({ id, result: await commands[op](args) })
    } catch (err) {
      process.send({ id, error: `${err.code || ''} ${err.message}` })
    }
  })
  process.send({ ready: true })
}

main().catch((err) => {
  process.send({ ready: false, error: `${err.code || ''} ${err.message}` })
  process.exit(1)
})
