'use strict'

// The authentication core every adapter translates (lib/middleware/core.js),
// called directly through auth.authenticate / auth.authenticator, and
// auth.isRevoked for claims another library verified.
const jwt = require('jsonwebtoken')
const { open, Verifier } = require('..')
const { authenticator } = require('../lib/middleware/authenticator')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'an-authenticate-test-secret-32-bytes!'
const openGuard = (extra = {}) => open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(), ...extra })

describe('auth.authenticate', () => {
  let auth
  beforeAll(async () => { auth = await openGuard() })
  afterAll(() => auth.close())

  test('a Bearer token yields its claims synchronously, with nothing to send', () => {
    const token = auth.sign({ sub: 'u1' })
    const out = auth.authenticate({ authorization: `Bearer ${token}`, method: 'GET', url: '/' })
    expect(out.claims.sub).toBe('u1')
    expect(out.error).toBeUndefined()
    expect(out.headers).toBeNull()
  })

  test('a missing token is a 401 with a bare challenge; a bad one carries error="invalid_token"', () => {
    const none = auth.authenticate({})
    expect([none.error.code, none.error.status, none.error.headers['WWW-Authenticate']]).toEqual(['ERR_JWT_MISSING', 401, 'Bearer'])
    const forged = auth.authenticate({ authorization: `Bearer ${jwt.sign({ sub: 'u1' }, 'another-secret-of-at-least-32-bytes', { expiresIn: 60 })}` })
    expect([forged.error.code, forged.error.headers['WWW-Authenticate']]).toEqual(['ERR_JWT_SIGNATURE', 'Bearer error="invalid_token"'])
    expect(forged.error.message).toBe('invalid token') // no detail without debug
  })

  test('a revoked token is refused with its reason', async () => {
    const token = auth.sign({ sub: 'u-revoked' })
    await auth.revokeUser('u-revoked')
    const out = auth.authenticate({ authorization: `Bearer ${token}` })
    expect([out.error.code, out.error.reason, out.error.message]).toEqual(['ERR_JWT_REVOKED', 'user', 'token revoked'])
  })

  test('hostile Authorization headers are refused, never thrown', () => {
    for (const authorization of ['Bearer a b', 'Bearer\t' + 'x'.repeat(10), 'Bearer ' + 'a'.repeat(100_000), 'Bearer ....', 42, ['Bearer x']]) {
      const out = auth.authenticate({ authorization })
      expect(out.claims).toBeUndefined()
      expect(out.error.status).toBe(401)
    }
    // Another scheme counts as no token (RFC 6750 §3.1).
    expect(auth.authenticate({ authorization: 'Basic dTpw' }).error.code).toBe('ERR_JWT_MISSING')
    expect(() => auth.authenticate(null)).toThrow(TypeError)
  })

  test('cookie tokens come from a parsed cookie object or the Cookie header, never from the prototype', () => {
    const check = auth.authenticator({ cookie: 'access' })
    const token = auth.sign({ sub: 'u1' })
    expect(check({ cookies: { access: token } }).claims.sub).toBe('u1')
    expect(check({ cookie: `a=1; access=${token}` }).claims.sub).toBe('u1')
    // A Bearer header is not read when the cookie is configured.
    expect(check({ authorization: `Bearer ${token}` }).error.code).toBe('ERR_JWT_MISSING')
    expect(check({ cookies: Object.create({ access: token }) }).error.code).toBe('ERR_JWT_MISSING')
  })

  test('credentialsRequired: false lets a request without a token through, but never a bad token', () => {
    const optional = auth.authenticator({ credentialsRequired: false })
    const out = optional({})
    expect([out.claims, out.error, out.headers]).toEqual([undefined, undefined, null])
    expect(optional({ authorization: 'Bearer nope' }).error.code).toBe('ERR_JWT_MALFORMED')
  })

  test('options are checked once: framework-only ones are refused', () => {
    for (const name of ['getToken', 'passthrough', 'unless', 'errors', 'requestProperty']) {
      expect(thrown(() => auth.authenticator({ [name]: 1 })).code).toBe('ERR_JWT_INVALID_OPTION')
    }
  })

  test('rotation hands a fresh token out in the headers to send', () => {
    const rotating = auth.authenticator({ rotate: { every: 2, graceMs: 1000 } })
    const token = auth.sign({ sub: 'u-rot' })
    expect(rotating({ authorization: `Bearer ${token}` }).headers).toBeNull()
    const second = rotating({ authorization: `Bearer ${token}` })
    const names = second.headers.map(([name]) => name)
    expect(names).toEqual(['x-access-token', 'Access-Control-Expose-Headers'])
    expect(auth.verify(second.headers[0][1]).sub).toBe('u-rot')
  })
})

