'use strict'

// Refresh state shared across instances by the store's sync: two app processes
// on one PostgreSQL store. A refresh in one is a used token in the other, and
// a family revoked for reuse in one is revoked in the other.
const { Pool } = require('pg')
const { start: startChild } = require('./helpers-sync')

const url = 'postgres://postgres@127.0.0.1:5432/test'
const table = `lifecycle_refresh_${process.pid}`
const pool = new Pool({ connectionString: url, max: 1 })

/** Polls `fn` until it returns `want` (sync is asynchronous), at most 5 s. */
async function until(fn, want) {
  let got
  for (let i = 0; i < 250; i++) {
    got = await fn()
    if (got === want) return got
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return got
}

let a, b
beforeAll(async () => {
  a = await startChild({ url, table }, 'refresh-child.js') // the first creates the tables; the second starts on them
  b = await startChild({ url, table }, 'refresh-child.js')
}, 30_000)
afterAll(async () => {
  for (const instance of [a, b]) if (instance) await instance.call('close').catch(() => {})
  await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta", "${table}_log"`)
  await pool.end()
})

test('a refresh in one instance makes the token used in the other; the reuse there ends the family in both', async () => {
  const first = await a.call('issue', { sub: 'alice' })
  const { ok: second } = await a.call('refresh', { token: first.refreshToken })
  expect(second.session).toBe(first.session)
  // Instance b hears of the refresh (the family's two entries) through the store's sync.
  // (the third entry is the store's horizon, lib/guard/horizon.js)
  expect(await until(() => b.call('sessions'), 3)).toBe(3)
  expect(await b.call('refresh', { token: first.refreshToken })).toBe('ERR_JWT_REVOKED:reuse')
  // ...and a hears that b revoked the family: the pair a handed out is dead there too.
  expect(await until(() => a.call('verify', { token: second.accessToken }), 'ERR_JWT_REVOKED:session')).toBe('ERR_JWT_REVOKED:session')
  expect(await a.call('refresh', { token: second.refreshToken })).toBe('ERR_JWT_REVOKED:session')
  // Another family is untouched.
  const bob = await a.call('issue', { sub: 'bob' })
  expect(await b.call('refresh', { token: bob.refreshToken })).toEqual({ ok: expect.objectContaining({ session: bob.session }) })
}, 30_000)

/** Resolves once `to` has heard of a change `from` made now (and so of every change `from` made before). */
async function heard(from, to, sub) {
  const { accessToken } = await to.call('issue', { sub })
  await from.call('revokeUser', { sub, before: Date.now() + 86_400_000 }) // whatever the two clocks say
  return until(() => to.call('verify', { token: accessToken }), 'ERR_JWT_REVOKED:user')
}

// Each instance answers before it hears of the other: both mark the token used
// and hand out a pair. In the same millisecond the two pairs are alike; with
// b's clock ahead, a's pair is refused by b's later mark once it arrives, and
// is still a member of the family (issued after the token the family used).
test('two instances refresh one token at once: the pair the client keeps lives on, the old token is a reuse', async () => {
  const now = Date.now()
  const races = []
  for (const [keep, ahead] of [['a', 0], ['b', 0], ['a', 50]]) {
    await a.call('freeze', { at: now })
    await b.call('freeze', { at: now + ahead })
    const first = await a.call('issue', { sub: `carol-${keep}-${ahead}` })
    const [fromA, fromB] = await Promise.all([a, b].map((i) => i.call('refresh', { token: first.refreshToken })))
    expect([fromA.ok.session, fromB.ok.session]).toEqual([first.session, first.session])
    races.push({ keep, ahead, first, pair: keep === 'a' ? fromA.ok : fromB.ok })
  }
  expect(await heard(a, b, 'marker-a')).toBe('ERR_JWT_REVOKED:user')
  expect(await heard(b, a, 'marker-b')).toBe('ERR_JWT_REVOKED:user')
  for (const i of [a, b]) await i.call('advance', { ms: 1000 }) // past the reuse interval
  for (const { keep, ahead, first, pair } of races) {
    // The client kept one pair, and refreshes with it on the other instance.
    const [there, here] = keep === 'a' ? [b, a] : [a, b]
    const { ok: next } = await there.call('refresh', { token: pair.refreshToken })
    expect(next.session).toBe(first.session)
    expect(await heard(there, here, `marker-${keep}-${ahead}`)).toBe('ERR_JWT_REVOKED:user')
    expect(await here.call('verify', { token: next.accessToken })).toBe(`carol-${keep}-${ahead}`)
    // The token both instances answered is used: back again, it is a reuse.
    expect(await here.call('refresh', { token: first.refreshToken })).toBe('ERR_JWT_REVOKED:reuse')
  }
}, 30_000)
