'use strict'

// The Redis store's `wait` option against a primary and a replica of the
// test's own (private ports): a revocation resolves only once the replica has
// it, so a failover to that replica cannot lose an acknowledged revocation.
const Redis = require('ioredis')
const revocable = require('..')
const { describeWith } = require('./helpers-stores')
const { privateRedis, stopServer } = require('./helpers-servers')

jest.setTimeout(30_000)

/** Polls `fn` until it returns true, at most 10 s. */
async function until(fn) {
  for (let i = 0; i < 500; i++) {
    if (await fn()) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}

describeWith('redis')('Redis store with wait: { replicas }', () => {
  let port
  let primary
  let replica
  let client
  let replicaClient
  beforeAll(async () => {
    ;({ server: primary, port } = await privateRedis())
    let replicaPort
    ;({ server: replica, port: replicaPort } = await privateRedis({ args: ['--replicaof', '127.0.0.1', String(port)] }))
    client = new Redis({ port, maxRetriesPerRequest: null })
    replicaClient = new Redis({ port: replicaPort })
    expect(await until(async () => /connected_slaves:1/.test(await client.info('replication')))).toBe(true)
  })
  afterAll(async () => {
    replica.kill('SIGCONT')
    client.disconnect()
    replicaClient.disconnect()
    await Promise.all([primary, replica].map((p) => stopServer(p)))
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
