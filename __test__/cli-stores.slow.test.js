'use strict'

// The `revocable` command against PostgreSQL and Redis (and between them and
// SQLite), driven as a child process; a private redis-server for doctor.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { privateRedis, stopServer } = require('./helpers-servers')
const { cli, sortedLines } = require('./helpers-cli')
const { start, tokenFor } = require('./helpers-sync')
const { PG_URL, REDIS_URL, unique, describeWith } = require('./helpers-stores')

jest.setTimeout(60_000)

const lifetime = { REVOCABLE_MAX_TOKEN_LIFETIME: '1h' }

const UNLINK_ALL = `local cursor = '0'
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = reply[1]
  if #reply[2] > 0 then redis.call('UNLINK', unpack(reply[2])) end
until cursor == '0'`

const servers = {
  postgres: {
    name: () => unique('revocable_cli'),
    args: (name) => ['--store', PG_URL, '--table', name],
    app: (name) => ({ kind: 'postgres', url: PG_URL, name }),
    async drop(names) {
      const pool = new (require('pg').Pool)({ connectionString: PG_URL })
      for (const n of names) await pool.query(`DROP TABLE IF EXISTS "${n}", "${n}_meta", "${n}_log"`)
      await pool.end()
    },
  },
  redis: {
    name: () => unique('revocable-cli'),
    args: (name) => ['--store', REDIS_URL, '--prefix', name],
    app: (name) => ({ kind: 'ioredis', url: REDIS_URL, name }),
    async drop(names) {
      const client = new (require('ioredis'))(REDIS_URL)
      for (const n of names) await client.eval(UNLINK_ALL, 0, `${n}:*`)
      client.disconnect()
    },
  },
}

for (const [server, s] of Object.entries(servers)) {
  describeWith(server)(`revocable command on ${server}`, () => {
    const names = []
    const fresh = () => {
      names.push(s.name())
      return names[names.length - 1]
    }
    afterAll(() => s.drop(names))

    test('a revocation made from the shell is enforced by a running Guard in another process', async () => {
      const name = fresh()
      const app = await start(s.app(name))
      try {
        const token = tokenFor('mallory')
        expect(await app.call('verify', { token })).toBe('accepted')
        // No lifetime given: the app's Guard recorded its own in the store.
        const { status, stdout } = await cli(['revoke', 'user', 'mallory', ...s.args(name)])
        expect(status).toBe(0)
        expect(stdout).toMatch(new RegExp(`^revoked user "mallory": .* stored in ${server}:`))
        expect((await app.call('whenRejected', { token, timeoutMs: 5000 })).at).not.toBeNull()
        expect(await app.call('verify', { token })).toBe('ERR_JWT_REVOKED:user')
      } finally {
        await app.stop()
      }
      const status = JSON.parse((await cli(['status', '--json', ...s.args(name)])).stdout)
      // Two changes: the app's horizon (its maxTokenLifetime), then the revocation; only the revocation is an entry.
      expect(status).toMatchObject({ health: 'ok', maxTokenLifetimeMs: 3_600_000, kinds: { user: { count: 1 } }, total: { count: 1 }, changes: { count: 2, newest: expect.any(Number) } })
    })

    test('doctor checks the store and names what is wrong', async () => {
      const name = fresh()
      expect((await cli(['revoke', 'user', 'x', '--create', ...s.args(name)], { env: lifetime })).status).toBe(0)
      const { status, stdout } = await cli(['doctor', ...s.args(name)])
      expect(stdout).toMatch(/^ok {3}connected to /)
      expect(stdout).toMatch(/ok {3}schema: version \d, as this revocable expects/)
      expect(stdout).toMatch(/ok {3}clock: this machine is/)
      if (server === 'postgres') {
        expect(stdout).toMatch(/ok {3}LISTEN\/NOTIFY works/)
        expect(status).toBe(0)
      } else {
        expect(stdout).toMatch(/ok {3}eviction: maxmemory-policy is noeviction/)
        expect(stdout).toMatch(/(ok|warn) durability: the append-only file is/)
      }
    })
  })
}

