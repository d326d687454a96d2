'use strict'

const request = require('supertest')
const { koaMiddleware } = require('../lib/middleware')
const { NOW } = require('./helpers')
const { verifier, mint, expired, forged, revoking, INVALID } = require('./helpers-middleware')

describe.each([
  ['Koa 3', require('koa')],
  ['Koa 2', require('koa2')],
])('koaMiddleware on %s', (_, Koa) => {
  /** An app whose final middleware answers with what the auth middleware left in ctx.state. */
  function app(auth, { key = 'user', before } = {}) {
    const a = new Koa()
    a.silent = true
    if (before) a.use(before)
    a.use(auth)
    a.use((ctx) => {
      if (ctx.path === '/boom') throw Object.assign(new Error('downstream failure'), { code: 'ERR_JWT_CLAIM' })
      if (ctx.method === 'OPTIONS') ctx.status = 204
      else ctx.body = { user: ctx.state[key] ?? null, error: ctx.state.jwtOriginalError?.code ?? null }
    })
    return a.callback()
  }
  const bearer = (token) => ({ Authorization: `Bearer ${token}` })

  test('a valid token passes and its claims are on ctx.state.user', async () => {
    const res = await request(app(koaMiddleware(verifier))).get('/api').set(bearer(mint()))
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ sub: 'u1', exp: NOW / 1000 + 3600 })
  })

  test('the key option puts the claims elsewhere in ctx.state', async () => {
    const res = await request(app(koaMiddleware(verifier, { key: 'jwt' }), { key: 'jwt' })).get('/api').set(bearer(mint()))
    expect(res.body.user.sub).toBe('u1')
  })

  test('a request without a token gets 401 with a bare Bearer challenge and ERR_JWT_MISSING', async () => {
    const res = await request(app(koaMiddleware(verifier))).get('/api')
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    expect(res.body).toEqual({ code: 'ERR_JWT_MISSING', message: 'authorization required' })
  })

  test.each([
    ['an expired', expired, 'ERR_JWT_EXPIRED', 'token expired'],
    ['a forged', forged, 'ERR_JWT_SIGNATURE', 'invalid token'],
    ['a malformed', () => 'not-a-jwt', 'ERR_JWT_MALFORMED', 'invalid token'],
  ])('%s token gets 401 invalid_token with its code and a generic message', async (_, token, code, message) => {
    const res = await request(app(koaMiddleware(verifier))).get('/api').set(bearer(token()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code, message })
  })

  test('a malformed Authorization header is ERR_JWT_MALFORMED', async () => {
    const res = await request(app(koaMiddleware(verifier))).get('/api').set('Authorization', 'Bearer a b')
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body.code).toBe('ERR_JWT_MALFORMED')
  })

  test('a revoked token gets 401 ERR_JWT_REVOKED, other users pass', async () => {
    const a = app(koaMiddleware(revoking('u1')))
    const res = await request(a).get('/api').set(bearer(mint()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code: 'ERR_JWT_REVOKED', message: 'token revoked' })
    expect((await request(a).get('/api').set(bearer(mint({ sub: 'u2' })))).status).toBe(200)
  })

  test('with credentialsRequired false a request without a token passes without claims, a bad token still fails', async () => {
    const a = app(koaMiddleware(verifier, { credentialsRequired: false }))
    const res = await request(a).get('/api')
    expect(res.status).toBe(200)
    expect(res.body.user).toBeNull()
    expect((await request(a).get('/api').set(bearer(forged()))).body.code).toBe('ERR_JWT_SIGNATURE')
  })

  test('the cookie option reads the token from that cookie and ignores the Authorization header', async () => {
    const a = app(koaMiddleware(verifier, { cookie: 'access' }))
    const ok = await request(a).get('/api').set('Cookie', `theme=dark; access=${mint()}`)
    expect(ok.body.user.sub).toBe('u1')
    const headerOnly = await request(a).get('/api').set(bearer(mint()))
    expect(headerOnly.status).toBe(401)
    expect(headerOnly.body.code).toBe('ERR_JWT_MISSING')
  })

  test('a custom getToken (sync or async) supplies the token', async () => {
    const fromQuery = (ctx) => ctx.query.access_token
    expect((await request(app(koaMiddleware(verifier, { getToken: fromQuery }))).get(`/api?access_token=${mint()}`)).status).toBe(200)
    const slow = async (ctx) => ctx.get('x-token')
    const res = await request(app(koaMiddleware(verifier, { getToken: slow }))).get('/api').set('X-Token', mint())
    expect(res.body.user.sub).toBe('u1')
  })

  test('a getToken that throws without a code is rethrown to the app, not turned into a 401', async () => {
    const before = async (ctx, next) => {
      try {
        await next()
      } catch (err) {
        ctx.status = 418
        ctx.body = { message: err.message }
      }
    }
    const getToken = () => { throw new Error('config store down') }
    const res = await request(app(koaMiddleware(verifier, { getToken }), { before })).get('/api')
    expect(res.status).toBe(418)
    expect(res.body.message).toBe('config store down')
  })

  test('the unless option skips matching paths and methods only', async () => {
    const a = app(koaMiddleware(verifier, { unless: { path: ['/health', /^\/public\//], method: ['head'] } }))
    expect((await request(a).get('/health?x=1')).status).toBe(200)
    expect((await request(a).get('/public/logo.png')).status).toBe(200)
    expect((await request(a).head('/api')).status).toBe(200)
    expect((await request(a).get('/api')).status).toBe(401)
  })

  test('.unless() wraps the middleware like koa-unless, with a function rule', async () => {
    const a = app(koaMiddleware(verifier).unless((ctx) => ctx.get('x-internal') === 'yes'))
    expect((await request(a).get('/api').set('X-Internal', 'yes')).status).toBe(200)
    expect((await request(a).get('/api')).status).toBe(401)
    const paths = app(koaMiddleware(verifier).unless({ path: '/health' }))
    expect((await request(paths).get('/health')).status).toBe(200)
    expect((await request(paths).get('/api')).status).toBe(401)
  })

  test('a CORS preflight announcing Authorization is not authenticated; any other OPTIONS is', async () => {
    const a = app(koaMiddleware(verifier))
    const preflight = request(a).options('/api').set('Access-Control-Request-Method', 'DELETE')
    expect((await preflight.set('Access-Control-Request-Headers', 'content-type, Authorization')).status).toBe(204)
    expect((await request(a).options('/api').set('Access-Control-Request-Method', 'DELETE')).status).toBe(401)
    expect((await request(a).options('/api')).status).toBe(401)
  })

  test("errors: 'throw' gives an upstream handler a 401 error with code, cause and challenge", async () => {
    let seen
    const before = async (ctx, next) => {
      try {
        await next()
      } catch (err) {
        seen = err
        ctx.status = err.status
        ctx.body = { mine: err.code }
      }
    }
    const res = await request(app(koaMiddleware(verifier, { errors: 'throw' }), { before })).get('/api').set(bearer(expired()))
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ mine: 'ERR_JWT_EXPIRED' })
    expect(seen).toMatchObject({ name: 'UnauthorizedError', status: 401, expose: true, code: 'ERR_JWT_EXPIRED', message: 'token expired' })
    expect(seen.cause.code).toBe('ERR_JWT_EXPIRED')
    expect(seen.headers).toEqual({ 'WWW-Authenticate': INVALID })
  })

  test("errors: 'throw' without a handler: Koa answers 401 with the challenge and the generic message", async () => {
    const res = await request(app(koaMiddleware(verifier, { errors: 'throw' }))).get('/api').set(bearer(forged()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.text).toBe('invalid token')
    const none = await request(app(koaMiddleware(verifier, { errors: 'throw' }))).get('/api')
    expect(none.headers['www-authenticate']).toBe('Bearer')
  })

  test("debug: true answers with the error's own message, debug off with a generic one", async () => {
    const token = forged()
    expect((await request(app(koaMiddleware(verifier, { debug: true }))).get('/api').set(bearer(token))).body.message).toBe('invalid signature')
    expect((await request(app(koaMiddleware(verifier))).get('/api').set(bearer(token))).body.message).toBe('invalid token')
    const res = await request(app(koaMiddleware(verifier, { debug: true }))).get('/api').set('Authorization', 'Bearer')
    expect(res.body.message).toBe('the Authorization header must be "Bearer <token>"')
  })

  test('passthrough lets failed and missing tokens through without claims, with the error in ctx.state', async () => {
    const a = app(koaMiddleware(verifier, { passthrough: true }))
    const bad = await request(a).get('/api').set(bearer(forged()))
    expect(bad.status).toBe(200)
    expect(bad.body).toEqual({ user: null, error: 'ERR_JWT_SIGNATURE' })
    expect((await request(a).get('/api')).body).toEqual({ user: null, error: 'ERR_JWT_MISSING' })
    expect((await request(a).get('/api').set(bearer(mint()))).body.user.sub).toBe('u1')
  })

  test('a verifier that throws without a code fails closed with 401', async () => {
    const broken = { verify() { throw new TypeError('oops') } }
    const res = await request(app(koaMiddleware(broken))).get('/api').set(bearer(mint()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code: 'ERR_JWT', message: 'invalid token' })
  })

  test('an error thrown after authentication, even with a JWT code, is not turned into a 401', async () => {
    const res = await request(app(koaMiddleware(verifier))).get('/boom').set(bearer(mint()))
    expect(res.status).toBe(500)
  })
})
