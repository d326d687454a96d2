'use strict'

// revocable/express-jwt against express-jwt 8.5.1's contract, over real HTTP,
// with tokens signed by the real jsonwebtoken (what apps migrating already use).
const request = require('supertest')
const jsonwebtoken = require('jsonwebtoken')
const revocable = require('..')
const { expressjwt, UnauthorizedError } = require('../lib/compat/express-jwt')

const SECRET = 'express-jwt-compat-secret-of-32+bytes'
const sign = (claims = { sub: 'u1' }, options = { expiresIn: '1h' }, key = SECRET) => jsonwebtoken.sign(claims, key, options)
const LONG_AGO = 1382412921 // an exp in 2013
const bearer = (token) => ({ Authorization: `Bearer ${token}` })

describe.each([
  ['Express 5', require('express')],
  ['Express 4', require('express4')],
])('revocable/express-jwt on %s', (_, express) => {
  /**
   * An app behind `mw` whose route answers with what the middleware left on req
   * (at `property`), and whose error handler shows the UnauthorizedError's fields.
   */
  function app(mw, property = 'auth') {
    const a = express()
    a.use(mw)
    a.all(/.*/, (req, res) => res.json({ auth: property.split('.').reduce((o, k) => o && o[k], req) ?? null }))
    a.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
      res.status(err.status || 500).json({ code: err.code ?? null, message: err.message, inner: err.inner?.name ?? null })
    })
    return a
  }
  const get = (mw, headers = {}, path = '/api', property) => request(app(mw, property)).get(path).set(headers)
  const jwtMw = (options = {}) => expressjwt({ secret: SECRET, algorithms: ['HS256'], ...options })

  test('a valid Bearer token passes and its payload is on req.auth', async () => {
    const res = await get(jwtMw(), bearer(sign({ sub: 'u1', role: 'admin' })))
    expect(res.status).toBe(200)
    expect(res.body.auth).toMatchObject({ sub: 'u1', role: 'admin' })
  })

  test('without a token the request fails with credentials_required, 401, through next(err)', async () => {
    const res = await get(jwtMw())
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ code: 'credentials_required', message: 'No authorization token was found', inner: null })
  })

  test("Express's own error handler answers the UnauthorizedError with its status 401", async () => {
    const a = express()
    a.use(jwtMw())
    a.get('/api', (req, res) => res.send('ok'))
    expect((await request(a).get('/api')).status).toBe(401)
  })

  test('with credentialsRequired false a request without a token passes without claims', async () => {
    const res = await get(jwtMw({ credentialsRequired: false }))
    expect(res.status).toBe(200)
    expect(res.body.auth).toBeNull()
  })

  test('another scheme is credentials_bad_scheme, or passes when credentials are not required', async () => {
    const basic = { Authorization: 'Basic dTE6cHc=' }
    expect((await get(jwtMw(), basic)).body).toEqual({ code: 'credentials_bad_scheme', message: 'Format is Authorization: Bearer [token]', inner: null })
    const res = await get(jwtMw({ credentialsRequired: false }), basic)
    expect(res.status).toBe(200)
    expect(res.body.auth).toBeNull()
  })

  test.each(['wrong', 'Bearer a b', 'Bearer  two-spaces'])('a header that is not two words (%j) is credentials_bad_format', async (header) => {
    const res = await get(jwtMw({ credentialsRequired: false }), { Authorization: header })
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('credentials_bad_format')
  })

  test('the Bearer scheme is matched case-insensitively', async () => {
    expect((await get(jwtMw(), { Authorization: `bEaReR ${sign()}` })).status).toBe(200)
  })

  test.each([
    ['a token signed with another key', () => sign({ sub: 'u1' }, {}, 'another-secret-of-at-least-32-bytes!'), 'invalid signature', 'JsonWebTokenError'],
    ['an expired token', () => sign({ sub: 'u1', exp: LONG_AGO }, {}), 'jwt expired', 'TokenExpiredError'],
    ['a token that is not a JWT', () => 'not-a-jwt', 'jwt malformed', 'JsonWebTokenError'],
    ['a token from the future', () => sign({ sub: 'u1' }, { notBefore: '1h' }), 'jwt not active', 'NotBeforeError'],
  ])('%s is invalid_token with jsonwebtoken\'s message and error as inner', async (_, token, message, inner) => {
    const res = await get(jwtMw(), bearer(token()))
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ code: 'invalid_token', message, inner })
  })

  test('a token whose payload is not a JSON object is refused (express-jwt accepted it)', async () => {
    const res = await get(jwtMw(), bearer(jsonwebtoken.sign('just-a-string', SECRET)))
    expect(res.body).toEqual({ code: 'invalid_token', message: 'jwt malformed', inner: 'JsonWebTokenError' })
  })

  test('a bad token fails even when credentials are not required', async () => {
    const res = await get(jwtMw({ credentialsRequired: false }), bearer(sign({ sub: 'u1', exp: LONG_AGO }, {})))
    expect(res.body).toMatchObject({ code: 'invalid_token', message: 'jwt expired' })
  })

  test("jsonwebtoken's verify options apply, with its messages", async () => {
    const token = sign({ sub: 'u1', aud: 'web', iss: 'https://a.example' })
    expect((await get(jwtMw({ audience: 'mobile' }), bearer(token))).body.message).toBe('jwt audience invalid. expected: mobile')
    expect((await get(jwtMw({ issuer: 'https://b.example' }), bearer(token))).body.message).toBe('jwt issuer invalid. expected: https://b.example')
    expect((await get(jwtMw({ audience: 'web', issuer: 'https://a.example' }), bearer(token))).status).toBe(200)
  })

  test('an algorithm outside `algorithms` is refused', async () => {
    const res = await get(jwtMw({ algorithms: ['HS512'] }), bearer(sign()))
    expect(res.body).toMatchObject({ code: 'invalid_token', message: 'invalid algorithm' })
  })

  test('onExpired sees the wrapped error and may let an expired token through, or refuse it', async () => {
    const seen = []
    const letThrough = jwtMw({ onExpired: async (req, err) => { seen.push([err.code, err.inner.name, err.inner.expiredAt.getTime()]) } })
    const token = sign({ sub: 'u1', exp: LONG_AGO }, {})
    const res = await get(letThrough, bearer(token))
    expect(res.status).toBe(200)
    expect(res.body.auth.sub).toBe('u1')
    expect(seen).toEqual([['invalid_token', 'TokenExpiredError', LONG_AGO * 1000]])
    const refuse = jwtMw({ onExpired: (req, err) => { throw err } })
    expect((await get(refuse, bearer(token))).body).toEqual({ code: 'invalid_token', message: 'jwt expired', inner: 'TokenExpiredError' })
  })

  test('onExpired is not consulted for other failures', async () => {
    const onExpired = jest.fn()
    const res = await get(jwtMw({ onExpired }), bearer(sign({ sub: 'u1' }, {}, 'another-secret-of-at-least-32-bytes!')))
    expect(res.body.message).toBe('invalid signature')
    expect(onExpired).not.toHaveBeenCalled()
  })

  test('secret as a function gets the request and the decoded token, and may be async (multi-tenancy)', async () => {
    const tenants = { a: 'tenant-a-secret-of-at-least-32-bytes!', b: 'tenant-b-secret-of-at-least-32-bytes!' }
    const calls = []
    const mw = expressjwt({
      algorithms: ['HS256'],
      secret: async (req, token) => {
        calls.push([req.path, token.header.alg, token.payload.iss])
        if (!tenants[token.payload.iss]) throw new Error('Could not find secret for issuer.')
        return tenants[token.payload.iss]
      },
    })
    expect((await get(mw, bearer(sign({ sub: 'u1' }, { issuer: 'b' }, tenants.b)))).body.auth.iss).toBe('b')
    expect(calls).toEqual([['/api', 'HS256', 'b']])
    // A token of tenant a signed with b's key: the key chosen by iss does not match.
    expect((await get(mw, bearer(sign({ sub: 'u1' }, { issuer: 'a' }, tenants.b)))).body.message).toBe('invalid signature')
    // The key function's own error reaches the error handler unchanged.
    expect((await get(mw, bearer(sign({ sub: 'u1' }, { issuer: 'c' }, tenants.b)))).body).toEqual({ code: null, message: 'Could not find secret for issuer.', inner: null })
  })

  test('a Buffer secret works', async () => {
    const key = Buffer.alloc(48, 7)
    expect((await get(jwtMw({ secret: key }), bearer(sign({ sub: 'u1' }, {}, key)))).status).toBe(200)
  })

  test('isRevoked gets the request and the decoded token; true is revoked_token', async () => {
    const mw = jwtMw({ isRevoked: async (req, token) => token.payload.jti === 'revoked-jti' })
    const res = await get(mw, bearer(sign({ sub: 'u1', jti: 'revoked-jti' })))
    expect(res.body).toEqual({ code: 'revoked_token', message: 'The token has been revoked.', inner: null })
    expect((await get(mw, bearer(sign({ sub: 'u1', jti: 'other' })))).status).toBe(200)
  })

  test('isRevoked runs only for tokens that verified, and its errors pass through', async () => {
    const isRevoked = jest.fn(async () => { throw new Error('revocation list unavailable') })
    expect((await get(jwtMw({ isRevoked }), bearer(sign({ sub: 'u1' }, {}, 'another-secret-of-at-least-32-bytes!')))).body.message).toBe('invalid signature')
    expect(isRevoked).not.toHaveBeenCalled()
    const res = await get(jwtMw({ isRevoked }), bearer(sign()))
    expect(res.status).toBe(500)
    expect(res.body.message).toBe('revocation list unavailable')
  })

  test('getToken replaces the Authorization header, may be async, and its UnauthorizedError is used as is', async () => {
    const fromQuery = jwtMw({ getToken: (req) => req.query.token })
    expect((await request(app(fromQuery)).get(`/api?token=${sign()}`)).body.auth.sub).toBe('u1')
    expect((await get(fromQuery, bearer(sign()))).body.code).toBe('credentials_required')
    const fromCookie = jwtMw({ getToken: async (req) => /(?:^|; )jwt=([^;]+)/.exec(req.headers.cookie || '')?.[1] })
    expect((await get(fromCookie, { Cookie: `theme=dark; jwt=${sign()}` })).status).toBe(200)
    const throwing = jwtMw({ getToken: () => { throw new UnauthorizedError('invalid_token', { message: 'Invalid token!' }) } })
    expect((await get(throwing)).body).toEqual({ code: 'invalid_token', message: 'Invalid token!', inner: null })
  })

  test('requestProperty names where the payload goes, dotted paths included', async () => {
    expect((await get(jwtMw({ requestProperty: 'user' }), bearer(sign()), '/api', 'user')).body.auth.sub).toBe('u1')
    expect((await get(jwtMw({ requestProperty: 'auth.payload' }), bearer(sign()), '/api', 'auth.payload')).body.auth.sub).toBe('u1')
  })

  test('a CORS preflight announcing Authorization is let through without a token', async () => {
    const res = await request(app(jwtMw())).options('/api').set('Access-Control-Request-Headers', 'content-type, Authorization')
    expect(res.status).toBe(200)
    const other = await request(app(jwtMw())).options('/api').set('Access-Control-Request-Headers', 'content-type')
    expect(other.body.code).toBe('credentials_required')
  })

  describe('.unless (express-unless)', () => {
    test('skips the listed paths (strings compare the pathname exactly, query excluded), checks the rest', async () => {
      const mw = jwtMw().unless({ path: ['/public', /^\/assets\//] })
      expect((await get(mw, {}, '/public?x=1')).status).toBe(200)
      expect((await get(mw, {}, '/assets/app.js')).status).toBe(200)
      expect((await get(mw, {}, '/public/')).status).toBe(401)
      expect((await get(mw, {}, '/api')).status).toBe(401)
    })

    test('methods, { url, methods } entries and extensions', async () => {
      const mw = jwtMw().unless({ path: [{ url: '/login', methods: ['POST'] }], method: 'HEAD', ext: '.css' })
      expect((await request(app(mw)).post('/login')).status).toBe(200)
      expect((await request(app(mw)).get('/login')).status).toBe(401)
      expect((await request(app(mw)).head('/api')).status).toBe(200)
      expect((await get(mw, {}, '/site.css')).status).toBe(200)
    })

    test('a custom function may be async; its result is awaited', async () => {
      const mw = jwtMw().unless(async (req) => req.headers['x-internal'] === 'yes')
      expect((await get(mw, { 'x-internal': 'yes' })).status).toBe(200)
      expect((await get(mw, { 'x-internal': 'no' })).status).toBe(401)
    })

    test('a custom function that throws reaches the error handler', async () => {
      const mw = jwtMw().unless(() => { throw new Error('unless failed') })
      expect((await get(mw)).body.message).toBe('unless failed')
    })

    test('useOriginalUrl: false matches the path inside a mounted app', async () => {
      const a = express()
      a.use('/v1', jwtMw().unless({ path: '/public', useOriginalUrl: false }))
      a.get('/v1/:page', (req, res) => res.send(req.params.page))
      expect((await request(a).get('/v1/public')).status).toBe(200)
      expect((await request(a).get('/v1/private')).status).toBe(401)
      const original = express()
      original.use('/v1', jwtMw().unless({ path: '/public' }))
      original.get('/v1/:page', (req, res) => res.send(req.params.page))
      expect((await request(original).get('/v1/public')).status).toBe(401)
    })

    test('rules chain: .unless().unless()', async () => {
      const mw = jwtMw().unless({ path: '/a' }).unless({ path: '/b' })
      expect((await get(mw, {}, '/a')).status).toBe(200)
      expect((await get(mw, {}, '/b')).status).toBe(200)
      expect((await get(mw, {}, '/c')).status).toBe(401)
    })
  })

  describe('with a revocable Guard', () => {
    let guard
    beforeEach(async () => {
      guard = await revocable.open({ algorithms: ['HS256'], secret: SECRET, maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:') })
    })
    afterEach(() => guard.close())

    test('a token the guard accepts passes; after revokeUser it is revoked_token', async () => {
      const mw = expressjwt({ guard })
      const a = app(mw)
      const token = guard.sign({ sub: 'alice', sid: 's1' })
      const ok = await request(a).get('/api').set(bearer(token))
      expect(ok.status).toBe(200)
      expect(ok.body.auth).toMatchObject({ sub: 'alice', sid: 's1' })
      await guard.revokeUser('alice')
      const res = await request(a).get('/api').set(bearer(token))
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ code: 'revoked_token', message: 'The token has been revoked.', inner: null })
      expect((await request(a).get('/api').set(bearer(guard.sign({ sub: 'alice' })))).status).toBe(200)
    })

    test('the revoked_token error says which rule refused the token', async () => {
      let seen
      const a = express()
      a.use(expressjwt({ guard }))
      a.use((err, req, res, next) => { seen = err; res.sendStatus(err.status) }) // eslint-disable-line no-unused-vars
      const token = guard.sign({ sub: 'bob', sid: 'laptop' })
      await guard.revokeSession('laptop')
      expect((await request(a).get('/').set(bearer(token))).status).toBe(401)
      expect(seen).toBeInstanceOf(UnauthorizedError)
      expect(seen.inner).toMatchObject({ message: 'The token has been revoked.', reason: 'session', code: 'ERR_JWT_REVOKED' })
    })

    test("the guard's refusals map to express-jwt's invalid_token with jsonwebtoken's messages", async () => {
      const a = app(expressjwt({ guard }))
      const forged = jsonwebtoken.sign({ sub: 'u1' }, 'another-secret-of-at-least-32-bytes!', { expiresIn: '1h' })
      expect((await request(a).get('/api').set(bearer(forged))).body).toEqual({ code: 'invalid_token', message: 'invalid signature', inner: 'JsonWebTokenError' })
      const expired = jsonwebtoken.sign({ sub: 'u1', iat: LONG_AGO - 60, exp: LONG_AGO }, SECRET)
      expect((await request(a).get('/api').set(bearer(expired))).body).toEqual({ code: 'invalid_token', message: 'jwt expired', inner: 'TokenExpiredError' })
      expect((await request(a).get('/api').set(bearer('x.y.z'))).body).toMatchObject({ code: 'invalid_token', message: 'jwt malformed' })
      expect((await request(a).get('/api')).body.code).toBe('credentials_required')
    })

    test("the guard's claim checks are its own: a wrong audience is 'jwt audience invalid', a missing exp is refused", async () => {
      const web = await revocable.open({ algorithms: ['HS256'], secret: SECRET, audience: 'web', maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:') })
      try {
        const a = app(expressjwt({ guard: web }))
        const mobile = web.sign({ sub: 'u1', aud: 'mobile' })
        expect((await request(a).get('/api').set(bearer(mobile))).body).toEqual({ code: 'invalid_token', message: 'jwt audience invalid', inner: 'JsonWebTokenError' })
        const forever = jsonwebtoken.sign({ sub: 'u1', aud: 'web' }, SECRET)
        const res = await request(a).get('/api').set(bearer(forever))
        expect(res.body).toMatchObject({ code: 'invalid_token', inner: 'JsonWebTokenError' })
        expect(res.body.message).toMatch(/exp/)
      } finally {
        await web.close()
      }
    })

    test('onExpired may replace the error but cannot let an expired token through', async () => {
      const expired = jsonwebtoken.sign({ sub: 'u1', iat: LONG_AGO - 60, exp: LONG_AGO }, SECRET)
      const onExpired = jest.fn()
      const res = await request(app(expressjwt({ guard, onExpired }))).get('/api').set(bearer(expired))
      expect(onExpired).toHaveBeenCalledTimes(1)
      expect(res.body).toMatchObject({ code: 'invalid_token', message: 'jwt expired' })
      const custom = expressjwt({ guard, onExpired: () => { throw Object.assign(new Error('session expired, log in again'), { status: 401 }) } })
      expect((await request(app(custom)).get('/api').set(bearer(expired))).body.message).toBe('session expired, log in again')
    })

    test('isRevoked and algorithms still apply next to a guard', async () => {
      const token = guard.sign({ sub: 'u1' })
      expect((await request(app(expressjwt({ guard, isRevoked: () => true }))).get('/api').set(bearer(token))).body.code).toBe('revoked_token')
      expect((await request(app(expressjwt({ guard, algorithms: ['HS512'] }))).get('/api').set(bearer(token))).body.message).toBe('invalid algorithm')
      expect((await request(app(expressjwt({ guard, algorithms: ['HS256'] }))).get('/api').set(bearer(token))).status).toBe(200)
    })
  })
})

describe('expressjwt options', () => {
  test.each([
    [undefined, 'express-jwt: `secret` is a required option'],
    [{ algorithms: ['HS256'] }, 'express-jwt: `secret` is a required option'],
    [{ secret: 'shhhh' }, 'express-jwt: `algorithms` is a required option'],
    [{ secret: 'shhhh', algorithms: 'HS256' }, 'express-jwt: `algorithms` must be an array'],
    [{ guard: {} }, 'express-jwt: `guard` must be a revocable Guard (`await revocable.open(...)`)'],
    [{ guard: { verify() {} }, secret: 'shhhh' }, 'express-jwt: give `secret` or `guard`, not both: the guard verifies with its own key'],
    [{ guard: { verify() {} }, audience: 'web' }, 'express-jwt: `audience` cannot be combined with `guard`: set it where the guard is opened'],
    [{ guard: { verify() {} }, algorithms: 'HS256' }, 'express-jwt: `algorithms` must be an array'],
    [{ secret: 'shhhh', algorithms: ['HS256'], requestProperty: 'user.__proto__' }, 'express-jwt: `requestProperty` may not contain __proto__'],
  ])('%j throws RangeError %j', (options, message) => {
    expect(() => expressjwt(options)).toThrow(new RangeError(message))
  })
})

describe('expressjwt outside HTTP', () => {
  const mw = expressjwt({ secret: SECRET, algorithms: ['HS256'] })
  const run = (req) => new Promise((resolve) => mw(req, {}, resolve))

  test('an Authorization header spelled with a capital A (AWS Lambda) is read', async () => {
    const req = { headers: { Authorization: `Bearer ${sign()}` } }
    expect(await run(req)).toBeUndefined()
    expect(req.auth.sub).toBe('u1')
  })

  test('next is called on a later turn of the event loop, as in express-jwt', async () => {
    let called = false
    const done = new Promise((resolve) => mw({ headers: bearer(sign()) }, {}, () => { called = true; resolve() }))
    for (let i = 0; i < 10; i++) await Promise.resolve() // microtasks run, the event loop does not turn
    expect(called).toBe(false)
    await done
    expect(called).toBe(true)
  })

  test('the UnauthorizedError has code, status 401, inner and a stack that starts with its message', async () => {
    const err = await run({ headers: bearer(sign({ sub: 'u1' }, {}, 'another-secret-of-at-least-32-bytes!')) })
    expect(err).toBeInstanceOf(UnauthorizedError)
    expect(err).toMatchObject({ name: 'UnauthorizedError', code: 'invalid_token', status: 401, message: 'invalid signature' })
    expect(err.inner.name).toBe('JsonWebTokenError')
    expect(err.stack.startsWith('UnauthorizedError: invalid signature')).toBe(true)
  })
})

describe('guard opened with groups: the slow path', () => {
  test('a token older than its group\'s mark is passed by groups.check (with a fresh token) or refused', async () => {
    const revocable = require('..')
    const express = require('express')
    const request = require('supertest')
    const { expressjwt } = require('../lib/compat/express-jwt')
    const live = new Set(['s2'])
    let now = Date.now() // moved, not slept on, so the mark lands after the tokens
    const guard = await revocable.open({
      algorithms: ['HS256'], key: 'an-express-jwt-groups-secret-32-bytes', maxTokenLifetime: '1h', clock: () => now,
      store: revocable.stores.sqlite(':memory:'), groups: { check: async (claims) => live.has(claims.sid) },
    })
    const app = express()
    app.use(expressjwt({ guard, algorithms: ['HS256'] }))
    app.get('/', (req, res) => res.json({ sid: req.auth.sid }))
    // eslint-disable-next-line no-unused-vars -- Express knows an error handler by its four parameters
    app.use((err, req, res, next) => res.status(err.status || 500).json({ code: err.code }))
    const t1 = guard.sign({ sub: 'hal', sid: 's1' })
    const t2 = guard.sign({ sub: 'hal', sid: 's2' })
    now += 5
    await guard.markGroup('hal')
    now += 5
    await request(app).get('/').set('Authorization', `Bearer ${t1}`).expect(401, { code: 'revoked_token' })
    const ok = await request(app).get('/').set('Authorization', `Bearer ${t2}`).expect(200, { sid: 's2' })
    expect(typeof ok.headers['x-access-token']).toBe('string')
    await guard.close()
  })
})
