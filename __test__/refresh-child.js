'use strict'

// One instance of an app using refresh tokens, in a process of its own, on the
// PostgreSQL store named by argv[2]; answers the parent's commands over IPC.
// Used by refresh-instances.test.js.
const path = require('node:path')
const { Pool } = require('pg')
const revocable = require(path.join(__dirname, '..'))

const { url, table, secret } = JSON.parse(process.argv[2])
const pool = new Pool({ connectionString: url, max: 2 })

revocable.open({
  algorithms: ['HS256'], secret, maxTokenLifetime: '1d', refresh: { reuseInterval: 0 },
  store: revocable.stores.postgres({ pool, table }),
}).then((auth) => {
  const ops = {
    issue: ({ sub }) => auth.issue(sub),
    refresh: ({ token }) => auth.refresh(token).then((pair) => ({ ok: pair }), (err) => `${err.code}:${err.reason}`),
    verify: ({ token }) => {
      try {
        return auth.verify(token).sub
      } catch (err) {
        return `${err.code}:${err.reason}`
      }
    },
    sessions: () => auth.stats().sessions,
    close: async () => {
      await auth.close()
      await pool.end()
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
