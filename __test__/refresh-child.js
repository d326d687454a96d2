'use strict'

// One instance of an app using refresh tokens, in a process of its own, on the
// store described by argv[2] (JSON: kind 'postgres' | 'redis' | 'sqlite');
// answers the parent's commands over IPC. Its clock can be moved forward
// (`advance`), so the reuse interval is crossed without sleeping, or stopped
// (`freeze`), so two instances answer in the same millisecond.
// Used by refresh-instances.test.js and session-instances.test.js.
const path = require('node:path')
const revocable = require(path.join(__dirname, '..'))

const { kind = 'postgres', url, table, file, syncInterval, secret, reuseInterval = 0 } = JSON.parse(process.argv[2])
let offset = 0
let frozen = null // set by `freeze`: every call reads this time (plus `advance`), as requests in one tick would
let close = async () => {}

function makeStore() {
  if (kind === 'sqlite') return revocable.stores.sqlite(file, { table, syncInterval })
  if (kind === 'redis') {
    const client = new (require('ioredis'))(url)
    close = () => client.quit()
    return revocable.stores.redis({ client, prefix: table })
  }
  const pool = new (require('pg').Pool)({ connectionString: url, max: 2 })
  close = () => pool.end()
  return revocable.stores.postgres({ pool, table })
}

const failure = (err) => `${err.code}:${err.reason}`

revocable.open({
  algorithms: ['HS256'], secret, maxTokenLifetime: '1d', refresh: { reuseInterval: reuseInterval / 1000 },
  clock: () => (frozen ?? Date.now()) + offset, store: makeStore(),
}).then((auth) => {
  auth.on('error', () => {}) // visible through health()
  const ops = {
    issue: ({ sub }) => auth.issue(sub),
    refresh: ({ token }) => auth.refresh(token).then((pair) => ({ ok: pair }), failure),
    verify: ({ token }) => {
      try {
        return auth.verify(token).sub
      } catch (err) {
        return failure(err)
      }
    },
    revokeUser: async ({ sub, before }) => {
      await auth.revokeUser(sub, before === undefined ? undefined : { before })
      return 'revoked'
    },
    // Applied to the table at once; its promise (stored) is not awaited: the store may be down.
    revokeUserQueued: ({ sub }) => {
      auth.revokeUser(sub).catch(() => {})
      return 'queued'
    },
    health: () => auth.health(),
    advance: ({ ms }) => { offset += ms; return offset },
    freeze: ({ at }) => { frozen = at; offset = 0; return at },
    lastId: () => auth.health().sync?.lastId ?? null,
    sessions: () => auth.stats().sessions,
    close: async () => {
      await auth.close()
      await close()
      setImmediate(() => process.exit(0))
      return 'closed'
    },
  }
  process.on('message', async ({ id, op, ...args }) => {
    try {
      process.send({ id, result: await ops[op](args) })
    } catch (err) {
      process.send({ id, error: err.message })
    }
  })
  process.send({ ready: true })
}, (err) => {
  process.send({ error: err.message })
  process.exit(1)
})
