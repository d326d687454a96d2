'use strict'

// Two real app instances (child processes, refresh-child.js) on each store:
// - a ban made on one cannot be beaten by a refresh the other answered before
//   the ban reached it (the new pair carries the session's start, auth_time);
// - two instances answering the same refresh token at once (two tabs): the
//   client that keeps the losing pair is not taken for a reuse later.
// Each child's clock can be moved forward, so times are set, never slept for.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { PG_URL, REDIS_URL, unique, describeWith, ioredisClient } = require('./helpers-stores')
const { privateRedis, stopServer } = require('./helpers-servers')
const { start, tokenFor } = require('./helpers-sync')

jest.setTimeout(60_000)

/** Polls `fn` until it returns `want` (sync is asynchronous), at most 10 s. */
async function until(fn, want) {
  let got
  for (let i = 0; i < 500; i++) {
    got = await fn()
    if (got === want) return got
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return got
}

const iatOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).iat

const STORES = [
  {
    name: 'sqlite',
    server: null,
    config: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-sessions-'))
      return { kind: 'sqlite', file: path.join(dir, 'r.db'), table: 'revocations', syncInterval: 20 }
    },
    async drop() {},
  },
  {
    name: 'postgres',
    server: 'postgres',
    config: () => ({ kind: 'postgres', url: PG_URL, table: unique('sessions') }),
    async drop({ table }) {
      const pool = new (require('pg').Pool)({ connectionString: PG_URL, max: 1 })
      await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
      await pool.end()
    },
  },
  {
    name: 'redis',
    server: 'redis',
    config: () => ({ kind: 'redis', url: REDIS_URL, table: unique('sessions') }),
    async drop({ table }) {
      const admin = ioredisClient()
      const keys = await admin.keys(`${table}:*`)
      if (keys.length) await admin.unlink(keys)
      admin.disconnect()
    },
  },
]

for (const store of STORES) {
  describeWith(store.server)(`${store.name}: two instances`, () => {
    let config
    let a
    let b
    beforeEach(async () => {
      config = { ...store.config(), reuseInterval: 5000 }
      a = await start(config, 'refresh-child.js') // the first creates the tables
      b = await start(config, 'refresh-child.js')
    })
    afterEach(async () => {
      await Promise.all([a, b].map((i) => i && i.stop()))
      await store.drop(config)
    })

    test('a refresh answered before the ban arrived is refused everywhere once it has', async () => {
      const first = await a.call('issue', { sub: 'alice' })
      // b's clock runs ahead of the ban's cut-off: the pair it mints is issued after
      // the ban, and b answers before the ban reaches it (the ban does not exist yet).
      await a.call('advance', { ms: 2000 })
      await b.call('advance', { ms: 5000 })
      const { ok: second } = await b.call('refresh', { token: first.refreshToken })
      await a.call('revokeUser', { sub: 'alice' })
      await a.call('advance', { ms: 3000 }) // both clocks agree again
      expect(await until(() => b.call('verify', { token: first.accessToken }), 'ERR_JWT_REVOKED:user')).toBe('ERR_JWT_REVOKED:user')
      for (const instance of [a, b]) {
        expect(await instance.call('verify', { token: second.accessToken })).toBe('ERR_JWT_REVOKED:user')
        expect(await instance.call('refresh', { token: second.refreshToken })).toBe('ERR_JWT_REVOKED:user')
      }
      // A session begun after the ban is another matter.
      const again = await b.call('issue', { sub: 'alice' })
      expect(await a.call('verify', { token: again.accessToken })).toBe('alice')
    })

    test('two instances answer one refresh token at once: the client keeping the losing pair is not flagged for reuse', async () => {
      await b.call('advance', { ms: 50 }) // b's pair is the later one: a's loses
      const first = await a.call('issue', { sub: 'bob' })
      const [fromA, fromB] = await Promise.all([a, b].map((i) => i.call('refresh', { token: first.refreshToken })))
      expect([typeof fromA.ok, typeof fromB.ok]).toEqual(['object', 'object'])
      // Each instance hears the other's marks: a marker written after them arrives after them.
      await a.call('revokeUser', { sub: 'marker-a' })
      await b.call('revokeUser', { sub: 'marker-b' })
      expect(await until(() => a.call('verify', { token: tokenFor('marker-b') }), 'ERR_JWT_REVOKED:user')).toBe('ERR_JWT_REVOKED:user')
      expect(await until(() => b.call('verify', { token: tokenFor('marker-a') }), 'ERR_JWT_REVOKED:user')).toBe('ERR_JWT_REVOKED:user')
      for (const i of [a, b]) await i.call('advance', { ms: 6000 }) // past the 5 s reuse interval
      const [loser, winner] = [fromA.ok, fromB.ok].sort((x, y) => iatOf(x.refreshToken) - iatOf(y.refreshToken))
      expect(iatOf(loser.refreshToken)).toBeLessThan(iatOf(winner.refreshToken))
      // The client kept the losing pair and refreshes with it, on either instance.
      const { ok: next } = await b.call('refresh', { token: loser.refreshToken })
      expect(next.session).toBe(first.session)
      for (const instance of [a, b]) expect(await instance.call('verify', { token: next.accessToken })).toBe('bob')
      // That token is used now: presented again, after the interval, it is a reuse.
      await b.call('advance', { ms: 6000 })
      expect(await b.call('refresh', { token: loser.refreshToken })).toBe('ERR_JWT_REVOKED:reuse')
    })
  })
}

describeWith('redis')('a Redis server that stops answering (frozen), two instances', () => {
  let server
  let a
  let b
  beforeAll(async () => {
    let port
    ;({ server, port } = await privateRedis())
    const config = { kind: 'redis', url: `redis://127.0.0.1:${port}`, table: 'down', reuseInterval: 5000 }
    a = await start(config, 'refresh-child.js')
    b = await start(config, 'refresh-child.js')
  })
  afterAll(async () => {
    if (server) server.kill('SIGCONT')
    await Promise.all([a, b].map((i) => i && i.stop()))
    await stopServer(server)
  })

  test('a ban made while the store is down beats the refresh another instance answers meanwhile, once it arrives', async () => {
    const first = await a.call('issue', { sub: 'ann' })
    await b.call('advance', { ms: 500 }) // b's refresh is issued after a's ban, whatever the millisecond
    server.kill('SIGSTOP') // neither instance can write, nor hear the other
    let second
    try {
      expect(await a.call('revokeUserQueued', { sub: 'ann' })).toBe('queued')
      expect(await a.call('verify', { token: first.accessToken })).toBe('ERR_JWT_REVOKED:user') // in force here at once
      expect(await b.call('verify', { token: first.accessToken })).toBe('ann') // b cannot know yet
      second = b.call('refresh', { token: first.refreshToken }) // resolves once its marks are stored
      // b has minted the pair (its marks wait in its queue) before the store answers again.
      expect(await until(async () => (await b.call('health')).pending >= 2, true)).toBe(true)
    } finally {
      server.kill('SIGCONT')
    }
    const { ok: pair } = await second
    expect(await until(() => b.call('verify', { token: first.accessToken }), 'ERR_JWT_REVOKED:user')).toBe('ERR_JWT_REVOKED:user')
    for (const instance of [a, b]) {
      expect(await instance.call('verify', { token: pair.accessToken })).toBe('ERR_JWT_REVOKED:user')
      expect(await instance.call('refresh', { token: pair.refreshToken })).toBe('ERR_JWT_REVOKED:user')
    }
  })
})
