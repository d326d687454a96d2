'use strict'

// The Guard on real servers: restart survival in a new process for PostgreSQL
// and Redis, and a Redis server that goes away mid-test and comes back.
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { PG_URL, REDIS_URL, unique, describeWith } = require('./helpers-stores')
const { privateRedis, stopServer } = require('./helpers-servers')
const revocable = require('..')

const secret = 'a-server-test-secret-of-32-bytes!'
const base = { algorithms: ['HS256'], secret, maxTokenLifetime: '1h' }

/** Opens a Guard in a fresh process on the given store and reports the verdict on `token`. */
function verdictInNewProcess(storeCode, token) {
  const script = `
    const revocable = require(${JSON.stringify(path.join(__dirname, '..'))})
    ;(async () => {
      ${storeCode}
      const auth = await revocable.open({ ...${JSON.stringify(base)}, store })
      let verdict = 'accepted'
      try { auth.verify(${JSON.stringify(token)}) } catch (e) { verdict = e.code + ':' + e.reason }
      await auth.close()
      await cleanup()
      process.stdout.write(verdict)
    })()`
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 })
}

describeWith('postgres')('PostgreSQL', () => {
  test('a revocation survives a restart: a new process refuses the token', async () => {
    const { Pool } = require('pg')
    const pool = new Pool({ connectionString: PG_URL })
    const table = unique('guard_restart')
    try {
      const auth = await revocable.open({ ...base, store: revocable.stores.postgres({ pool, table }) })
      const token = auth.sign({ sub: 'pg-user' })
      await auth.revokeUser('pg-user')
      await auth.close()
      const storeCode = `const { Pool } = require('pg'); const pool = new Pool({ connectionString: ${JSON.stringify(PG_URL)} })
        const store = revocable.stores.postgres({ pool, table: ${JSON.stringify(table)} }); const cleanup = () => pool.end()`
      expect(verdictInNewProcess(storeCode, token)).toBe('ERR_JWT_REVOKED:user')
    } finally {
      await pool.query(`DROP TABLE IF EXISTS ${table}, ${table}_meta, ${table}_log`).catch(() => {})
      await pool.end()
    }
  })

  test('a dead server makes open() fail closed', async () => {
    const { Pool } = require('pg')
    const pool = new Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' })
    await expect(revocable.open({ ...base, store: revocable.stores.postgres({ pool, timeout: 1000 }) }))
      .rejects.toMatchObject({ code: 'ERR_STORE' })
    await pool.end()
  })
})

describeWith('redis')('Redis', () => {
  test('a revocation survives a restart: a new process refuses the token', async () => {
    const Redis = require('ioredis')
    const client = new Redis(REDIS_URL)
    const prefix = unique('guard-restart')
    try {
      const auth = await revocable.open({ ...base, store: revocable.stores.redis({ client, prefix }) })
      const token = auth.sign({ sub: 'r-user', sid: 'r-session' })
      await auth.revokeSession('r-session')
      await auth.close()
      const storeCode = `const Redis = require('ioredis'); const client = new Redis(${JSON.stringify(REDIS_URL)})
        const store = revocable.stores.redis({ client, prefix: ${JSON.stringify(prefix)} }); const cleanup = () => client.quit()`
      expect(verdictInNewProcess(storeCode, token)).toBe('ERR_JWT_REVOKED:session')
    } finally {
      const keys = await client.keys(`${prefix}*`)
      if (keys.length) await client.del(...keys)
      await client.quit()
    }
  })

  test('a server that stops mid-test: revocations stay enforced, queue, and land when it returns', async () => {
    let { server, port } = await privateRedis()
    const Redis = require('ioredis')
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
    client.on('error', () => {})
    const auth = await revocable.open({ ...base, storeTimeout: 500, store: revocable.stores.redis({ client, prefix: 'down', timeout: 500 }) })
    const errors = []
    auth.on('error', (e) => errors.push(e.code))
    // The queue's failed write, not sync's lost connection, which may be reported first.
    const failed = new Promise((resolve) => auth.on('error', () => { if (auth.health().lastError !== null) resolve() }))
    try {
      // Everything open() queued (the store's lifetime horizon may still be in
      // flight on a loaded machine) is stored before the server goes down.
      await auth.revokeUser('before-the-outage')
      const token = auth.sign({ sub: 'down-user' })
      await stopServer(server)
      let stored = false
      const persisted = auth.revokeUser('down-user').then(() => { stored = true })
      persisted.catch(() => {}) // awaited below; a failed assertion before that must not leave it unhandled
      expect(() => auth.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED' }))
      await failed // the write to the dead server failed and was reported
      expect(stored).toBe(false)
      expect(auth.health()).toMatchObject({ store: 'down', pending: 1 })
      expect(errors.length).toBeGreaterThan(0)
      ;({ server } = await privateRedis({ port }))
      await persisted
      expect(auth.health()).toMatchObject({ store: 'ok', pending: 0 })
      expect(await client.hexists('down:h:user', 'down-user')).toBe(1)
    } finally {
      await auth.close({ timeout: 1000 })
      client.disconnect()
      await stopServer(server)
    }
  }, 30_000)
})
