'use strict'

// Issue 12, point 2: one record no store can hold must never jam the queue.
// Two real instances per store: each hostile revocation is followed by a
// normal one that must be stored (the writer's queue empties) and reach the
// other instance; a fresh instance then loads what was stored.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { PG_URL, REDIS_URL, unique, partition } = require('./helpers-stores')
const { sign } = require('..')
const { start, tokenFor, secret } = require('./helpers-sync')

jest.setTimeout(60_000)

/** An HS256 token with exactly these claims, signed with the instances' key (hostile, not forged). */
function signed(claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`
  return `${body}.${crypto.createHmac('sha256', secret).update(body).digest('base64url')}`
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-poisoned-'))
const name = unique('poisoned')
const stores = [
  { name: 'sqlite', server: null, config: { kind: 'sqlite', file: path.join(dir, 'r.db'), name } },
  { name: 'postgres', server: 'postgres', config: { kind: 'postgres', url: PG_URL, name } },
  { name: 'redis (ioredis)', server: 'redis', config: { kind: 'ioredis', url: REDIS_URL, name: `${name}-io` } },
  { name: 'redis (node-redis)', server: 'redis', config: { kind: 'node-redis', url: REDIS_URL, name: `${name}-nr` } },
]

async function cleanup() {
  fs.rmSync(dir, { recursive: true, force: true })
  const { runnable } = partition(stores)
  if (runnable.some((s) => s.server === 'postgres')) {
    const pool = new (require('pg').Pool)({ connectionString: PG_URL })
    await pool.query(`DROP TABLE IF EXISTS "${name}", "${name}_meta", "${name}_log"`).finally(() => pool.end())
  }
  if (runnable.some((s) => s.server === 'redis')) {
    const r = new (require('ioredis'))(REDIS_URL)
    for (const prefix of [`${name}-io`, `${name}-nr`]) {
      const keys = await r.keys(`${prefix}:*`)
      if (keys.length) await r.unlink(keys)
    }
    r.disconnect()
  }
}
afterAll(cleanup)

function hostile(store) {
  let a
  let b
  // Issued before any ban of this block: tokenFor() dates a token 1 s back from
  // when it is called, which on a loaded machine can fall after the bans.
  const issuedAt = Date.now() - 1000
  const earlyToken = (sub) => sign({ sub }, secret, { expiresIn: 600, clock: () => issuedAt })
  beforeAll(async () => {
    // Both at once; if one fails, the other is still kept for afterAll to stop.
    const started = await Promise.allSettled([start(store.config), start(store.config)])
    ;[a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined))
    const failed = started.find((s) => s.status === 'rejected')
    if (failed) throw failed.reason
  })
  afterAll(() => Promise.all([a, b].map((i) => i && i.stop())))

  /** A normal ban after the hostile call: stored by a (queue empty, store ok) and enforced by b. */
  async function normalBanGoesThrough(sub) {
    const seen = b.call('whenRejected', { token: tokenFor(sub), timeoutMs: 10_000 })
    expect(await a.call('invoke', { method: 'revokeUser', args: [sub] })).toEqual({ result: null })
    expect((await seen).at).not.toBeNull()
    expect(await a.call('health')).toMatchObject({ store: 'ok', pending: 0 })
  }

  test('a token with exp -1e300 is revoked without jamming the queue', async () => {
    const token = signed({ sub: 'x', jti: 'exp-minus-1e300', exp: -1e300, iat: 0 })
    const outcome = await a.call('invoke', { method: 'revokeToken', args: [token] })
    // Stored (bounded to the start of the Date range), or refused with a code: never stuck.
    expect(outcome.result === null || typeof outcome.code === 'string').toBe(true)
    await normalBanGoesThrough('after-minus-1e300')
  })

  test('a ban forever (before: Number.MAX_VALUE) is stored, synced, and refuses tokens issued later', async () => {
    const fresh = signed({ sub: 'banned-forever', jti: 'later', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })
    const seen = b.call('whenRejected', { token: fresh, timeoutMs: 10_000 })
    expect(await a.call('invoke', { method: 'revokeUser', args: ['banned-forever', { before: Number.MAX_VALUE }] })).toEqual({ result: null })
    expect((await seen).at).not.toBeNull()
    expect(await b.call('verify', { token: fresh })).toBe('ERR_JWT_REVOKED:user')
    await normalBanGoesThrough('after-forever')
  })

  test('a 1,024-character CJK jti (3 KB) is refused with a code, and the next revocation is stored and synced', async () => {
    const token = signed({ sub: 'x', jti: '\u6f22'.repeat(1024), iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })
    const outcome = await a.call('invoke', { method: 'revokeToken', args: [token] })
    expect(outcome.code).toMatch(/^ERR_/)
    await normalBanGoesThrough('after-cjk')
  })

  test('a fresh instance loads every ban that was acknowledged', async () => {
    const c = await start(store.config)
    try {
      for (const sub of ['after-minus-1e300', 'banned-forever', 'after-forever', 'after-cjk']) {
        expect(await c.call('verify', { token: earlyToken(sub) })).toBe('ERR_JWT_REVOKED:user')
      }
    } finally {
      await c.stop()
    }
  })
}

const { runnable, skipped } = partition(stores)
describe.each(runnable)('poisoned records: $name', hostile)
if (skipped.length) describe.skip.each(skipped)('poisoned records: $name', hostile)
