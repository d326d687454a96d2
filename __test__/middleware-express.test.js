'use strict'

const request = require('supertest')
const { expressMiddleware } = require('../lib/middleware')
const { NOW } = require('./helpers')
const { verifier, mint, expired, forged, revoking, INVALID } = require('./helpers-middleware')

describe.each([
  ['Express 5', require('express')],
  ['Express 4', require('express4')],
])('expressMiddleware on %s', (_, express) => {
  /** An app whose routes answer with what the middleware left on req. */
  function app(auth, { property = 'auth', handler } = {}) {
    const a = express()
    a.use(auth)
    a.options('/api', (req, res) => res.sendStatus(204))
    a.get('/boom', () => { throw Object.assign(new Error('downstream failure'), { code: 'ERR_JWT_CLAIM' }) })
    a.all(/.*/, (req, res) => res.json({ auth: property.split('.').reduce((o, k) => o && o[k], req) ?? null }))
    if (handler) a.use(handler)
    return a
  }
  const bearer = (token) => ({ Authorization: `Bearer ${token}` })

  test('a valid token passes and its claims are on req.auth', async () => {
    const res = await request(app(expressMiddleware(verifier))).get('/api').set(bearer(mint()))
    expect(res.status).toBe(200)
    expect(res.body.auth).toMatchObject({ sub: 'u1', exp: NOW / 1000 + 3600 })
  })

  test('the Bearer scheme is matched case-insensitively', async () => {
    const res = await request(app(expressMiddleware(verifier))).get('/api').set('Authorization', `bEaReR ${mint()}`)
    expect(res.status).toBe(200)
  })

  test('a request without a token gets 401 with a bare Bearer challenge and ERR_JWT_MISSING', async () => {
    const res = await request(app(expressMiddleware(verifier))).get('/api')
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    expect(res.body).toEqual({ code: 'ERR_JWT_MISSING', message: 'authorization required' })
  })

  test('another authentication scheme counts as no token (RFC 6750 §3.1)', async () => {
    const res = await request(app(expressMiddleware(verifier))).get('/api').set('Authorization', 'Basic dTE6cHc=')
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    expect(res.body.code).toBe('ERR_JWT_MISSING')
  })

  test.each([
    ['an expired', expired, 'ERR_JWT_EXPIRED', 'token expired'],
    ['a forged', forged, 'ERR_JWT_SIGNATURE', 'invalid token'],
    ['a malformed', () => 'not-a-jwt', 'ERR_JWT_MALFORMED', 'invalid token'],
  ])('%s token gets 401 invalid_token with its code and a generic message', async (_, token, code, message) => {
    const res = await request(app(expressMiddleware(verifier))).get('/api').set(bearer(token()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code, message })
  })

  test.each(['Bearer', 'Bearer a b', 'Bearer\ttoken'])('a malformed Authorization header (%j) is ERR_JWT_MALFORMED', async (header) => {
    const res = await request(app(expressMiddleware(verifier))).get('/api').set('Authorization', header)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body.code).toBe('ERR_JWT_MALFORMED')
  })

  test('a revoked token gets 401 ERR_JWT_REVOKED, other users pass', async () => {
    const a = app(expressMiddleware(revoking('u1')))
    const res = await request(a).get('/api').set(bearer(mint()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code: 'ERR_JWT_REVOKED', message: 'token revoked' })
    expect((await request(a).get('/api').set(bearer(mint({ sub: 'u2' })))).status).toBe(200)
  })

  test('with credentialsRequired false a request without a token passes without claims, a bad token still fails', async () => {
    const a = app(expressMiddleware(verifier, { credentialsRequired: false }))
    const res = await request(a).get('/api')
    expect(res.status).toBe(200)
    expect(res.body.auth).toBeNull()
    expect((await request(a).get('/api').set(bearer(forged()))).body.code).toBe('ERR_JWT_SIGNATURE')
  })

  test('the cookie option reads the token from that cookie and ignores the Authorization header', async () => {
    const a = app(expressMiddleware(verifier, { cookie: 'access' }))
    const ok = await request(a).get('/api').set('Cookie', `theme=dark; access="${mint()}"; other=1`)
    expect(ok.status).toBe(200)
    expect(ok.body.auth.sub).toBe('u1')
    const headerOnly = await request(a).get('/api').set(bearer(mint()))
    expect(headerOnly.status).toBe(401)
    expect(headerOnly.body.code).toBe('ERR_JWT_MISSING')
  })

  test('a custom getToken (sync or async) supplies the token', async () => {
    const fromQuery = (req) => req.query.access_token
    expect((await request(app(expressMiddleware(verifier, { getToken: fromQuery }))).get(`/api?access_token=${mint()}`)).status).toBe(200)
    const slow = async (req) => req.headers['x-token']
    const res = await request(app(expressMiddleware(verifier, { getToken: slow }))).get('/api').set('X-Token', mint())
    expect(res.body.auth.sub).toBe('u1')
    const odd = await request(app(expressMiddleware(verifier, { getToken: () => 42 }))).get('/api')
    expect(odd.body.code).toBe('ERR_JWT_MALFORMED')
  })

  test('a getToken that throws without a code reaches the app error handler, not a 401', async () => {
    const handler = (err, req, res, next) => res.status(418).json({ message: err.message }) // eslint-disable-line no-unused-vars
    const getToken = () => { throw new Error('config store down') }
    const res = await request(app(expressMiddleware(verifier, { getToken }), { handler })).get('/api')
    expect(res.status).toBe(418)
    expect(res.body.message).toBe('config store down')
  })

  test('requestProperty puts the claims elsewhere, dots nesting', async () => {
    const res = await request(app(expressMiddleware(verifier, { requestProperty: 'user.jwt' }), { property: 'user.jwt' }))
      .get('/api').set(bearer(mint()))
    expect(res.body.auth.sub).toBe('u1')
  })

  test('the unless option skips matching paths and methods only', async () => {
    const a = app(expressMiddleware(verifier, { unless: { path: ['/health', /^\/public\//, { url: '/login', methods: ['POST'] }], method: 'HEAD' } }))
    expect((await request(a).get('/health')).status).toBe(200)
    expect((await request(a).get('/health?x=1')).status).toBe(200)
    expect((await request(a).get('/public/logo.png')).status).toBe(200)
    expect((await request(a).post('/login')).status).toBe(200)
    expect((await request(a).head('/api')).status).toBe(200)
    expect((await request(a).get('/login')).status).toBe(401)
    expect((await request(a).get('/health/')).status).toBe(401)
    expect((await request(a).get('/api')).status).toBe(401)
  })

  test('.unless() wraps the middleware like express-unless, with a function rule', async () => {
    const a = app(expressMiddleware(verifier).unless((req) => req.headers['x-internal'] === 'yes'))
    expect((await request(a).get('/api').set('X-Internal', 'yes')).status).toBe(200)
    expect((await request(a).get('/api').set('X-Internal', 'no')).status).toBe(401)
    const chained = app(expressMiddleware(verifier).unless({ path: '/a' }).unless({ path: '/b' }))
    expect((await request(chained).get('/a')).status).toBe(200)
    expect((await request(chained).get('/b')).status).toBe(200)
    expect((await request(chained).get('/c')).status).toBe(401)
  })

  test('a CORS preflight announcing Authorization is not authenticated; any other OPTIONS is', async () => {
    const a = app(expressMiddleware(verifier))
    const preflight = request(a).options('/api').set('Access-Control-Request-Method', 'DELETE')
    expect((await preflight.set('Access-Control-Request-Headers', 'content-type, Authorization')).status).toBe(204)
    expect((await request(a).options('/api').set('Access-Control-Request-Method', 'DELETE')).status).toBe(401)
    expect((await request(a).options('/api')).status).toBe(401)
  })

  test("errors: 'next' hands the app a 401 error with code, cause and challenge", async () => {
    let seen
    const handler = (err, req, res, next) => { seen = err; res.status(err.status).json({ mine: err.code }) } // eslint-disable-line no-unused-vars
    const res = await request(app(expressMiddleware(verifier, { errors: 'next' }), { handler })).get('/api').set(bearer(expired()))
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ mine: 'ERR_JWT_EXPIRED' })
    expect(seen).toMatchObject({ name: 'UnauthorizedError', status: 401, code: 'ERR_JWT_EXPIRED', message: 'token expired' })
    expect(seen.cause.code).toBe('ERR_JWT_EXPIRED')
    expect(seen.headers).toEqual({ 'WWW-Authenticate': INVALID })
  })

  test("errors: 'next' without an app handler: the default handler answers 401 with the challenge", async () => {
    const res = await request(app(expressMiddleware(verifier, { errors: 'next' }))).get('/api').set(bearer(forged()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
  })

  test('debug: true answers with the error\'s own message, never the token', async () => {
    const a = app(expressMiddleware(verifier, { debug: true }))
    expect((await request(a).get('/api').set(bearer(forged()))).body).toEqual({ code: 'ERR_JWT_SIGNATURE', message: 'invalid signature' })
    expect((await request(a).get('/api').set(bearer(expired()))).body.message).toBe('token has expired')
    const echo = { verify(token) { throw Object.assign(new Error(`bad token ${token}`), { code: 'ERR_JWT_CLAIM' }) } }
    const res = await request(app(expressMiddleware(echo, { debug: true }))).get('/api').set(bearer(mint()))
    expect(res.body).toEqual({ code: 'ERR_JWT_CLAIM', message: 'bad token [token]' })
  })

  test('passthrough lets failed and missing tokens through without claims', async () => {
    const a = app(expressMiddleware(verifier, { passthrough: true }))
    for (const headers of [bearer(forged()), bearer(expired()), { Authorization: 'Bearer a b' }, {}]) {
      const res = await request(a).get('/api').set(headers)
      expect(res.status).toBe(200)
      expect(res.body.auth).toBeNull()
    }
    expect((await request(a).get('/api').set(bearer(mint()))).body.auth.sub).toBe('u1')
  })

  test('a verifier that throws without a code, or returns a promise, fails closed with 401', async () => {
    const broken = { verify() { throw new TypeError('oops') } }
    const res = await request(app(expressMiddleware(broken))).get('/api').set(bearer(mint()))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(INVALID)
    expect(res.body).toEqual({ code: 'ERR_JWT', message: 'invalid token' })
    const async = { verify: () => Promise.reject(new Error('later')) }
    expect((await request(app(expressMiddleware(async))).get('/api').set(bearer(mint()))).status).toBe(401)
  })

  test('an error thrown after authentication, even with a JWT code, is not turned into a 401', async () => {
    const res = await request(app(expressMiddleware(verifier))).get('/boom').set(bearer(mint()))
    expect(res.status).toBe(500)
  })
})

describe('the Authorization header, read without building req.headers', () => {
  const { sign } = require('..')
  const http = require('node:http')
  const express = require('express')
  const revocable = require('..')
  const secret = 'a-raw-headers-test-secret-32-bytes!'

  async function serve(before) {
    const verifier = new revocable.Verifier({ algorithms: ['HS256'], key: secret })
    const app = express()
    if (before) app.use(before)
    app.use(expressMiddleware(verifier))
    app.get('/', (req, res) => res.json({ sub: req.auth.sub }))
    const server = http.createServer(app).listen(0)
    await new Promise((resolve) => server.once('listening', resolve))
    return server
  }

  /** Sends raw header lines ([name, value, name, value, ...]), so a header can be repeated. */
  function get(server, lines) {
    return new Promise((resolve, reject) => {
      // A raw header list gets no Host of its own; HTTP/1.1 requires one.
      const req = http.request({ port: server.address().port, path: '/', headers: ['Host', 'localhost', ...lines] }, (res) => {
        let body = ''
        res.on('data', (c) => { body += c })
        res.on('end', () => resolve({ status: res.statusCode, body }))
      })
      req.on('error', reject)
      req.end()
    })
  }

  test('a repeated Authorization header: the first one counts, as in req.headers', async () => {
    const first = sign({ sub: 'first' }, secret, { expiresIn: 60 })
    const second = sign({ sub: 'second' }, secret, { expiresIn: 60 })
    const server = await serve()
    const res = await get(server, ['Authorization', `Bearer ${first}`, 'authorization', `Bearer ${second}`])
    server.close()
    expect(res).toEqual({ status: 200, body: JSON.stringify({ sub: 'first' }) })
  })

  test('a header an earlier middleware set on req.headers is the one used', async () => {
    const mine = sign({ sub: 'moved-from-query' }, secret, { expiresIn: 60 })
    const server = await serve((req, res, next) => {
      req.headers.authorization = `Bearer ${mine}`
      next()
    })
    const res = await get(server, ['Authorization', 'Bearer not.a.token'])
    server.close()
    expect(res).toEqual({ status: 200, body: JSON.stringify({ sub: 'moved-from-query' }) })
  })
})