describe('auth.authenticate, group slow path', () => {
  test('an older token than its group mark resolves later: a pass with a fresh token, a refusal as 401', async () => {
    const live = new Set(['s1'])
    const auth = await openGuard({ groups: { count: 16, check: async (claims) => live.has(claims.sid) } })
    const kept = auth.sign({ sub: 'g', sid: 's1' }, { clock: () => Date.now() - 1000 })
    const ended = auth.sign({ sub: 'g', sid: 's2' }, { clock: () => Date.now() - 1000 })
    // Issued a second before the mark; a fresh token is issued after it.
    await auth.markGroup('g', { before: Date.now() - 500 })
    const pass = auth.authenticate({ authorization: `Bearer ${kept}` })
    expect(typeof pass.then).toBe('function')
    const passed = await pass
    expect(passed.claims.sid).toBe('s1')
    expect(passed.headers[0][0]).toBe('x-access-token')
    // The fresh token takes the fast path again.
    expect(auth.authenticate({ authorization: `Bearer ${passed.headers[0][1]}` }).claims.sid).toBe('s1')
    const refused = await auth.authenticate({ authorization: `Bearer ${ended}` })
    expect([refused.error.code, refused.error.reason]).toEqual(['ERR_JWT_REVOKED', 'group'])
    await auth.close()
  })
})

describe('key source seam', () => {
  const verifier = new Verifier({ algorithms: ['HS256'], key: secret })
  const token = jwt.sign({ sub: 'k' }, secret, { expiresIn: 60 })

  test('verifyAsync is asked only when verify started a key refetch, and its answer is held to an object', async () => {
    const asked = []
    const keyless = {
      verify: () => { throw Object.assign(new Error('no key for kid'), { code: 'ERR_JWT_KEY', refetching: true }) },
      verifyAsync: async (t) => { asked.push(t); return verifier.verify(t) },
    }
    const out = await authenticator(keyless)({ authorization: `Bearer ${token}` })
    expect([out.claims.sub, asked]).toEqual(['k', [token]])
    const liar = { ...keyless, verifyAsync: async () => 'yes' }
    expect((await authenticator(liar)({ authorization: `Bearer ${token}` })).error.code).toBe('ERR_JWT')
    const failing = { ...keyless, verifyAsync: async () => { throw Object.assign(new Error('fetch failed'), { code: 'ERR_JWT_KEY' }) } }
    expect((await authenticator(failing)({ authorization: `Bearer ${token}` })).error.code).toBe('ERR_JWT_KEY')
    // Any other failure is final, synchronously: a forged signature never reaches the key source.
    const forged = { ...keyless, verify: (t) => verifier.verify(t.slice(0, -2) + 'AA') }
    const refused = authenticator(forged)({ authorization: `Bearer ${token}` })
    expect(refused.error.code).toBe('ERR_JWT_SIGNATURE')
  })
})

describe('auth.isRevoked', () => {
  let auth
  beforeAll(async () => { auth = await openGuard({ sessionClaims: ['sid', 'did'] }) })
  afterAll(() => auth.close())

  const foreign = (claims) => jwt.decode(jwt.sign(claims, 'any-other-key', { expiresIn: 600 }))

  test('false until a rule refuses the claims, then the rule\'s reason', async () => {
    const claims = foreign({ sub: 'r1', sid: 'sess', did: 'dev', jti: 'j-1', iss: 'idp' })
    expect(auth.isRevoked(claims)).toBe(false)
    await auth.revokeToken(claims)
    expect(auth.isRevoked(claims)).toBe('token')
    const other = foreign({ sub: 'r1', did: 'dev', jti: 'j-2' })
    await auth.revokeSession('dev', { claim: 'did', before: Date.now() + 1000 })
    expect(auth.isRevoked(other)).toBe('session')
    await auth.revokeUser('r1', { before: Date.now() + 1000 })
    expect(auth.isRevoked(foreign({ sub: 'r1' }))).toBe('user')
    expect(auth.isRevoked(foreign({ sub: 'r2' }))).toBe(false)
  })

  test('a session that began before a user cut-off is refused whatever its iat, as verify refuses it (auth_time)', async () => {
    const began = Math.floor(Date.now() / 1000) - 60
    await auth.revokeUser('r5', { before: Date.now() - 1000 })
    const refreshed = auth.sign({ sub: 'r5', auth_time: began }) // minted after the cut-off from an older session
    expect(thrown(() => auth.verify(refreshed))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
    expect(auth.isRevoked(jwt.decode(refreshed))).toBe('user')
    const later = auth.sign({ sub: 'r5', auth_time: Math.floor(Date.now() / 1000) })
    expect(auth.isRevoked(jwt.decode(later))).toBe(false)
  })

  test('claims no rule can decide are refused as \'claims\' (fail closed), never thrown', () => {
    const ok = foreign({ sub: 'r3' })
    for (const bad of [
      null, undefined, 'a.b.c', 42,
      { sub: 'r3', exp: ok.exp }, // no iat: a cut-off cannot apply
      { sub: 'r3', iat: ok.iat }, // no exp: unbounded
      { ...ok, exp: ok.iat + 7200 }, // longer than maxTokenLifetime
      { ...ok, iat: String(ok.iat) }, { ...ok, iat: NaN }, { ...ok, iat: 10n },
      { ...ok, sub: 7 }, { ...ok, sid: { $ne: null } }, { ...ok, did: ['a'] },
    ]) expect(auth.isRevoked(bad)).toBe('claims')
  })

  test('only the claims the rules read cross into Rust: a huge payload is not serialised', () => {
    const big = { ...foreign({ sub: 'r4' }), blob: 'x'.repeat(5_000_000), cyclic: {} }
    big.cyclic.self = big.cyclic
    expect(auth.isRevoked(big)).toBe(false)
  })
})