describeWith('redis')('revocable command with node-redis (ioredis not installed)', () => {
  const prefix = unique('revocable-node-redis')
  const preload = [path.join(__dirname, 'fixtures', 'without-ioredis.js')]
  afterAll(() => servers.redis.drop([prefix]))

  test('revokes, shows and checks the store through node-redis', async () => {
    const args = ['--store', REDIS_URL, '--prefix', prefix]
    const revoked = await cli(['revoke', 'user', 'eve', '--create', ...args], { env: lifetime, preload })
    expect(revoked.status).toBe(0)
    expect((await cli(['show', 'user', 'eve', ...args], { preload })).stdout).toMatch(/^user "eve": tokens issued before/)
    const doctor = await cli(['doctor', ...args], { preload })
    expect(doctor.stdout).toMatch(/ok {3}eviction: maxmemory-policy is noeviction/)
    expect(doctor.stdout).toMatch(/ok {3}clock: this machine is/)
    // The same record, read back through ioredis.
    expect(JSON.parse((await cli(['export', ...args])).stdout)).toMatchObject({ kind: 'user', key: 'eve' })
  })
})

describeWith('postgres')('moving stores', () => {
  describeWith('redis')('SQLite to PostgreSQL to Redis and back', () => {
    const table = unique('revocable_move')
    const prefix = unique('revocable-move')
    let dir
    beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-move-')) })
    afterAll(async () => {
      fs.rmSync(dir, { recursive: true, force: true })
      await servers.postgres.drop([table])
      await servers.redis.drop([prefix])
    })

    test('export from one store and import into another gives the same table, every kind, without loss', async () => {
      const soon = Date.now() + 3_600_000
      const records = [
        { kind: 'user', key: 'alice', at: soon - 1000, expiresAt: soon },
        { kind: 'user', key: 'ünïcödé "quoted" | bar', at: soon - 999, expiresAt: soon + 1 },
        { kind: 'session', key: '["did","laptop-7"]', at: soon - 5000, expiresAt: soon + 5 },
        { kind: 'token', key: '["https://issuer.example","j-1"]', at: soon, expiresAt: soon + 30_000 },
        { kind: 'allow', key: '["","j-2"]', at: soon, expiresAt: soon },
        { kind: 'group', key: '17/64', at: soon - 1, expiresAt: soon + 2 },
        { kind: 'global', key: '', at: 1_700_000_000_123, expiresAt: null },
      ]
      const input = records.map((r) => JSON.stringify(r)).join('\n')
      const sqliteArgs = ['--store', `sqlite:${path.join(dir, 'laptop.db')}`]
      expect((await cli(['import', '--create', ...sqliteArgs], { input })).status).toBe(0)
      const expected = sortedLines(input)
      let previous = sqliteArgs
      for (const args of [servers.postgres.args(table), servers.redis.args(prefix), ['--store', path.join(dir, 'back.db')]]) {
        const exported = await cli(['export', ...previous])
        expect(exported.status).toBe(0)
        expect(sortedLines(exported.stdout)).toEqual(expected)
        const imported = await cli(['import', '--create', ...args], { input: exported.stdout })
        expect(imported.stdout).toMatch(/^imported 7 record\(s\)/)
        // A second import of the same lines changes nothing.
        expect((await cli(['import', ...args], { input: exported.stdout })).status).toBe(0)
        previous = args
      }
      expect(sortedLines((await cli(['export', ...previous])).stdout)).toEqual(expected)
    })
  })
})

describeWith('redis')('doctor on a Redis that evicts', () => {
  let server
  let port
  beforeAll(async () => {
    // Our OWN server: the shared one is never reconfigured.
    ;({ server, port } = await privateRedis({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] }))
  })
  afterAll(() => stopServer(server, 'SIGTERM'))

  test('flags allkeys-lru and a missing append-only file as problems, and exits 1', async () => {
    const args = ['--store', `redis://127.0.0.1:${port}`, '--prefix', 'doctor-test']
    expect((await cli(['revoke', 'all', '--create', '--before', '2000-01-01', ...args])).status).toBe(0)
    const { status, stdout } = await cli(['doctor', ...args])
    expect(stdout).toMatch(/warn eviction: maxmemory-policy is allkeys-lru: under memory pressure Redis silently deletes revocations/)
    expect(stdout).toMatch(/warn durability: the append-only file is off/)
    expect(stdout.trim().split('\n').pop()).toBe('2 problem(s) found')
    expect(status).toBe(1)
  })
})
