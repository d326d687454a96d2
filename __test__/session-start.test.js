'use strict'

// A cut-off ends sessions, not just tokens (DESIGN, "Rules that must hold
// everywhere"): a token minted from an earlier one (refresh, rotation, the
// group slow path) by an instance that has not yet heard of a ban carries the
// time its session began (`auth_time`), and the ban refuses it once it
// arrives. In one process: a ban "arriving" is the same record applied late
// (revokeUser with the `before` it was made with), as sync applies it. Two
// real instances on each store: session-instances.test.js.
const crypto = require('node:crypto')
const revocable = require('..')
const { Rotation } = require('../lib/middleware/rotate')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'a-session-test-secret-of-32-bytes'
const T0 = 1_800_000_000_000

async function guard(extra = {}) {
  const time = { now: T0 }
  const store = extra.store ?? memoryStore()
  const g = await revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1d', store, clock: () => time.now, ...extra })
  return { g, time, store }
}

const verdict = (g, token) => {
  try {
    return g.verify(token).sub
  } catch (err) {
    return `${err.code}:${err.reason ?? err.claim}`
  }
}
const hmac = (payload) => {
  const input = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`
}

let opened = []
afterEach(async () => {
  await Promise.all(opened.map((g) => g.close({ timeout: 100 })))
  opened = []
})
const track = (ctx) => { opened.push(ctx.g); return ctx }
/** The error a revocation's promise was rejected with (they never throw: see promisesOnly in lib/revoke-args.js). */
const refused = (promise) => promise.then(() => { throw new Error('expected a rejection') }, (err) => err)

describe('a ban beaten by a token minted before it arrived', () => {
  test('refresh while the store is down: the new pair carries auth_time and the ban refuses it once it arrives', async () => {
    const { g, time, store } = track(await guard())
    const first = g.issue('alice')
    time.now += 60_000
    const banAt = time.now // made on another instance; this one has not heard of it
    time.now += 5_000
    store.failing = true // this instance can neither write its refresh marks nor hear anything
    let done = false
    const refreshing = g.refresh(first.refreshToken).then((pair) => { done = true; return pair })
    await Promise.resolve()
    expect(done).toBe(false) // resolves only once its marks are stored
    store.failing = false
    const second = await refreshing
    const claims = revocable.decode(second.accessToken)
    expect(claims.iat * 1000).toBeGreaterThan(banAt)
    expect(claims.auth_time).toBe(revocable.decode(first.refreshToken).iat)
    expect(verdict(g, second.accessToken)).toBe('alice') // not heard of the ban yet
    await g.revokeUser('alice', { before: banAt }) // the ban arrives
    expect(verdict(g, second.accessToken)).toBe('ERR_JWT_REVOKED:user')
    await expect(g.refresh(second.refreshToken)).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
    // A session begun after the ban is untouched.
    expect(verdict(g, g.issue('alice').accessToken)).toBe('alice')
  })

  test('each later refresh keeps the session start: a chain of refreshes is refused as a whole', async () => {
    const { g, time } = track(await guard())
    let pair = g.issue('bob')
    const start = revocable.decode(pair.refreshToken).iat
    for (let i = 0; i < 3; i++) {
      time.now += 10_000
      pair = await g.refresh(pair.refreshToken)
    }
    expect(revocable.decode(pair.refreshToken).auth_time).toBe(start)
    await g.revokeSession(pair.session, { before: T0 + 5_000 })
    expect(verdict(g, pair.accessToken)).toBe('ERR_JWT_REVOKED:session')
    await expect(g.refresh(pair.refreshToken)).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'session' })
  })

  test('an instance whose clock runs behind the one that began the session mints a valid pair', async () => {
    const { g, time } = track(await guard())
    const first = g.issue('hal')
    time.now -= 700 // this instance's clock is 0.7 s behind the one that issued `first`
    const second = await g.refresh(first.refreshToken)
    for (const token of [second.accessToken, second.refreshToken]) {
      const claims = revocable.decode(token)
      expect(claims.auth_time).toBeLessThanOrEqual(claims.iat) // lowered: only ever more revocable
    }
    expect(verdict(g, second.accessToken)).toBe('hal')
    time.now += 1_000
    expect((await g.refresh(second.refreshToken)).session).toBe(first.session)
  })

  test('rotation: the fresh token carries the old one\'s session start', async () => {
    const { g, time } = track(await guard())
    const old = g.sign({ sub: 'carol' }, { expiresIn: '15m' })
    time.now += 60_000
    const banAt = time.now
    time.now += 1_000
    const handed = []
    new Rotation(g, { every: 1, clock: () => time.now }).use(g.verify(old), (name, value) => handed.push([name, value]))
    const fresh = handed.find(([name]) => name === 'x-access-token')[1]
    expect(revocable.decode(fresh).auth_time).toBe(revocable.decode(old).iat)
    expect(verdict(g, fresh)).toBe('carol')
    await g.revokeUser('carol', { before: banAt })
    expect(verdict(g, fresh)).toBe('ERR_JWT_REVOKED:user')
  })

  test('the group slow path: the fresh token keeps the session start, and passes the mark it was reissued for', async () => {
    const { g, time } = track(await guard({ groups: { check: () => true } }))
    const old = g.sign({ sub: 'dave' }, { expiresIn: '15m' })
    time.now += 1_000
    await g.markGroup('dave')
    time.now += 1_000
    const banAt = time.now
    time.now += 1_000
    const { token: fresh } = await g.recheck(old)
    expect(revocable.decode(fresh).auth_time).toBe(revocable.decode(old).iat)
    expect(verdict(g, fresh)).toBe('dave')
    await g.revokeAll({ before: banAt })
    expect(verdict(g, fresh)).toBe('ERR_JWT_REVOKED:global')
  })
})

describe('auth_time is honoured only as a signed claim that makes sense', () => {
  test('an auth_time later than iat, or not a number, is refused with its claim', async () => {
    const { g } = track(await guard())
    const iat = T0 / 1000
    expect(verdict(g, hmac({ sub: 'u', iat, exp: iat + 60, auth_time: iat + 0.001 }))).toBe('ERR_JWT_CLAIM:auth_time')
    expect(verdict(g, hmac({ sub: 'u', iat, exp: iat + 60, auth_time: '0' }))).toBe('ERR_JWT_CLAIM:auth_time')
    expect(verdict(g, hmac({ sub: 'u', iat, exp: iat + 60, auth_time: iat }))).toBe('u')
  })

  test('a forged auth_time (a payload changed after signing) never reaches the table', async () => {
    const { g } = track(await guard())
    await g.revokeUser('u', { before: T0 - 10_000 })
    const iat = T0 / 1000
    const genuine = hmac({ sub: 'u', iat, exp: iat + 60, auth_time: iat - 3600 })
    expect(verdict(g, genuine)).toBe('ERR_JWT_REVOKED:user')
    const [h, , s] = genuine.split('.')
    const later = Buffer.from(JSON.stringify({ sub: 'u', iat, exp: iat + 60, auth_time: iat })).toString('base64url')
    expect(verdict(g, `${h}.${later}.${s}`)).toBe('ERR_JWT_SIGNATURE:undefined')
  })

  test('a plain Verifier (no revocation) does not check auth_time, as jsonwebtoken does not', () => {
    const v = new revocable.Verifier({ algorithms: ['HS256'], secret, clock: () => T0 })
    const iat = T0 / 1000
    expect(v.verify(hmac({ sub: 'u', iat, exp: iat + 60, auth_time: iat + 5 })).sub).toBe('u')
  })
})

describe('forged logouts', () => {
  test('revokeToken(string) refuses a forgery with its code, without a store write or a table entry', async () => {
    const { g, store } = track(await guard({ issuer: 'https://issuer.example' }))
    const puts = store.puts
    const good = g.sign({ sub: 'erin' })
    const [h, p] = good.split('.')
    const cases = {
      ERR_JWT_SIGNATURE: `${h}.${p}.${'A'.repeat(43)}`,
      ERR_JWT_MALFORMED: 'not.a.token',
      ERR_JWT_ALGORITHM: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.AAAA`,
      ERR_JWT_CLAIM: revocable.sign({ sub: 'erin', iss: 'https://elsewhere.example' }, secret, { expiresIn: 60, clock: () => T0 }),
      ERR_JWT_TOO_LARGE: `${h}.${'A'.repeat(20_000)}.x`,
    }
    for (const [code, token] of Object.entries(cases)) expect([code, (await refused(g.revokeToken(token))).code]).toEqual([code, code])
    expect(store.puts).toBe(puts)
    expect(g.stats().tokens).toBe(0)
    expect(g.health().pending).toBe(0)
  })

  test('logout with an expired (or not yet valid) genuine token still works', async () => {
    const { g, time } = track(await guard())
    const token = g.sign({ sub: 'frank' }, { expiresIn: 60 })
    time.now += 120_000
    expect(thrown(() => g.verify(token)).code).toBe('ERR_JWT_EXPIRED')
    await g.revokeToken(token)
    expect(g.stats().tokens).toBe(1)
    const early = g.sign({ sub: 'frank' }, { notBefore: 600 })
    await g.revokeToken(early)
    time.now += 700_000
    expect(verdict(g, early)).toBe('ERR_JWT_REVOKED:token')
  })

  test('revokeToken(claims) takes claims as they are (already verified by the caller); without jti it says what to do', async () => {
    const { g } = track(await guard())
    const token = g.sign({ sub: 'gina' })
    await g.revokeToken(g.verify(token))
    expect(verdict(g, token)).toBe('ERR_JWT_REVOKED:token')
    const err = await refused(g.revokeToken({ sub: 'gina', iat: T0 / 1000, exp: T0 / 1000 + 60 }))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'jti'])
  })
})

describe('coded errors instead of TypeErrors', () => {
  test('a null options object, and a sub or value that is not well-formed UTF-16', async () => {
    const { g, store } = track(await guard())
    const puts = store.puts
    const token = g.sign({ sub: 'u' })
    for (const call of [() => g.verify(token, null), () => g.verify(token, 'complete')]) {
      expect(thrown(call).code).toBe('ERR_JWT_INVALID_OPTION')
    }
    for (const revoking of [
      g.revokeUser('u', null), g.revokeSession('s', null), g.revokeAll(null),
      g.revokeUser('\ud800'), g.revokeUser('a\udc00b'), g.revokeSession('s\ud800'),
    ]) {
      expect((await refused(revoking)).code).toBe('ERR_JWT_INVALID_OPTION')
    }
    expect(store.puts).toBe(puts)
    expect(g.stats().users).toBe(0)
    expect(g.verify(token).sub).toBe('u')
  })
})
