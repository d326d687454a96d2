'use strict'

// The Redis store's `wait` option against a primary and a replica of the
// test's own (private ports): a revocation resolves only once the replica has
// it, so a failover to that replica cannot lose an acknowledged revocation.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const Redis = require('ioredis')
const revocable = require('..')
const { describeWith } = require('./helpers-stores')

jest.setTimeout(30_000)

function server(port, extra = []) {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-redis-')), ...extra], { stdio: ['ignore', 'pipe', 'ignore'] })
  return new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => { if (String(d).includes('Ready to accept connections')) resolve(p) })
    p.once('error', reject)
    p.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
}

/** Polls `fn` until it returns true, at most 10 s. */
async function until(fn) {
  for (let i = 0; i < 500; i++) {
    if (await fn()) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}

describeWith('redis')('Redis store with wait: { replicas }', () => {
  const port = 20000 + Math.floor(Math.random() * 20000)
  let primary
  let replica
  let client
  let replicaClient
  beforeAll(async () => {
    primary = await server(port)
    replica = await server(port + 1, ['--replicaof', '127.0.0.1', String(port)])
    client = new Redis({ port, maxRetriesPerRequest: null })
    replicaClient = new Redis({ port: port + 1 })
    expect(await until(async () => /connected_slaves:1/.test(await client.info('replication')))).toBe(true)
  })
  afterAll(async () => {
    replica.kill('SIGCONT')
    client.disconnect()
    replicaClient.disconnect()
    for (const p of [primary, replica]) p.kill('SIGKILL')
  })

  test('a revocation resolves once the replica has it; with the replica stalled it waits, in force meanwhile', async () => {
    const auth = await revocable.open({
      algorithms: ['HS256'], secret: 'a-replicas-test-secret-of-32-bytes', maxTokenLifetime: '1h', storeTimeout: 2000,
      store: revocable.stores.redis({ client, prefix: 'wait', wait: { replicas: 1, timeoutMs: 200 } }),
    })
    auth.on('error', () => {})
    try {
      await auth.revokeUser('alice')
      expect(await replicaClient.hexists('wait:h:user', 'alice')).toBe(1)

      replica.kill('SIGSTOP')
      const token = auth.sign({ sub: 'bob' }, { clock: () => Date.now() - 1000 })
      let stored = false
      const revoking = auth.revokeUser('bob').then(() => { stored = true })
      revoking.catch(() => {}) // awaited below; a failed assertion before that must not leave it unhandled
      expect(() => auth.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED' }))
      expect(await until(() => auth.health().store === 'down')).toBe(true) // an attempt failed: WAIT saw no replica
      expect(stored).toBe(false)
      expect(await client.hexists('wait:h:user', 'bob')).toBe(1) // on the primary, not yet acknowledged
      replica.kill('SIGCONT')
      await revoking
      expect(await replicaClient.hexists('wait:h:user', 'bob')).toBe(1)
      expect(auth.health()).toMatchObject({ store: 'ok', pending: 0 })
    } finally {
      replica.kill('SIGCONT')
      await auth.close({ timeout: 3000 })
    }
  })

  test('node-redis: the same WAIT', async () => {
    const nodeClient = require('redis').createClient({ url: `redis://127.0.0.1:${port}` }).on('error', () => {})
    await nodeClient.connect()
    const auth = await revocable.open({
      algorithms: ['HS256'], secret: 'a-replicas-test-secret-of-32-bytes', maxTokenLifetime: '1h',
      store: revocable.stores.redis({ client: nodeClient, prefix: 'wait-node', wait: { replicas: 1 } }),
    })
    try {
      await auth.revokeUser('carol')
      expect(await replicaClient.hexists('wait-node:h:user', 'carol')).toBe(1)
    } finally {
      await auth.close()
      await nodeClient.quit()
    }
  })

  test('wait is checked when the store is made', () => {
    for (const wait of [{ replicas: 0 }, { replicas: 1.5 }, { replicas: 1, timeoutMs: -1 }, 'all']) {
      expect(() => revocable.stores.redis({ client, wait })).toThrow(expect.objectContaining({ code: 'ERR_STORE' }))
    }
  })
})
