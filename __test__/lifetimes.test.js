'use strict'

// Guards with different maxTokenLifetime on one store (a 1 h web API next to
// a 30 d mobile issuer): whatever lifetimes share a store, no revoked token
// comes back after a restart. Every Guard records its lifetime in the store
// (the horizon); a writer keeps its records as long as the longest reader needs.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const revocable = require('..')

const secret = 'a-lifetimes-test-secret-of-32-bytes'
const HOUR = 3600_000

let dir
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-lifetimes-')) })
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The verdicts of a Guard opened in a fresh process (no table left in memory) on `file`. */
function verdictsAfterRestart(file, lifetime, tokens) {
  const script = `
    const revocable = require(${JSON.stringify(path.join(__dirname, '..'))})
    ;(async () => {
      const auth = await revocable.open({ algorithms: ['HS256'], secret: ${JSON.stringify(secret)},
        maxTokenLifetime: ${JSON.stringify(lifetime)}, store: revocable.stores.sqlite(${JSON.stringify(file)}) })
      auth.prune()
      const verdicts = ${JSON.stringify(tokens)}.map((t) => { try { return auth.verify(t).sub } catch (e) { return e.code + ':' + e.reason } })
      await auth.close()
      process.stdout.write(JSON.stringify(verdicts))
    })()`
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 }))
}

test('a short-lived Guard keeps its revocations as long as a long-lived one on the same store needs them', async () => {
  const file = path.join(dir, 'r.db')
  const open = (maxTokenLifetime, clock) => revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime, store: revocable.stores.sqlite(file), clock })
  // The mobile issuer (30 d) opened on the store once and issued these.
  const mobile = await open('30d')
  const fourHoursAgo = () => Date.now() - 4 * HOUR
  const banned = mobile.sign({ sub: 'banned' }, { clock: fourHoursAgo })
  const stolen = mobile.sign({ sub: 'robbed' }, { clock: fourHoursAgo })
  const other = mobile.sign({ sub: 'other' }, { clock: fourHoursAgo })
  await mobile.close()
  // Three hours ago, the web API (1 h) banned a user and revoked a token: with
  // its own lifetime, both records would have expired two hours ago.
  const web = await open('1h', () => Date.now() - 3 * HOUR)
  await web.revokeUser('banned')
  await web.revokeToken(stolen)
  web.prune()
  await web.close()
  expect(verdictsAfterRestart(file, '30d', [banned, stolen, other])).toEqual(['ERR_JWT_REVOKED:user', 'ERR_JWT_REVOKED:token', 'other'])
})

test('the horizon only grows, and a Guard opened with a shorter lifetime keeps the longer one', async () => {
  const store = require('./memory-store').memoryStore()
  const open = (maxTokenLifetime) => revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime, store })
  const long = await open('30d')
  await long.close()
  const short = await open('1h')
  const before = Date.now()
  await short.revokeUser('u')
  await short.close()
  const user = [...store.rows.values()].find((r) => r.kind === 'user')
  // Two lifetimes of the longest Guard: a session begun before the cut-off may be
  // refreshed elsewhere up to a lifetime late (auth_time, src/core/table/prune.rs).
  expect(user.expiresAt - user.at).toBe(2 * 30 * 24 * HOUR)
  expect(user.at).toBeGreaterThan(before)
})

test('after a global cut-off "forever", records still expire (it is not read as the store\'s horizon)', async () => {
  const store = require('./memory-store').memoryStore()
  const open = (maxTokenLifetime) => revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime, store })
  const long = await open('30d')
  await long.revokeAll({ before: Infinity }) // kept at the end of the Date range, never pruned
  await long.close()
  // No token can pass such a cut-off, so no record matters after it: each Guard
  // keeps its records two of its own lifetimes, never forever.
  for (const [lifetime, ms] of [['1h', HOUR], ['30d', 30 * 24 * HOUR]]) {
    const auth = await open(lifetime)
    await auth.revokeUser(`u-${lifetime}`)
    expect(auth.metrics().table.entries.session).toBe(0) // the horizon's entry is not a revoked session
    await auth.close()
    const user = [...store.rows.values()].find((r) => r.key === `u-${lifetime}`)
    expect(user.expiresAt - user.at).toBe(2 * ms)
  }
})
